import assert from "node:assert/strict";
import { loadDatasetFolder } from "./load_dataset_folder.ts";

const CSV =
  "method,contention,memory_bytes,wss_mib,dirty_pages_per_second,migration_time_seconds,status\n" +
  "kvm-postcopy,none,1e9,0,0,8.1,completed\nkvm-precopy,none,1e9,0,0,60,non-convergent\n";

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/mydata`;
  await Deno.mkdir(path);
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${path}/${name}`, text);
  }
  return path;
}

Deno.test("loadDatasetFolder() reads runs.csv and the sidecar named after the folder", async () => {
  const path = await folder({
    "runs.csv": CSV,
    "mydata.meta.json": JSON.stringify({ hypervisor: "qemu", accelerator: "tcg" }),
  });
  try {
    const loaded = await loadDatasetFolder(`${path}/`);
    assert.equal(loaded.name, "mydata");
    assert.equal(loaded.runs.length, 2);
    assert.equal(loaded.completed, 1);
    assert.equal(loaded.metadataPath, `${path}/mydata.meta.json`);
    assert.equal(loaded.metadata?.hypervisor, "qemu");
    assert.equal(loaded.provenance.dataset, "mydata/runs.csv");
    assert.equal(loaded.provenance.metadata, "mydata.meta.json");
    assert.equal(loaded.provenance.accelerator, "tcg");
    assert.match(loaded.provenance["conversion wss_mib"]!, /"fromUnit":"MiB"/);
    assert.equal(loaded.synthetic, false);
  } finally {
    await Deno.remove(`${path}/..`, { recursive: true });
  }
});

Deno.test("loadDatasetFolder() prefers runs.meta.json, as loadRuns does", async () => {
  const path = await folder({
    "runs.csv": CSV,
    "runs.meta.json": JSON.stringify({ hypervisor: "own", synthetic: true }),
    "mydata.meta.json": JSON.stringify({ hypervisor: "folder" }),
  });
  try {
    const loaded = await loadDatasetFolder(path);
    assert.equal(loaded.provenance.metadata, "runs.meta.json");
    assert.equal(loaded.metadata?.hypervisor, "own");
    assert.equal(loaded.synthetic, true);
  } finally {
    await Deno.remove(`${path}/..`, { recursive: true });
  }
});

Deno.test("loadDatasetFolder() without a sidecar says so; synthetic runs are marked", async () => {
  const path = await folder({
    "runs.csv": CSV.replace("status\n", "status,source\n").replaceAll("ed\n", "ed,synthetic\n")
      .replace("convergent\n", "convergent,synthetic\n"),
  });
  try {
    const loaded = await loadDatasetFolder(path);
    assert.equal(loaded.metadata, undefined);
    assert.equal(loaded.metadataPath, undefined);
    assert.equal(loaded.provenance.metadata, "none found (runs.meta.json or <folder>.meta.json)");
    assert.equal(loaded.synthetic, true);
  } finally {
    await Deno.remove(`${path}/..`, { recursive: true });
  }
});

Deno.test("loadDatasetFolder() finds the committed datasets' metadata without a link", async () => {
  const dir = new URL("../../data/qemu-tcg-1gbit", import.meta.url).pathname;
  const loaded = await loadDatasetFolder(dir);
  assert.equal(loaded.provenance.metadata, "qemu-tcg-1gbit.meta.json");
  assert.equal(loaded.metadata?.hypervisor, "QEMU");
  // Issue #12: the committed dataset loads without a warning; its non-convergent runs are
  // listed in notCompleted.
  assert.deepEqual(loaded.warnings, []);
  assert.equal(loaded.notCompleted.length, 42);
  assert.ok(loaded.notCompleted.every((i) => loaded.runs[i]?.status === "non-convergent"));
});

Deno.test("loadDatasetFolder() fails for a folder without runs.csv", async () => {
  const path = await folder({});
  try {
    await assert.rejects(() => loadDatasetFolder(path), Deno.errors.NotFound);
  } finally {
    await Deno.remove(`${path}/..`, { recursive: true });
  }
});

Deno.test("loadDatasetFolder() takes a file too, with the sidecar beside it", async (t) => {
  const path = await folder({
    "runs.csv": CSV,
    "cluster.csv": CSV,
    "cluster.meta.json": JSON.stringify({ hypervisor: "file's own" }),
    "mydata.meta.json": JSON.stringify({ hypervisor: "folder" }),
  });
  try {
    await t.step("runs.csv of a folder, given as a file", async () => {
      const loaded = await loadDatasetFolder(`${path}/runs.csv`);
      assert.equal(loaded.name, "mydata");
      assert.equal(loaded.runsPath, `${path}/runs.csv`);
      assert.equal(loaded.provenance.dataset, "mydata/runs.csv");
      assert.equal(loaded.metadata?.hypervisor, "folder");
    });
    await t.step("another file: its own sidecar first", async () => {
      const loaded = await loadDatasetFolder(`${path}/cluster.csv`);
      assert.equal(loaded.name, "cluster");
      assert.equal(loaded.provenance.dataset, "cluster.csv");
      assert.equal(loaded.metadataPath, `${path}/cluster.meta.json`);
      assert.equal(loaded.metadata?.hypervisor, "file's own");
    });
    await t.step("the loader's conversions, warnings and runs not completed", async () => {
      const loaded = await loadDatasetFolder(path);
      assert.deepEqual(loaded.conversions.map((c) => c.column), ["wss_mib"]);
      assert.deepEqual(loaded.notCompleted, [1]);
      // A known status other than "completed" is expected data: listed, not warned about.
      assert.deepEqual(loaded.warnings, []);
    });
  } finally {
    await Deno.remove(`${path}/..`, { recursive: true });
  }
});

Deno.test("loadDatasetFolder() reads a folder holding runs.csv.gz", async () => {
  const path = await folder({});
  try {
    const gzip = new Blob([CSV]).stream().pipeThrough(new CompressionStream("gzip"));
    await Deno.writeFile(
      `${path}/runs.csv.gz`,
      new Uint8Array(await new Response(gzip).arrayBuffer()),
    );
    await Deno.writeTextFile(`${path}/mydata.meta.json`, JSON.stringify({ hypervisor: "qemu" }));
    const loaded = await loadDatasetFolder(path);
    assert.equal(loaded.runs.length, 2);
    assert.equal(loaded.provenance.dataset, "mydata/runs.csv.gz");
    assert.equal(loaded.metadata?.hypervisor, "qemu");
  } finally {
    await Deno.remove(`${path}/..`, { recursive: true });
  }
});
