import assert from "node:assert/strict";
import { resolveDatasetPath } from "./resolve_dataset_path.ts";

async function tree(files: string[]): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (const file of files) {
    const path = `${dir}/${file}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, "method\n");
  }
  return dir;
}

Deno.test("resolveDatasetPath() takes a folder as its runs.csv, else runs.csv.gz", async (t) => {
  const dir = await tree([
    "mine/runs.csv",
    "packed/runs.csv.gz",
    "both/runs.csv",
    "both/runs.csv.gz",
  ]);
  try {
    await t.step("runs.csv, with or without a trailing slash", () => {
      for (const given of [`${dir}/mine`, `${dir}/mine/`, `${dir}/mine//`]) {
        assert.deepEqual(resolveDatasetPath(given), {
          kind: "folder",
          path: `${dir}/mine`,
          runsPath: `${dir}/mine/runs.csv`,
          folder: `${dir}/mine`,
          name: "mine",
        });
      }
    });
    await t.step("runs.csv.gz when there is no runs.csv", () => {
      assert.equal(resolveDatasetPath(`${dir}/packed`).runsPath, `${dir}/packed/runs.csv.gz`);
    });
    await t.step("runs.csv before runs.csv.gz", () => {
      assert.equal(resolveDatasetPath(`${dir}/both`).runsPath, `${dir}/both/runs.csv`);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("resolveDatasetPath() takes a file as it is, named after it or its folder", async (t) => {
  const dir = await tree(["mine/runs.csv", "cluster.csv.gz", "v1.2.jsonl", "plain"]);
  try {
    await t.step("runs.csv is named after its folder", () => {
      assert.deepEqual(resolveDatasetPath(`${dir}/mine/runs.csv`), {
        kind: "file",
        path: `${dir}/mine/runs.csv`,
        runsPath: `${dir}/mine/runs.csv`,
        folder: `${dir}/mine`,
        name: "mine",
      });
    });
    await t.step("another file after itself, without its extensions", () => {
      assert.equal(resolveDatasetPath(`${dir}/cluster.csv.gz`).name, "cluster");
      assert.equal(resolveDatasetPath(`${dir}/v1.2.jsonl`).name, "v1.2");
      assert.equal(resolveDatasetPath(`${dir}/plain`).name, "plain");
    });
    await t.step("a relative path, in another working folder", async () => {
      // A child process, so that this test's process keeps its working folder.
      const module = new URL("./resolve_dataset_path.ts", import.meta.url).href;
      const code = `import { resolveDatasetPath as r } from "${module}";
        console.log(JSON.stringify([r("runs.csv"), r("."), r("./")]));`;
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["eval", "--no-config", code],
        cwd: `${dir}/mine`,
        env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      }).output();
      assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
      const [file, folder, slash] = JSON.parse(new TextDecoder().decode(output.stdout));
      assert.deepEqual(file, {
        kind: "file",
        path: "runs.csv",
        runsPath: "runs.csv",
        folder: ".",
        name: "mine",
      });
      assert.equal(folder.name, "mine");
      assert.equal(folder.runsPath, "./runs.csv");
      assert.equal(slash.runsPath, "./runs.csv");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("resolveDatasetPath() names what is missing", async (t) => {
  const dir = await tree(["empty/notes.txt", "other/a.csv", "other/b.jsonl.gz"]);
  try {
    await t.step("nothing at the path", () => {
      assert.throws(() => resolveDatasetPath(`${dir}/nope`), {
        name: "NotFound",
        message: `resolveDatasetPath: cannot find "${dir}/nope", expected a dataset file or a ` +
          "folder holding runs.csv",
      });
    });
    await t.step("a path through a file", () => {
      assert.throws(() => resolveDatasetPath(`${dir}/empty/notes.txt/runs.csv`), {
        name: "NotFound",
      });
    });
    await t.step("a folder without runs.csv", () => {
      assert.throws(() => resolveDatasetPath(`${dir}/empty`), {
        name: "NotFound",
        message: `resolveDatasetPath: the folder "${dir}/empty" holds no runs.csv, expected a ` +
          "dataset folder holding runs.csv, or a dataset file",
      });
    });
    await t.step("a folder of other data files names them", () => {
      assert.throws(() => resolveDatasetPath(`${dir}/other/`), {
        name: "NotFound",
        message: `resolveDatasetPath: the folder "${dir}/other/" holds no runs.csv, expected a ` +
          'dataset folder holding runs.csv, or a dataset file (it holds "a.csv", "b.jsonl.gz": ' +
          "give one as the file)",
      });
    });
    await t.step("not a path", () => {
      assert.throws(() => resolveDatasetPath(""), {
        name: "TypeError",
        message: 'resolveDatasetPath: invalid path, expected a file or folder path (got "")',
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
