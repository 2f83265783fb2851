import assert from "node:assert/strict";
import { DatasetError } from "../data/dataset_error.ts";
import { loadPlans } from "./load_plans.ts";

const NODES = "node,uplink_bytes_per_second,downlink_bytes_per_second\na,1e8,1e8\nb,2e8,1.5e8\n";
const HEAD =
  "plan,id,method,memory_bytes,wss_bytes,dirty_pages_per_second,source,destination,start_seconds\n";
const ROW = "p1,x,kvm-precopy,2e9,1e8,100,a,b,0\n";

/** A temporary folder with these files; removed after `body`. */
async function withFiles(
  files: Record<string, string>,
  body: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "load_plans_test_" });
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The DatasetError `run` rejects with. */
async function datasetError(run: () => Promise<unknown>): Promise<DatasetError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof DatasetError, String(error));
    return error;
  }
  assert.fail("expected a DatasetError");
}

Deno.test("loadPlans() reads nodes.csv beside the migrations table, from a path or a URL", async () => {
  await withFiles({ "migrations.csv": HEAD + ROW, "nodes.csv": NODES }, async (dir) => {
    const fromPath = await loadPlans(`${dir}/migrations.csv`);
    const fromUrl = await loadPlans(new URL(`file://${dir}/migrations.csv`));
    assert.deepEqual(fromUrl, fromPath);
    assert.deepEqual(fromPath.map((p) => p.name), ["p1"]);
    assert.deepEqual(fromPath[0]!.nodes.b, {
      uplinkBytesPerSecond: 2e8,
      downlinkBytesPerSecond: 1.5e8,
    });
    assert.equal(fromPath[0]!.migrations[0]!.memoryBytes, 2e9);
  });
});

Deno.test("loadPlans() resolves a relative path against the working directory", async () => {
  await withFiles({ "migrations.csv": HEAD + ROW, "nodes.csv": NODES }, async (dir) => {
    const up = Deno.cwd().split("/").filter((part) => part !== "").map(() => "..").join("/");
    const relative = `${up}${dir}/migrations.csv`;
    assert.ok(!relative.startsWith("/"));
    const plans = await loadPlans(relative);
    assert.equal(plans[0]!.migrations[0]!.id, "x");
  });
});

Deno.test("loadPlans() reads the node table given by nodesPath", async () => {
  const other = "node,uplink_bytes_per_second,downlink_bytes_per_second\na,5e7,5e7\nb,5e7,5e7\n";
  await withFiles({ "m.csv": HEAD + ROW, "nodes.csv": NODES, "other.csv": other }, async (dir) => {
    const plans = await loadPlans(`${dir}/m.csv`, { nodesPath: `${dir}/other.csv` });
    assert.deepEqual(plans[0]!.nodes.a, { uplinkBytesPerSecond: 5e7, downlinkBytesPerSecond: 5e7 });
  });
});

Deno.test("loadPlans() names the files in its DatasetError and passes maxProblems on", async (t) => {
  const bad = HEAD + "p,x,kvm-precopy,-1,0,0,a,b,0\np,y,kvm-precopy,-2,0,0,a,b,0\n" +
    "p,z,kvm-precopy,-3,0,0,a,b,0\n";
  await withFiles({ "m.csv": bad, "nodes.csv": NODES, "n.csv": "node\n" }, async (dir) => {
    await t.step("the migrations table by its path", async () => {
      const error = await datasetError(() => loadPlans(`${dir}/m.csv`, { maxProblems: 2 }));
      assert.equal(error.file, `${dir}/m.csv`);
      assert.equal(error.problemCount, 3);
      assert.equal(error.problems.length, 2);
      assert.equal(
        error.problems[0]!.message,
        `${dir}/m.csv:2:17: column "memory_bytes": "-1" is not valid, expected bytes > 0`,
      );
    });
    await t.step("the node table by its URL's path", async () => {
      const error = await datasetError(() =>
        loadPlans(`${dir}/m.csv`, { nodesPath: new URL(`file://${dir}/n.csv`) })
      );
      assert.equal(error.file, `${dir}/n.csv`);
      assert.ok(error.problems.every((p) => p.file === `${dir}/n.csv`));
    });
  });
});

Deno.test("loadPlans() rejects with NotFound when the node table is missing", async () => {
  await withFiles({ "migrations.csv": HEAD + ROW }, async (dir) => {
    await assert.rejects(() => loadPlans(`${dir}/migrations.csv`), Deno.errors.NotFound);
  });
});
