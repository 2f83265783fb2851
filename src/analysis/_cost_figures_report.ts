// Private: the report's sections on Figures 1, 2, 4 and the noise figure
// (appended after the existing sections, which stay as they were).
import { markdownTable } from "../plot/markdown_table.ts";
import type { CostFigures } from "./cost_figures.ts";
import { MEASURED_RULE } from "./noise_errors.ts";
import { fileList, type ReproductionFigureFiles } from "./reproduction_report.ts";

/** What each figure shows, in the report's words. */
const WHAT: Record<"fig1" | "fig2" | "fig4" | "noise", [string, string]> = {
  fig1: [
    "Figure 1: CPU use over time",
    "CPU use (% of one core) on the source host of the migrating VM (the source QEMU's vCPU thread), the co-located load and the migration (QEMU's main loop and migration threads), one panel per method, at the paper's workload (WSS 64 MiB, 15,360 pages/s, CPU contention), the migration starting at 10 s. From each run's progress trace (`traces/<run>.progress.jsonl.gz`, /proc samples every 0.1 s).",
  ],
  fig2: [
    "Figure 2: downtime against the workload",
    "The guest-visible pause (source STOP to destination RESUME) of each method against the workload (WSS groups, dirty rate within each), (a) CPU and (b) network contention: mean of the repeats with their min–max, and `migrationDowntime` at each method's fitted B and factor: what is left at the switch over B plus the method's fixed switchover cost fitted to these pauses (`fitDowntime`, stated in the caption). Non-convergent runs have no pause and are counted in the caption.",
  ],
  fig4: [
    "Figure 4: migration time against the workload",
    "Migration time of each method against the workload, (a) CPU and (b) network contention, measured (mean, min–max) with the fitted models' lines (the fits above, at the requested WSS and rate).",
  ],
  noise: [
    "Migration noise: guest progress ratio against the workload",
    "How much work the migrating guest did during the migration against its undisturbed rate (1 = no slowdown), per method, against the workload, (a) CPU and (b) network contention.",
  ],
};

/** The sections, Markdown, starting with a blank line. */
export function costFiguresSection(
  figures: CostFigures,
  files: ReproductionFigureFiles,
  sourceText: string,
): string {
  const out: string[] = ["", "## Figures 1, 2 and 4 and migration noise", ""];
  for (const name of ["fig1", "fig2", "fig4", "noise"] as const) {
    const [title, what] = WHAT[name];
    out.push(`### ${title}`, "");
    const figure = figures[name];
    const list = files[name];
    if (!figure) {
      out.push(`Not drawn: ${figures.notDrawn[name] ?? "no data"}.`, "", what, "");
      continue;
    }
    out.push(`${list && list.length > 0 ? `${fileList(list)}: ` : ""}${what}`, "");
    if (name === "noise") out.push(...noiseSection(figures));
    if (name === "fig2") out.push(...downtimeSection(figures));
    out.push(sourceText, "");
  }
  return out.join("\n");
}

const r4 = (x: number) => Number.isFinite(x) ? Number(x.toPrecision(3)) : "n/a";

/** A cross-validated MAE, or why there is none in a few words. */
const cvCell = (e: { maeCv: number; cvFailed?: string }) =>
  e.cvFailed === undefined
    ? r4(e.maeCv)
    : /too few/.test(e.cvFailed)
    ? "n/a (too few runs per contention for the folds)"
    : `n/a (${e.cvFailed})`;

/** The noise figure's text: sources, medians, and the three models' parameters and errors. */
function noiseSection(figures: CostFigures): string[] {
  const { guest, colocated, blocktime, failed } = figures.noiseErrors;
  const out: string[] = [
    `**Measured and proxy.** The measured ratio is \`guest_progress_ratio\` (work in [0, T] over the baseline rate's). Runs without it (datasets collected before the progress trace) have the **proxy**: the guest's achieved dirty rate during the migration over the requested rate, which misses the pause and any slowdown of work other than writing; it is drawn (crosses) and fitted only where no measured ratio exists: ${MEASURED_RULE}. WSS 0 runs write nothing and are left out.`,
    "",
    "Median guest progress ratio per method and contention (all contentions, completed runs with a value):",
    "",
    markdownTable(figures.progressMedians.map((m) => ({
      method: m.method,
      contention: m.contention,
      runs: m.runs,
      "of which proxy": m.proxyRuns,
      "median ratio": m.median,
    }))),
    "",
  ];
  if (guest.length > 0) {
    out.push(
      "Guest progress model per method: the fit the figure draws (`fitNoise`, `progressSource: \"auto\"`) against the fit on the proxy alone (every run's achieved / requested rate), parameters with 95 % bootstrap intervals (given B), ratio MAE in sample and cross-validated (5 folds, B refitted per fold), and the proxy fit's MAE against the measured ratios:",
      "",
      markdownTable(guest.flatMap((g) => [
        {
          method: g.method,
          fit: `${g.fittedOn} (${g.auto.runs} runs)`,
          parameters: g.auto.parameters,
          "MAE in": r4(g.auto.maeIn),
          "MAE CV": cvCell(g.auto),
          "vs measured": "",
        },
        {
          method: g.method,
          fit: `proxy (${g.proxy.runs} runs; ${g.measuredRuns} have a measured ratio)`,
          parameters: g.proxy.parameters,
          "MAE in": r4(g.proxy.maeIn),
          "MAE CV": cvCell(g.proxy),
          "vs measured": r4(g.proxy.maeOnMeasured),
        },
      ])),
      "",
    );
  }
  if (colocated.length > 0) {
    out.push(
      "Co-located load (`colocatedProgress`, `fitColocated`): CPU hog 1 − κ·m/T (m: the source's migration CPU seconds, modelled per method from the bytes and T), iperf3 1 − (bytes/T)/C, memory 1; MAE of the ratio in sample and cross-validated per contention:",
      "",
      markdownTable(colocated.flatMap((c) =>
        c.byContention.map((row) => ({
          method: c.method,
          contention: row.contention,
          runs: row.runs,
          "MAE in": r4(row.maeIn),
          "MAE CV": cvCell(row),
          parameters: c.parameters[row.contention] ?? "n/a",
        }))
      )),
      "",
      "Where it holds: iperf3 keeps what the migration's stream leaves of the link, and the host memory dirtier loses nothing. The CPU hog does not follow its term: κ > 1 says it loses more than the migration's own threads use (the host's other load on its core between baseline and migration, and the kernel's network work for the migration, which the model does not see), and its error is ten times the others'.",
      "",
    );
  }
  if (blocktime.length > 0) {
    out.push(
      "Post-copy blocktime (`postcopyBlocktime`, `fitBlocktime`: working-set faults × their wait beyond the guest's pace + K/B for the faults outside the working set), seconds, in sample and cross-validated:",
      "",
      markdownTable(blocktime.map((b) => ({
        method: b.method,
        runs: b.runs,
        parameters: b.parameters,
        "MAE in (s)": r4(b.maeIn),
        "MAE CV (s)": cvCell(b),
        "p90 in (s)": r4(b.p90In),
        "p90 CV (s)": b.cvFailed ? "n/a" : r4(b.p90Cv),
      }))),
      "",
      ...blocktime.filter((b) => b.pairedRuns > 0).map((b) =>
        `${b.method}: over the ${b.pairedRuns} runs that measured both, the guest's lost time (\`guest_lost_seconds\`) has a median of ${
          r4(b.medianLostSeconds)
        } s and the blocktime ${
          r4(b.medianBlocktimeSeconds)
        } s: post-copy's slowdown is the vCPU waiting on pages, mostly pages outside the working set (K/B), which the progress model carries as its destination slowdown.`
      ),
      "",
    );
  }
  const failures = Object.entries(failed);
  if (failures.length > 0) {
    out.push(`Not fitted: ${failures.map(([what, why]) => `${what}: ${why}`).join("; ")}.`, "");
  }
  return out;
}

const ms = (seconds: number) =>
  Number.isFinite(seconds) ? Number((seconds * 1000).toPrecision(3)) : "n/a";

/** Figure 2's table: each method's fitted switchover cost and its pause errors, milliseconds. */
function downtimeSection(figures: CostFigures): string[] {
  const rows = Object.entries(figures.downtimeErrors.rows);
  if (rows.length === 0) {
    return [
      `No pause errors: ${figures.downtimeErrors.failed ?? "no method has measured pauses"}.`,
      "",
    ];
  }
  return [
    "Pause errors per method against the guest-visible pause, milliseconds (`downtimeErrors`: the fixed switchover cost fitted by `fitDowntime` on each method's B, with its 95 % bootstrap interval; cross-validated: 5 folds, B and the cost refitted per fold):",
    "",
    markdownTable(
      rows.map(([method, row]) => ({
        method,
        runs: row.inSample.count,
        "switchover cost": `${ms(row.switchoverSeconds.value)} [${ms(row.switchoverSeconds.low)}, ${
          ms(row.switchoverSeconds.high)
        }]`,
        "median pause": ms(row.inSample.medianMeasuredSeconds),
        "MAE in": ms(row.inSample.maeSeconds),
        "p90 in": ms(row.inSample.p90AbsoluteErrorSeconds),
        "MAE CV": ms(row.crossValidated.maeSeconds),
        "p90 CV": ms(row.crossValidated.p90AbsoluteErrorSeconds),
      })),
    ),
    "",
  ];
}
