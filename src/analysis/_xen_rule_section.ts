// Private: the report's section on the Xen-rule runs (xen-precopy-policy)
// under the paper's accounting and QEMU's (issue #14, item 3).
import { markdownTable } from "../plot/markdown_table.ts";
import { CONTENTIONS } from "../data/schema.ts";
import type { XenRuleAccounting } from "./xen_rule_accounting.ts";

/** The section as Markdown lines; `sourceText` says where the runs came from. */
export function xenRuleSection(
  rows: readonly XenRuleAccounting[] | undefined,
  failed: string | undefined,
  sourceText: string,
): string[] {
  if (rows === undefined) {
    return failed === undefined ? [] : [
      "## Xen-rule pre-copy (QEMU): the paper's accounting and QEMU's\n",
      `Not compared: ${failed}.\n`,
    ];
  }
  const paper = rows.find((r) => r.accounting === "paper");
  const qemu = rows.find((r) => r.accounting === "qemu");
  if (paper === undefined || qemu === undefined) return [];
  // The vocabulary's contentions first, in its order, then any other group, then all.
  const known: string[] = CONTENTIONS.map((c) => c.name);
  const named = Object.keys(qemu.groups).filter((g) => g !== "all");
  const groups = [
    ...known.filter((k) => named.includes(k)),
    ...named.filter((g) => !known.includes(g)).sort(),
    "all",
  ];
  const lines = [
    "## Xen-rule pre-copy (QEMU): the paper's accounting and QEMU's\n",
    sourceText,
    "",
    "The `xen-precopy-policy` runs are QEMU's pre-copy driven by Xen's stop rules: QEMU iterates " +
    "under a 1 ms downtime limit, the collector polls `query-migrate` every 0.2 s and raises the " +
    "limit when `dirty-sync-count` >= 30, `transferred` > 3 x RAM or `remaining` < 50 pages. " +
    "The paper's accounting (`xenPrecopy`, its T_pre against the measured time) was the fits' " +
    "model for them before; QEMU's (`qemuXenRules`, the fits' model now) counts the pages on the " +
    "wire (p + 8 bytes, the run's zero pages at 9 bytes in the first pass), lets QEMU switch by " +
    "itself once a sync finds fewer pages than B x 1 ms, sees a rule half a poll after it holds " +
    "and takes it half of QEMU's 100 ms threshold update later, and includes the stop-and-copy. " +
    "B and the factors are refitted per accounting; 5-fold cross-validation, folds dealt within " +
    "each contention group.\n",
    markdownTable(groups.map((group) => ({
      contention: group,
      runs: qemu.groups[group]!.runs,
      "paper: in-sample MAPE (%)": paper.groups[group]?.inSampleMapePercent ?? NaN,
      "paper: cross-validated MAPE (%)": paper.groups[group]?.cvMapePercent ?? NaN,
      "QEMU: in-sample MAPE (%)": qemu.groups[group]!.inSampleMapePercent,
      "QEMU: cross-validated MAPE (%)": qemu.groups[group]!.cvMapePercent,
    }))),
    "",
    "The pause (guest-visible, source STOP to destination RESUME) is the model's stop-and-copy " +
    "plus a fixed switchover cost fitted per accounting (`fitDowntime`, the median; refitted per " +
    "fold out of sample); the stop reason is called at the fitted B x factor against the " +
    "collector's `xen_stop_reason` (the paper's model has no `qemu-1ms-limit`):\n",
    markdownTable(rows.map((r) => ({
      accounting: r.accounting === "paper" ? "paper (xenPrecopy)" : "QEMU (qemuXenRules)",
      "B (Mbit/s)": r.bandwidthBytesPerSecond * 8e-6,
      "switchover cost (s)": r.downtime?.switchoverSeconds.value ?? NaN,
      "pause MAE (s)": r.downtime?.inSample.maeSeconds ?? NaN,
      "pause p90 (s)": r.downtime?.inSample.p90AbsoluteErrorSeconds ?? NaN,
      "cross-validated pause MAE (s)": r.downtime?.crossValidated.maeSeconds ?? NaN,
      "cross-validated pause p90 (s)": r.downtime?.crossValidated.p90AbsoluteErrorSeconds ?? NaN,
      "stop reasons called right": `${r.stopCallsRight} of ${r.stopRuns}`,
    }))),
    "",
    "Stop reasons, measured -> QEMU's accounting:\n",
    markdownTable(Object.entries(qemu.stopCalls).map(([pair, runs]) => ({ pair, runs }))),
  ];
  lines.push("", ...missNote(qemu));
  return lines;
}

/** Where the model does not hold: the stops it cannot call. */
function missNote(qemu: XenRuleAccounting): string[] {
  const chance = Object.entries(qemu.stopCalls)
    .filter(([pair]) => pair.startsWith("few-dirty-pages ->") && !pair.endsWith("few-dirty-pages"));
  const count = chance.reduce((n, [, runs]) => n + runs, 0);
  if (count === 0) return [];
  const early = chance.filter(([pair]) => !pair.endsWith("qemu-1ms-limit"))
    .reduce((n, [, runs]) => n + runs, 0);
  return [
    `Where it does not hold: ${count} run${
      count === 1 ? "" : "s"
    } stopped on \`few-dirty-pages\` ` +
    `that the model calls otherwise (${
      chance.map(([pair, runs]) => `${runs} as ${pair.split(" -> ")[1]}`).join(", ")
    }). At the end of each pass QEMU's \`remaining\` falls to a few pages for a millisecond or ` +
    "two before the next sync; a poll that lands there stops the migration with the whole next " +
    "pass still to send. That is a coin toss per pass, not a state the model can follow. Where " +
    "the model has QEMU switch by itself the time is hardly affected; " +
    `the ${early} called \`transfer-limit\` or \`max-iterations\` ended many seconds before the ` +
    "model's stop and are its largest time errors.\n",
  ];
}
