// reproduceProject draws Figure 1 when the dataset has progress traces. The
// project's dataset has none yet, so this test copies its runs.csv to a
// temporary folder and writes a SYNTHETIC trace (syntheticProgressTrace,
// made up) beside each of Figure 1's runs; nothing is written to data/.
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { syntheticProgressTrace } from "../data/_synthetic_progress_trace.ts";
import { fig1Runs } from "./cost_figures.ts";
import { reproduceProject } from "./reproduce_project.ts";
import { loadDatasetFolder } from "../data/load_dataset_folder.ts";

const project = new URL("../../data/qemu-tcg-1gbit/", import.meta.url).pathname;

Deno.test("reproduceProject() draws Figure 1 from progress traces, and says why not without", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fig1_" });
  try {
    const folder = `${dir}/qemu-tcg-1gbit`;
    await Deno.mkdir(`${folder}/traces`, { recursive: true });
    await Deno.copyFile(`${project}runs.csv`, `${folder}/runs.csv`);
    const without = await reproduceProject({ folders: [folder], resamples: 0 });
    assert.equal(without.costFigures.fig1, null);
    assert.match(without.costFigures.notDrawn.fig1!, /no progress traces at Figure 1's workload/);
    assert.match(without.reportMarkdown, /### Figure 1: CPU use over time\n\nNot drawn: /);

    const { runs } = await loadDatasetFolder(folder);
    const wanted = fig1Runs(runs);
    assert.deepEqual(wanted.map((w) => w.method), [
      "xen-precopy-policy",
      "kvm-precopy",
      "kvm-postcopy",
    ]);
    for (const [k, { traceBase }] of wanted.entries()) {
      const text = syntheticProgressTrace({ endSeconds: 3 + 3 * k });
      await Deno.writeFile(`${folder}/traces/${traceBase}.progress.jsonl.gz`, gzipSync(text));
    }
    const withTraces = await reproduceProject({ folders: [folder], resamples: 0 });
    const fig1 = withTraces.costFigures.fig1!;
    assert.deepEqual(fig1.panels[0]!.plot.fy!.domain, [
      "Xen-rule pre-copy (QEMU)",
      "KVM pre-copy",
      "KVM post-copy",
    ]);
    assert.match(fig1.caption, new RegExp(wanted[0]!.traceBase));
    assert.ok(
      withTraces.reportMarkdown.includes("### Figure 1: CPU use over time\n\n`figures/fig1"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
