import assert from "node:assert/strict";
import { statOrUndefined } from "./_fs.ts";

Deno.test("statOrUndefined() gives the info of what is there and undefined for what is not", () => {
  const folder = Deno.makeTempDirSync();
  try {
    const file = `${folder}/runs.csv`;
    Deno.writeTextFileSync(file, "x\n");
    assert.equal(statOrUndefined(file)?.isFile, true);
    assert.equal(statOrUndefined(folder)?.isDirectory, true);
    assert.equal(statOrUndefined(`${folder}/missing.csv`), undefined);
    assert.equal(statOrUndefined(`${file}/inside`), undefined);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});
