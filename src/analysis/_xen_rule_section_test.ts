import assert from "node:assert/strict";
import { xenRuleSection } from "./_xen_rule_section.ts";
import type { XenRuleAccounting } from "./xen_rule_accounting.ts";

/** A hand-made row: MAPE `base` % in every group, one miss of each kind given. */
function row(
  accounting: "paper" | "qemu",
  base: number,
  stopCalls: Record<string, number>,
): XenRuleAccounting {
  const group = (k: number) => ({
    runs: 10,
    inSampleMapePercent: base + k,
    cvMapePercent: base + k + 0.5,
  });
  const errors = {
    count: 40,
    maeSeconds: base / 10,
    p90AbsoluteErrorSeconds: base / 5,
    medianMeasuredSeconds: 0.04,
  };
  const right = Object.entries(stopCalls)
    .filter(([pair]) => pair.split(" -> ")[0] === pair.split(" -> ")[1])
    .reduce((n, [, runs]) => n + runs, 0);
  return {
    accounting,
    bandwidthBytesPerSecond: 118.5e6,
    groups: { memory: group(3), cpu: group(1), none: group(0), network: group(2), all: group(4) },
    downtime: {
      switchoverSeconds: { value: 0.035, low: NaN, high: NaN },
      inSample: errors,
      crossValidated: errors,
    },
    stopRuns: 40,
    stopCallsRight: right,
    stopCalls,
  };
}

Deno.test("xenRuleSection() tabulates both accountings in the report's contention order", () => {
  const qemuCalls = {
    "qemu-1ms-limit -> qemu-1ms-limit": 30,
    "transfer-limit -> transfer-limit": 6,
    "few-dirty-pages -> qemu-1ms-limit": 3,
    "few-dirty-pages -> transfer-limit": 1,
  };
  const lines = xenRuleSection(
    [row("paper", 4, { "qemu-1ms-limit -> few-dirty-pages": 40 }), row("qemu", 1, qemuCalls)],
    undefined,
    "Data: hand-made.",
  );
  const text = lines.join("\n");
  assert.ok(lines[0]!.startsWith("## Xen-rule pre-copy (QEMU)"));
  const rows = text.split("\n").filter((l) => /^\| (none|cpu|network|memory|all) \|/.test(l));
  assert.deepEqual(rows.map((l) => l.split(" | ")[0]), [
    "| none",
    "| cpu",
    "| network",
    "| memory",
    "| all",
  ]);
  assert.ok(text.includes("| none | 10 | 4 | 4.5 | 1 | 1.5 |"));
  assert.ok(
    text.includes("| QEMU (qemuXenRules) | 948 | 0.035 | 0.1 | 0.2 | 0.1 | 0.2 | 36 of 40 |"),
  );
  assert.ok(
    text.includes("| paper (xenPrecopy) | 948 | 0.035 | 0.4 | 0.8 | 0.4 | 0.8 | 0 of 40 |"),
  );
  assert.ok(
    text.includes(
      "4 runs stopped on `few-dirty-pages` that the model calls otherwise (3 as qemu-1ms-limit, 1 as transfer-limit)",
    ),
  );
  assert.ok(text.includes("the 1 called `transfer-limit` or `max-iterations`"));
});

Deno.test("xenRuleSection() says why when the comparison failed, and nothing without it", () => {
  assert.deepEqual(xenRuleSection(undefined, undefined, "Data."), []);
  const lines = xenRuleSection(undefined, "fitContention: no runs", "Data.");
  assert.equal(lines[1], "Not compared: fitContention: no runs.\n");
});
