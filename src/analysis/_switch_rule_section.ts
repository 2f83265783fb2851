// Private: the report's section on kvmPrecopy's QEMU switch rule against a
// measured downtime-limit sweep and the grid (issue #14).
import { markdownTable } from "../plot/markdown_table.ts";
import type { SwitchRuleReport } from "./analyze_reproduction.ts";
import { FREE_HOST_LOAD_AVERAGE } from "./switch_rule_validation.ts";

const seconds = (value: number | null) => (value === null ? "none" : `${+value.toPrecision(4)} s`);

/** The model's switch, or the zone where its outcome flips. */
function modelSwitchText(b: SwitchRuleReport["sweep"]["brackets"][number]): string {
  if (b.modelAlwaysConverges) return `converges from ${seconds(b.modelSwitchSeconds)} on`;
  const zone = b.modelZoneSeconds;
  if (zone === null || zone[1] < zone[0]) return seconds(b.modelSwitchSeconds);
  return `${seconds(b.modelSwitchSeconds)} (flips between ${+zone[0].toPrecision(4)} and ${
    seconds(zone[1])
  })`;
}

/** The model's chance to converge at the bracket's ends, as `0 / 1` (two decimals where it is neither). */
function chanceText(b: SwitchRuleReport["sweep"]["brackets"][number]): string {
  const text = (p: number | null) =>
    p === null ? "-" : p === 0 || p === 1 ? `${p}` : p.toFixed(p > 0.005 && p < 0.995 ? 2 : 4);
  return `${text(b.modelChanceSeconds[0])} / ${text(b.modelChanceSeconds[1])}`;
}

/** The section as Markdown lines; `sourceText` says where the sweep came from. */
export function switchRuleSection(report: SwitchRuleReport, sourceText: string): string[] {
  const { sweep } = report;
  const inside = sweep.brackets.filter((b) => b.inside).length;
  const calls = sweep.brackets.reduce((n, b) => n + b.callsRight, 0);
  const runs = sweep.brackets.reduce((n, b) => n + b.runs, 0);
  const lines = [
    "\n## KVM pre-copy: QEMU's switch rule against the measurements\n",
    `${sourceText} \`kvmPrecopy\` with QEMU's switch rule (the fits' and Figure 3's rule), ${
      report.bandwidthBytesPerSecond === undefined
        ? "at each run's measured throughput"
        : `at the fitted KVM pre-copy B = ${
          (report.bandwidthBytesPerSecond * 8e-6).toFixed(1)
        } Mbit/s (not fitted to the sweep)`
    } and each run's zero pages (\`zero_pages\` x page size). The model's pause is \`kvmPrecopy\`'s fixed ` +
    "switchover cost (the destination's load and resume, fitted on the grid) plus what is left at the stop " +
    "over B, with the zero pages where the traces show QEMU scanning them and the stop where QEMU's " +
    "scattering bandwidth reading puts it on average (the first 100 ms window that reads high enough; " +
    "`bandwidthReadingQuantiles`) (`KVM_PRECOPY_DEFAULTS`; " +
    "`docs/kvm-precopy-pause.md` reads the traces and gives each remaining miss its stop-and-copy rate " +
    "and bandwidth reading). The bracket is taken over all repeats: " +
    "below its low end no run converged, from its high end on every run did; limits between them, " +
    "where repeats disagree, are listed as mixed. The model's switch is found by bisection " +
    "(`kvmSwitchLimit`); near it the model's outcome can flip back and forth with the limit, as the repeats do, and the zone where it does is scanned; at the workload's median zero pages and dirty rate (and median throughput without a fixed B). " +
    "For random writes the switch is a matter of chance: each exact count finds a random number of new pages and QEMU's threshold " +
    "scatters with its bandwidth reading, so the model gives the chance to converge within the run's timeout " +
    "(`convergenceProbability`, P = 1 - prod(1 - q_i) over the exact counts), converges when P >= 0.5, and its switch is where P " +
    "crosses one half; the sweep writer's chance is 0 or 1. The chance column gives P at the bracket's two ends.\n",
    markdownTable(sweep.brackets.map((b) => ({
      workload: b.workload,
      runs: b.runs,
      "no run converged up to": seconds(b.lowSeconds),
      "mixed limits": b.mixedLimitsSeconds.length > 0
        ? b.mixedLimitsSeconds.map((l) => `${l} s`).join(", ")
        : "none",
      "every run converged from": seconds(b.highSeconds),
      "model switch": modelSwitchText(b),
      "model's chance to converge at the ends": chanceText(b),
      inside: b.inside ? "yes" : "**no**",
      "outcomes called right": `${b.callsRight} of ${b.runs}`,
    }))),
    "",
    `The model's switch lies inside ${inside} of ${sweep.brackets.length} brackets; it calls ` +
    `${calls} of ${runs} outcomes right; ${
      sweep.pauses.length - sweep.pauseMisses.length
    } of ${sweep.pauses.length} converged runs' pauses are within 10 % or 100 ms of the ` +
    `guest-visible pause${hostText(sweep.pauses, (p) => p.ok)}.`,
    ...oneOfLines(sweep.pauses),
  ];
  if (sweep.wrongCalls.length > 0) {
    lines.push("", "Outcomes called wrong:", "", ...sweep.wrongCalls.map((c) => `- ${c}`));
  }
  if (sweep.pauseMisses.length > 0) {
    lines.push(
      "",
      "Pauses outside 10 % or 100 ms:\n",
      markdownTable(sweep.pauseMisses.map((p) => ({
        workload: p.workload,
        "limit (s)": p.limitSeconds,
        run: p.run,
        "measured pause (s)": p.measuredSeconds,
        "model pause (s)": p.modelSeconds,
        "error (s)": p.modelSeconds - p.measuredSeconds,
        "first window": p.firstWindow ?? "",
        "model's other pause (s)": p.otherModelSeconds ?? "",
        host: p.freeHost === null ? "not recorded" : p.freeHost ? "free" : "loaded",
      }))),
    );
  }
  lines.push(...gridLines(report));
  return lines;
}

type Pause = SwitchRuleReport["sweep"]["pauses"][number];

/** The pauses the first window can send either way, and how many match one of the model's two. */
function oneOfLines(pauses: readonly Pause[]): string[] {
  const either = pauses.filter((p) => p.firstWindow === "either");
  if (either.length === 0) return [];
  const within = pauses.filter((p) => p.okOneOf).length;
  return [
    "",
    `At ${either.length} of these runs' limits QEMU's first bandwidth window decides the stop and the ` +
    'sittings\' readings (`socketBufferRangeBytes`) go either way (`firstWindow: "either"`): the ' +
    "migration stops at its first check, pausing for nearly the whole memory, or goes on and stops " +
    "later; the model gives both outcomes (`otherOutcome`), and which one a run gets is the " +
    `sitting's. Against the nearer of the two, ${within} of ${pauses.length} pauses are within ` +
    `10 % or 100 ms${hostText(pauses, (p) => p.okOneOf)}.`,
  ];
}

/** The pauses by the host's state: free (load recorded below the bound), loaded, not recorded. */
function hostText(pauses: readonly Pause[], ok: (p: Pause) => boolean): string {
  const part = (free: boolean | null) => {
    const mine = pauses.filter((p) => p.freeHost === free);
    return { within: mine.filter(ok).length, of: mine.length };
  };
  const free = part(true);
  const loaded = part(false);
  const unknown = part(null);
  if (free.of === 0) return "";
  return `: ${free.within} of ${free.of} measured on a free host (the run recorded a 1-minute load average below ${FREE_HOST_LOAD_AVERAGE}), ` +
    `${unknown.within} of ${unknown.of} from sittings that recorded no load (builds, tests and helpers ran beside ` +
    `them, their metadata says)${
      loaded.of > 0 ? `, ${loaded.within} of ${loaded.of} on a loaded host` : ""
    }`;
}

function gridLines(report: SwitchRuleReport): string[] {
  if (report.grid.length === 0) {
    return report.gridFailed === undefined
      ? []
      : ["", `On the fitted dataset the rules could not be compared: ${report.gridFailed}.`];
  }
  const lines = [
    "",
    "On the fitted dataset, KVM pre-copy under each rule (B and the factors refitted per rule; the " +
    "pause cross-validated with the switchover cost refitted per fold; outcomes called at the " +
    "fitted B with each run's limit and timeout):\n",
    markdownTable(report.grid.map((g) => ({
      "switch rule": g.switchRule,
      "B (Mbit/s)": g.bandwidthBytesPerSecond * 8e-6,
      "cross-validated time MAPE (%)": g.cvTimeMapePercent,
      "cross-validated pause MAE (s)": g.cvDowntimeMaeSeconds,
      "cross-validated pause p90 (s)": g.cvDowntimeP90Seconds,
      "outcomes called right": `${g.callsRight} of ${g.runs}`,
    }))),
  ];
  for (const g of report.grid) {
    if (g.wrongCalls.length === 0) continue;
    lines.push("", `Called wrong under ${g.switchRule}:`, "", ...g.wrongCalls.map((c) => `- ${c}`));
  }
  return lines;
}
