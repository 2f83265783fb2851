// Runs the collector's concurrent mode for real: one plan of two QEMU
// migrations that share host a's shaped uplink, read back with loadPlans and
// predicted with simulatePlan. In CI (CI=true) it must run; elsewhere it runs
// when root and QEMU >= 9 are available (COLLECT_TEST=skip skips it).

import assert from "node:assert/strict";
import { loadPlans, simulatePlan } from "../plans/mod.ts";
import { collectConcurrent } from "./collect_concurrent.ts";
import { concurrentPlans } from "./concurrent_plans.ts";
import { parseRunsCsv } from "./parse_runs_csv.ts";

function qemuMajor(): number {
  try {
    const out = new Deno.Command("qemu-system-x86_64", { args: ["--version"], stdout: "piped" })
      .outputSync();
    return Number(/version (\d+)/.exec(new TextDecoder().decode(out.stdout))?.[1] ?? "0");
  } catch {
    return 0;
  }
}

const inCi = Deno.env.get("CI") === "true";
const missing = [
  ...(Deno.uid() === 0 ? [] : ["root"]),
  ...(qemuMajor() >= 9 ? [] : ["QEMU >= 9"]),
];
const skip = !inCi && (missing.length > 0 || Deno.env.get("COLLECT_TEST") === "skip");
if (skip) {
  console.error(
    `collect_concurrent_test: skipping the real QEMU run: ${
      missing.length > 0 ? `needs ${missing.join(" and ")}` : "COLLECT_TEST=skip"
    }`,
  );
}

/**
 * Largest relative error of simulatePlan at the nominal link rate, per
 * migration and for the makespan, when the link limits. TCP does not share a
 * tbf fairly at once: the second migration's flow can take seconds to get its
 * half (the first one's flow holds the queue), so the first may finish early
 * (+0 to +44 % against the fair share in the runs of 2026-12-01). The
 * makespan is the steady figure (-1.4 to -4.0 %) and the check that the link
 * is shared: a model without sharing gives about -29 % for this plan.
 */
const TOLERANCE = 0.6;
const MAKESPAN_TOLERANCE = 0.1;
/** The source QEMU's migration CPU over the migration's time above which the CPU limited. */
const CPU_LIMITED = 0.9;

Deno.test({
  name: "collectConcurrent() runs two migrations over a shared uplink that simulatePlan predicts",
  ignore: skip,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const out = await Deno.makeTempDir({ prefix: "collect-concurrent-test-" });
    try {
      const plans = concurrentPlans({ shapes: ["shared-uplink"], staggerSeconds: 4 });
      const result = await collectConcurrent({
        outDir: out,
        plans,
        baselineSeconds: 3,
        afterSeconds: 1,
        timeoutSeconds: 60,
        log: (line) => console.error(line),
      });
      assert.equal(result.ran, 1);
      const rows = parseRunsCsv(await Deno.readTextFile(`${out}/runs.csv`));
      assert.deepEqual(rows.map((r) => [r.plan, r.plan_migration, r.status]), [
        ["shared-uplink-s4-r1", "m1", "completed"],
        ["shared-uplink-s4-r1", "m2", "completed"],
      ]);
      const [plan] = await loadPlans(`${out}/migrations.csv`);
      assert.ok(plan !== undefined);
      // The second starts about 4 s after the first and the two overlap.
      const [m1, m2] = plan.migrations;
      assert.ok(Math.abs(m2!.startSeconds - m1!.startSeconds - 4) < 1, JSON.stringify(plan));
      assert.ok(m1!.startSeconds + m1!.migrationTimeSeconds! > m2!.startSeconds);
      const simulated = simulatePlan(plan);
      for (const [k, m] of plan.migrations.entries()) {
        const predicted = simulated.migrations[k]!.migrationTimeSeconds;
        const error = predicted / m.migrationTimeSeconds! - 1;
        const cpu = Number(m.extra.source_migration_cpu_fraction);
        console.error(
          `collect_concurrent_test: ${m.id} measured ${m.migrationTimeSeconds} s, simulated ${
            predicted.toFixed(2)
          } s (${(100 * error).toFixed(1)} %), source migration CPU ${cpu} of the time`,
        );
        if (cpu > CPU_LIMITED) {
          console.error(
            `collect_concurrent_test: ${m.id} was CPU-limited; its error is not a test`,
          );
          continue;
        }
        assert.ok(Math.abs(error) <= TOLERANCE, `${m.id}: error ${(100 * error).toFixed(1)} %`);
      }
      const measuredMakespan = Math.max(
        ...plan.migrations.map((m) => m.startSeconds + m.migrationTimeSeconds!),
      ) - Math.min(...plan.migrations.map((m) => m.startSeconds));
      const makespanError = simulated.makespanSeconds / measuredMakespan - 1;
      console.error(
        `collect_concurrent_test: makespan measured ${measuredMakespan.toFixed(2)} s, simulated ${
          simulated.makespanSeconds.toFixed(2)
        } s (${(100 * makespanError).toFixed(1)} %)`,
      );
      assert.ok(Math.abs(makespanError) <= MAKESPAN_TOLERANCE, `makespan ${makespanError}`);
      // Resuming runs nothing.
      const again = await collectConcurrent({ outDir: out, plans, log: () => {} });
      assert.equal(again.ran, 0);
      assert.equal(again.skipped, 1);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
