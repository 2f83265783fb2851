import assert from "node:assert/strict";
import { datasetPath, existingPath, outputFolder } from "./paths.ts";
import { ValueRejected } from "./values.ts";

/** Asserts a ValueRejected with this expected text and shown value. */
function rejects(parse: () => unknown, expected: string, shown: string | undefined): void {
  assert.throws(parse, (error) => {
    assert.ok(error instanceof ValueRejected, String(error));
    assert.equal(error.expected, expected);
    assert.equal(error.shown, shown);
    return true;
  });
}

Deno.test("existingPath() checks that a file or folder is there", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a.ipynb`, "{}");
    await Deno.writeTextFile(`${dir}/a.txt`, "");
    await t.step("a file", () => {
      const file = existingPath("file");
      assert.equal(file.parse(`${dir}/a.txt`), `${dir}/a.txt`);
      assert.equal(file.placeholder, "PATH");
      rejects(() => file.parse(dir), "an existing file", `"${dir}": a folder`);
      rejects(
        () => file.parse(`${dir}/b`),
        "an existing file",
        `"${dir}/b": no such file or folder`,
      );
      rejects(
        () => file.parse(`${dir}/a.txt/b`),
        "an existing file",
        `"${dir}/a.txt/b": no such file or folder`,
      );
      rejects(() => file.parse(""), "an existing file", undefined);
    });
    await t.step("a folder", () => {
      const folder = existingPath("folder");
      assert.equal(folder.parse(dir), dir);
      assert.equal(folder.placeholder, "DIR");
      rejects(
        () => folder.parse(`${dir}/a.txt`),
        "an existing folder",
        `"${dir}/a.txt": not a folder`,
      );
    });
    await t.step("either", () => {
      const either = existingPath("file or folder");
      assert.equal(either.parse(dir), dir);
      assert.equal(either.parse(`${dir}/a.txt`), `${dir}/a.txt`);
    });
    await t.step("a file with an extension", () => {
      const notebook = existingPath("file", { extension: ".ipynb" });
      assert.equal(notebook.parse(`${dir}/a.ipynb`), `${dir}/a.ipynb`);
      rejects(
        () => notebook.parse(`${dir}/a.txt`),
        "an existing file named *.ipynb",
        `"${dir}/a.txt": not a *.ipynb file`,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("outputFolder() takes a folder or a path to make, never a file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/file`, "");
    const out = outputFolder();
    assert.equal(out.parse(dir), dir);
    assert.equal(out.parse(`${dir}/new/deeper`), `${dir}/new/deeper`);
    const expected = "a folder to write into (made if missing), not a file";
    rejects(() => out.parse(`${dir}/file`), expected, `"${dir}/file": a file is in the way`);
    rejects(() => out.parse(" "), expected, undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("datasetPath() resolves a file or a folder holding runs.csv", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/mine`);
    await Deno.mkdir(`${dir}/empty`);
    await Deno.writeTextFile(`${dir}/mine/runs.csv`, "method\n");
    const dataset = datasetPath();
    assert.equal(dataset.parse(`${dir}/mine`).runsPath, `${dir}/mine/runs.csv`);
    assert.equal(dataset.parse(`${dir}/mine/runs.csv`).kind, "file");
    const expected = "a dataset file, or a folder holding runs.csv";
    rejects(() => dataset.parse(`${dir}/nope`), expected, `"${dir}/nope": no such file or folder`);
    rejects(
      () => dataset.parse(`${dir}/empty`),
      expected,
      `"${dir}/empty": a folder without runs.csv`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
