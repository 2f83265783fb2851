// Private: the report's sections on Figures 1, 2, 4 and the noise figure
// (appended after the existing sections, which stay as they were).
import { markdownTable } from "../plot/markdown_table.ts";
import type { CostFigures } from "./cost_figures.ts";
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
    if (name === "noise") {
      out.push(
        figures.noiseIsProxy
          ? "**Proxy.** These runs have no measured progress ratio (`guest_progress_ratio`, collected since the progress trace); the value drawn is the guest's achieved dirty rate during the migration over the requested rate, which misses the pause and any slowdown of work other than writing. WSS 0 runs write nothing and are left out."
          : "Measured: `guest_progress_ratio` (work in [0, T] over the baseline rate's).",
        "",
      );
      out.push(
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
      );
    }
    out.push(sourceText, "");
  }
  return out.join("\n");
}
