import assert from "node:assert/strict";
import { loadRuns } from "../data/load_runs.ts";
import type { MigrationRun } from "../data/types.ts";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import { kvmSwitchLimit } from "../models/kvm_switch_limit.ts";
import { switchRuleValidation } from "./switch_rule_validation.ts";

// Hand-made SYNTHETIC runs (not measured): 1 GiB, W = 128 MiB, B = 125e6 bytes/s.
const input = {
  memoryBytes: 2 ** 30,
  wssBytes: 2 ** 27,
  dirtyPagesPerSecond: 51200,
  bandwidthBytesPerSecond: 125e6,
  pageBytes: 4096,
  zeroBytes: 0,
};
const SWITCH = kvmSwitchLimit(input, { timeoutSeconds: 60, lowSeconds: 0.01, highSeconds: 30 })
  .limitSeconds!;

function run(limit: number, status: string, extra: Partial<MigrationRun> = {}): MigrationRun {
  return {
    method: "kvm-precopy",
    contention: "none",
    memoryBytes: input.memoryBytes,
    wssBytes: input.wssBytes,
    dirtyPagesPerSecond: input.dirtyPagesPerSecond,
    pageBytes: 4096,
    migrationTimeSeconds: 10,
    status,
    downtimeLimitSeconds: limit,
    timeoutSeconds: 60,
    linkBandwidthBytesPerSecond: 125e6,
    extra: { source: "synthetic" },
    ...extra,
  };
}

Deno.test("switchRuleValidation() brackets the switch over all repeats", async (t) => {
  await t.step("a clean bracket around the model's switch is inside", () => {
    const v = switchRuleValidation([
      run(SWITCH * 0.9, "non-convergent"),
      run(SWITCH * 0.9, "non-convergent", { run: 2 }),
      run(SWITCH * 1.1, "completed"),
    ]);
    const [b] = v.brackets;
    assert.equal(v.brackets.length, 1);
    assert.equal(b!.lowSeconds, SWITCH * 0.9);
    assert.equal(b!.highSeconds, SWITCH * 1.1);
    assert.deepEqual(b!.mixedLimitsSeconds, []);
    assert.ok(Math.abs(b!.modelSwitchSeconds! - SWITCH) < 0.005);
    assert.equal(b!.inside, true);
    assert.equal(b!.callsRight, 3);
    assert.equal(b!.workload, "WSS 128 MiB, 51200 pages/s, sweep");
  });
  await t.step("repeats that disagree widen the bracket and are listed as mixed", () => {
    const v = switchRuleValidation([
      run(0.2 * SWITCH, "non-convergent"),
      run(0.5 * SWITCH, "non-convergent"),
      run(0.5 * SWITCH, "completed", { run: 2 }),
      run(0.8 * SWITCH, "completed"),
      run(0.8 * SWITCH, "non-convergent", { run: 2 }),
      run(2 * SWITCH, "completed"),
    ]);
    const [b] = v.brackets;
    assert.deepEqual(
      [b!.lastStuckSeconds, b!.firstConvergedSeconds, b!.lowSeconds, b!.highSeconds],
      [0.8 * SWITCH, 0.5 * SWITCH, 0.2 * SWITCH, 2 * SWITCH],
    );
    assert.deepEqual(b!.mixedLimitsSeconds, [0.5 * SWITCH, 0.8 * SWITCH]);
    assert.equal(b!.inside, true);
    // The model converges from SWITCH on: it misses the two runs that converged below it.
    assert.equal(b!.callsRight, 4);
    assert.equal(v.wrongCalls.length, 2);
    assert.match(
      v.wrongCalls[0]!,
      /@ [\d.]+ s \(run 2\): measured completed, model non-convergent/,
    );
  });
  await t.step("a switch outside the bracket is said so", () => {
    const v = switchRuleValidation([
      run(2 * SWITCH, "non-convergent"),
      run(3 * SWITCH, "completed"),
    ]);
    assert.equal(v.brackets[0]!.inside, false);
    assert.equal(v.brackets[0]!.callsRight, 1);
  });
  await t.step("write patterns are separate workloads", () => {
    const random = { extra: { write_pattern: "random" } };
    const v = switchRuleValidation([run(1, "completed"), run(1, "completed", random)]);
    assert.deepEqual(v.brackets.map((b) => [b.writePattern, b.runs]), [["sweep", 1], [
      "random",
      1,
    ]]);
  });
});

Deno.test("switchRuleValidation() compares pauses within 10 % or 100 ms", () => {
  const model = kvmPrecopy(input, { downtimeLimitSeconds: 2 * SWITCH, timeoutSeconds: 60 });
  const pause = model.downtimeSeconds;
  const v = switchRuleValidation([
    run(2 * SWITCH, "completed", { downtimeSeconds: pause + 0.09 }),
    run(2 * SWITCH, "completed", { downtimeSeconds: pause * 1.3 + 0.2, run: 2 }),
    run(2 * SWITCH, "non-convergent", { run: 3 }),
  ]);
  assert.equal(v.pauses.length, 2);
  assert.ok(Math.abs(v.pauses[0]!.modelSeconds - pause) < 1e-12);
  assert.deepEqual(v.pauses.map((p) => p.ok), [true, false]);
  assert.deepEqual(v.pauseMisses.map((p) => p.run), [2]);
  const loose = switchRuleValidation([run(2 * SWITCH, "completed", {
    downtimeSeconds: pause * 1.3 + 0.2,
  })], { pauseRelativeTolerance: 0.5 });
  assert.equal(loose.pauseMisses.length, 0);
});

Deno.test("switchRuleValidation() takes B and zero pages from the runs", () => {
  const zero = { extra: { zero_pages: 2 ** 16, throughput_bytes_per_second: 100e6 } };
  const v = switchRuleValidation([run(2 * SWITCH, "completed", { downtimeSeconds: 1, ...zero })]);
  const model = kvmPrecopy(
    { ...input, bandwidthBytesPerSecond: 100e6, zeroBytes: 2 ** 16 * 4096 },
    { downtimeLimitSeconds: 2 * SWITCH, timeoutSeconds: 60 },
  );
  assert.ok(Math.abs(v.pauses[0]!.modelSeconds - model.downtimeSeconds) < 1e-12);
  const fixed = switchRuleValidation([run(1, "completed")], { bandwidthBytesPerSecond: 1e9 });
  assert.equal(fixed.brackets[0]!.callsRight, 1);
});

Deno.test("switchRuleValidation() refuses bad input", () => {
  assert.throws(
    () => switchRuleValidation("runs" as never),
    new TypeError('switchRuleValidation: invalid runs, expected an array of runs (got "runs")'),
  );
  assert.throws(
    () => switchRuleValidation([], { pauseToleranceSeconds: -1 }),
    (e: unknown) => e instanceof RangeError && /pauseToleranceSeconds/.test(e.message),
  );
  assert.throws(
    () => switchRuleValidation([run(1, "completed", { linkBandwidthBytesPerSecond: undefined! })]),
    new RangeError(
      'switchRuleValidation: invalid run 0, expected a "throughput_bytes_per_second" or link bandwidth > 0 bytes/s (got undefined)',
    ),
  );
});

Deno.test("switchRuleValidation(): kvmPrecopy's QEMU rule on the committed downtime-limit sweep", async (t) => {
  const file = new URL("../../data/qemu-tcg-1gbit-downtime-limit/runs.csv", import.meta.url);
  const { runs } = await loadRuns(file.pathname);
  const v = switchRuleValidation(runs);
  const mib = (b: number) => Math.round(b / 2 ** 20);
  await t.step("brackets over the three repeats, and where the model's switch lies", () => {
    assert.deepEqual(
      v.brackets.map((b) => [mib(b.wssBytes), b.lowSeconds, b.mixedLimitsSeconds, b.highSeconds]),
      [[0, null, [], 0.3], [128, 0.7, [], 0.75], [256, 1.3, [], 1.5], [512, 2.75, [], 3], [
        1315,
        7,
        [7.5],
        8,
      ]],
    );
    // Inside for 0, 128 MiB and the full WSS (at 7.58 s, in the mixed zone 7-8 s); for
    // 256 MiB just above the bracket (1.52 s, bracket ends 1.5 s), for 512 MiB 12 % above
    // it (3.37 s): the model needs a larger limit than QEMU there.
    assert.deepEqual(v.brackets.map((b) => b.inside), [true, true, false, false, true]);
    assert.deepEqual(v.brackets.map((b) => b.modelAlwaysConverges), [
      true,
      false,
      false,
      false,
      false,
    ]);
    const at = v.brackets.map((b) => b.modelSwitchSeconds!);
    assert.ok(at[1]! > 0.72 && at[1]! < 0.74);
    assert.ok(at[2]! > 1.5 && at[2]! < 1.55);
    assert.ok(at[3]! > 3.3 && at[3]! < 3.45);
    assert.ok(at[4]! > 7.5 && at[4]! < 7.7);
  });
  await t.step(
    "outcomes: 181 of 197 right; every miss a run QEMU converged and the model not",
    () => {
      assert.equal(v.brackets.reduce((n, b) => n + b.runs, 0), 197);
      assert.deepEqual(v.brackets.map((b) => b.runs - b.callsRight), [0, 1, 3, 9, 3]);
      assert.ok(v.wrongCalls.every((c) => c.endsWith("measured completed, model non-convergent")));
    },
  );
  await t.step("pauses: 93 of 141 within 10 % or 100 ms; the misses, counted per workload", () => {
    assert.equal(v.pauses.length, 141);
    const misses = v.brackets.map((b) =>
      v.pauseMisses.filter((p) => p.workload === b.workload).length
    );
    // Idle (15 of 36) and 128 MiB (8 of 37): the model's pause is short, by 0.1-0.45 s at
    // limits up to 1.5 s and by up to 2.2 s at 3-12 s (D's reading: the zero pages the
    // guest has early are placed at the end of the pass; at 11-12 s QEMU's first 100 ms
    // bandwidth window counts the socket buffer's fill). 256 and 512 MiB: errors of both
    // signs up to 2.5 s near and above the switch. These are misses, not hidden.
    assert.deepEqual(misses, [15, 8, 8, 9, 8]);
    const idle = v.pauseMisses.filter((p) => p.workload.startsWith("WSS 0 MiB"));
    assert.ok(idle.every((p) => p.modelSeconds < p.measuredSeconds));
    const relative = v.pauses.map((p) => Math.abs(p.modelSeconds / p.measuredSeconds - 1))
      .sort((a, b) => a - b);
    // The median relative pause error over the 141 runs: 6.2 %.
    const middle = relative[Math.floor(relative.length / 2)]!;
    assert.ok(middle > 0.055 && middle < 0.07);
  });
});
