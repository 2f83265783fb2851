import assert from "node:assert/strict";
import { loadRuns } from "../data/load_runs.ts";
import { fitContention } from "../fit/fit_contention.ts";
import { synthesizeRuns } from "../fit/synthetic.ts";
import { render } from "../plot/render.ts";
import { NothingToFitError } from "./nothing_to_fit_error.ts";
import { reproduceProject } from "./reproduce_project.ts";

const DATA = new URL("../../data/qemu-tcg-1gbit/", import.meta.url).pathname;

/** A dataset folder of SYNTHETIC runs (generated from the models), marked synthetic in its sidecar. */
async function writeSyntheticFolder(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const runs = synthesizeRuns({ seed: 4, methods: ["kvm-postcopy"], repeats: 2 });
  const lines = runs.map((r) =>
    [
      r.method,
      r.contention,
      r.memoryBytes,
      r.wssBytes,
      r.dirtyPagesPerSecond,
      r.migrationTimeSeconds,
      r.status,
    ].join(",")
  );
  await Deno.writeTextFile(
    `${dir}/runs.csv`,
    "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds,status\n" +
      lines.join("\n") + "\n",
  );
  await Deno.writeTextFile(`${dir}/runs.meta.json`, JSON.stringify({ synthetic: true }));
}

/** A dataset folder with a measured subset: the KVM post-copy rows of data/qemu-tcg-1gbit. */
async function writeMeasuredSubset(dir: string): Promise<number> {
  await Deno.mkdir(dir, { recursive: true });
  const [header, ...rows] = (await Deno.readTextFile(`${DATA}runs.csv`)).trim().split("\n");
  const kept = rows.filter((row) => row.startsWith("kvm-postcopy,"));
  await Deno.writeTextFile(`${dir}/runs.csv`, [header, ...kept].join("\n") + "\n");
  await Deno.copyFile(`${DATA}qemu-tcg-1gbit.meta.json`, `${dir}/runs.meta.json`);
  return kept.length;
}

/** Plot numbers its class names and marker ids per render; figures are equal up to them. */
function sameIds(svg: string): string {
  return svg.replace(/plot-(marker-)?[0-9a-f]+/g, "plot-$1id");
}

Deno.test("reproduceProject() writes the figures and the report it returns", async (t) => {
  const root = await Deno.makeTempDir();
  try {
    await t.step(
      "a folder marked synthetic is not used, and nothing else is: it refuses",
      async () => {
        await writeSyntheticFolder(`${root}/data/made-up`);
        const outDir = `${root}/out-refused`;
        const error = await reproduceProject({ dataDir: `${root}/data`, resamples: 0, outDir })
          .then(() => assert.fail("expected a NothingToFitError"), (e) => e);
        assert.ok(error instanceof NothingToFitError);
        assert.deepEqual(error.reasons, [
          `${root}/data/made-up: marked synthetic, not used as measured data`,
        ]);
        await assert.rejects(Deno.stat(outDir), Deno.errors.NotFound);
      },
    );

    await t.step(
      "the synthetic dataset only when asked for, said in the report and every figure",
      async () => {
        const outDir = `${root}/out-synthetic`;
        const result = await reproduceProject({
          dataDir: `${root}/data`,
          synthetic: true,
          resamples: 0,
          outDir,
        });
        assert.equal(result.source.synthetic, true);
        assert.deepEqual(result.messages, []);
        // Figure 2's section has the pause errors of the methods whose runs carry a pause.
        for (const method of ["kvm-postcopy", "kvm-precopy"]) {
          assert.match(
            result.reportMarkdown,
            new RegExp(`Pause errors per method[\\s\\S]*\\| ${method} \\| \\d+ \\| [\\d.]+ \\[`),
          );
        }
        const files = ["fig5.svg", "fig5.png", "fig6.svg", "fig6.png", "fig3.svg", "fig3.png"];
        // Figures 2 and 4 from the synthetic runs; Figure 1 and the noise figure need
        // progress traces and requested rates, which synthetic runs do not have (said so).
        files.push("fig2.svg", "fig2.png", "fig4.svg", "fig4.png");
        assert.ok(result.skipped.some((m) => m.startsWith("fig1 not drawn: the synthetic")));
        assert.ok(result.skipped.some((m) => m.startsWith("noise not drawn: ")));
        assert.deepEqual(result.written, [
          ...files.map((f) => `${outDir}/figures/${f}`),
          `${outDir}/report.md`,
        ]);
        assert.equal(await Deno.readTextFile(`${outDir}/report.md`), result.reportMarkdown);
        assert.match(result.reportMarkdown, /\*\*SYNTHETIC DATA\.\*\*/);
        for (const file of files.filter((f) => f.endsWith(".svg"))) {
          assert.match(await Deno.readTextFile(`${outDir}/figures/${file}`), /SYNTHETIC/, file);
        }
        assert.equal(
          sameIds(await Deno.readTextFile(`${outDir}/figures/fig5.svg`)),
          sameIds(render(result.fig5!)),
        );
        const png = await Deno.readFile(`${outDir}/figures/fig3.png`);
        assert.deepEqual([...png.subarray(1, 4)], [80, 78, 71]); // "PNG"
      },
    );

    await t.step("without workers it writes the same files, byte for byte", async () => {
      const onWorkers = `${root}/out-synthetic`;
      const serial = `${root}/out-serial`;
      const result = await reproduceProject({
        dataDir: `${root}/data`,
        synthetic: true,
        resamples: 0,
        outDir: serial,
        workers: false,
      });
      assert.equal(result.written.length, 11);
      for (const path of result.written) {
        const file = path.slice(serial.length);
        assert.deepEqual(await Deno.readFile(path), await Deno.readFile(onWorkers + file), file);
      }
    });

    await t.step(
      "measured runs are fitted; a figure without a fitted method is not written",
      async () => {
        const n = await writeMeasuredSubset(`${root}/measured/postcopy`);
        const outDir = `${root}/out-measured`;
        const result = await reproduceProject({
          folders: [`${root}/measured/postcopy`],
          resamples: 0,
          outDir,
          figureFiles: { fig5: ["f5.svg"], fig6: ["six/f6.svg"], fig3: ["f3.svg"] },
          reportFile: "notes/report.md",
        });
        assert.equal(result.source.synthetic, false);
        assert.equal(result.runs.length, n);
        assert.deepEqual(Object.keys(result.fits), ["kvm-postcopy"]);
        assert.equal(result.fig5, null);
        assert.ok(
          result.skipped.includes(
            "fig5 not drawn: the data hold no pre-copy runs (xen-precopy, xen-precopy-policy, kvm-precopy)",
          ),
        );
        assert.deepEqual(result.written, [
          `${outDir}/six/f6.svg`,
          `${outDir}/f3.svg`,
          `${outDir}/notes/report.md`,
        ]);
        await assert.rejects(Deno.stat(`${outDir}/f5.svg`), Deno.errors.NotFound);
        const report = await Deno.readTextFile(`${outDir}/notes/report.md`);
        assert.equal(report, result.reportMarkdown);
        assert.ok(report.includes("- `six/f6.svg`: the same for KVM post-copy (T = M/B)."));
        assert.ok(
          report.endsWith(`\n## Skipped\n\n${result.skipped.map((l) => `- ${l}`).join("\n")}\n`),
        );
        assert.match(report, /> Data: measured, postcopy/);
        assert.equal(
          sameIds(await Deno.readTextFile(`${outDir}/six/f6.svg`)),
          sameIds(render(result.fig6!)),
        );
      },
    );

    await t.step(
      "measured runs that cannot be fitted: it refuses, naming each method's reason",
      async () => {
        const dir = `${root}/few/three`;
        await Deno.mkdir(dir, { recursive: true });
        const [header, ...rows] = (await Deno.readTextFile(`${DATA}runs.csv`)).trim().split("\n");
        await Deno.writeTextFile(
          `${dir}/runs.csv`,
          [header, ...rows.slice(0, 3)].join("\n") + "\n",
        );
        const error = await reproduceProject({ folders: [dir], resamples: 0, outDir: `${root}/o3` })
          .then(() => assert.fail("expected a NothingToFitError"), (e) => e);
        assert.ok(error instanceof NothingToFitError);
        assert.match(
          error.message,
          /^reproduceProject: invalid runs, expected at least one method/,
        );
        const methods = [...new Set(rows.slice(0, 3).map((row) => row.split(",")[0]!))];
        assert.deepEqual(Object.keys(error.notFitted).sort(), methods.sort());
        assert.equal(error.leftOut.length, 3);
        await assert.rejects(Deno.stat(`${root}/o3`), Deno.errors.NotFound);
      },
    );

    await t.step(
      "a dataset without a sidecar is named alone, with no empty parentheses",
      async () => {
        await writeMeasuredSubset(`${root}/bare/mydata`);
        await Deno.remove(`${root}/bare/mydata/runs.meta.json`);
        const result = await reproduceProject({ folders: [`${root}/bare/mydata`], resamples: 0 });
        assert.equal(result.source.description, "mydata");
        for (const figure of [result.fig6!, result.fig3]) {
          assert.ok(!/\(\s*\)/.test(figure.caption), figure.caption);
        }
        assert.match(result.fig6!.caption, /^Data: measured, mydata\. /);
        assert.match(result.reportMarkdown, /> Data: measured, mydata\.\n/);
      },
    );

    await t.step(
      "nothing is written without outDir, and a bad figure file is refused",
      async () => {
        const result = await reproduceProject({ synthetic: true, resamples: 0 });
        assert.deepEqual(result.written, []);
        await assert.rejects(
          reproduceProject({
            synthetic: true,
            resamples: 0,
            outDir: `${root}/out-bad`,
            figureFiles: { fig5: ["f5.pdf"], fig6: ["f6.svg"], fig3: ["f3.svg"] },
          }),
          new RangeError(
            'reproduceProject: invalid option "figureFiles.fig5", expected files ending in .svg or .png (got "f5.pdf")',
          ),
        );
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("reproduceProject() fits time on the datasets without the progress trace and the costs on all", async () => {
  const root = await Deno.makeTempDir();
  try {
    await writeMeasuredSubset(`${root}/plain`);
    // The post-copy rows of the noise grid: measured with the progress trace.
    const noise = new URL("../../data/qemu-tcg-1gbit-noise/", import.meta.url).pathname;
    const [header, ...rows] = (await Deno.readTextFile(`${noise}runs.csv`)).trim().split("\n");
    await Deno.mkdir(`${root}/traced`);
    const kept = rows.filter((row) => row.startsWith("kvm-postcopy,"));
    await Deno.writeTextFile(`${root}/traced/runs.csv`, [header, ...kept].join("\n") + "\n");
    const result = await reproduceProject({
      folders: [`${root}/plain`, `${root}/traced`],
      resamples: 0,
      outDir: `${root}/out`,
    });
    const { runs: plain } = await loadRuns(`${root}/plain/runs.csv`);
    const traced = result.costRuns.filter((r) => r.guestProgressRatio !== undefined);
    assert.ok(traced.length > 0 && plain.length > 0);
    // `runs` are the time fits' runs (the estimates are theirs), `costRuns` all of them.
    assert.equal(result.runs.length, plain.length);
    assert.equal(result.estimatesSeconds.length, plain.length);
    assert.ok(result.costRuns.length > plain.length);
    // The time fit used the plain runs only: as many as a fit of them alone.
    assert.equal(
      result.fits["kvm-postcopy"]!.runsUsed,
      fitContention(plain, { method: "kvm-postcopy", resamples: 0 }).runsUsed,
    );
    assert.ok(result.fits["kvm-postcopy"]!.runsUsed < plain.length + traced.length - 10);
    assert.ok(
      result.messages.some((m) =>
        /^traced: measured with the progress trace, .* not pooled into the time fits of plain/.test(
          m,
        )
      ),
      result.messages.join("\n"),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
