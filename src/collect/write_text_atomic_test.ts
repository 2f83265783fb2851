import assert from "node:assert/strict";
import { writeTextAtomic } from "./write_text_atomic.ts";

Deno.test("writeTextAtomic() replaces the file and leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeTextAtomic(`${dir}/runs.csv`, "old\n");
    await writeTextAtomic(`${dir}/runs.csv`, "new\n".repeat(10000));
    assert.equal(await Deno.readTextFile(`${dir}/runs.csv`), "new\n".repeat(10000));
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["runs.csv"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeTextAtomic() keeps the old file when the write fails", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeTextAtomic(`${dir}/runs.csv`, "old\n");
    // The target is a directory now: the rename fails, the temporary file is removed.
    await Deno.remove(`${dir}/runs.csv`);
    await Deno.mkdir(`${dir}/runs.csv/inner`, { recursive: true });
    await assert.rejects(() => writeTextAtomic(`${dir}/runs.csv`, "new\n"));
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["runs.csv"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeTextAtomic() fails in a missing directory", async () => {
  await assert.rejects(
    () => writeTextAtomic("/nonexistent-dir-for-test/x.csv", "a"),
    Deno.errors.NotFound,
  );
});
