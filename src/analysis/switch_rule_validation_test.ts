import assert from "node:assert/strict";
import { loadRuns } from "../data/load_runs.ts";
import type { MigrationRun } from "../data/types.ts";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import { kvmSwitchLimit } from "../models/kvm_switch_limit.ts";
import { gridSwitchRules } from "./grid_switch_rules.ts";
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
  const data = new URL("../../data/", import.meta.url).pathname;
  const { runs } = await loadRuns(`${data}qemu-tcg-1gbit-downtime-limit/runs.csv`);
  const { runs: grid } = await loadRuns(`${data}qemu-tcg-1gbit/runs.csv`);
  // The B a user would take: KVM pre-copy's fitted on the grid (QEMU's rule, zero pages), 119.0 MB/s.
  const b = gridSwitchRules(grid, { switchRules: ["qemu"] })[0]!.bandwidthBytesPerSecond;
  assert.ok(Math.abs(b - 119e6) < 0.5e6);
  const all = switchRuleValidation(runs, { bandwidthBytesPerSecond: b });
  // The sweep-writing workloads (443 runs: 197 from loaded sittings, 41 repeats of the missed
  // configurations and 135 repeats of every other converging one in quiet sittings, 24 at
  // 11.25 and 11.75 s on a new machine, session 7, 24 at 10.75 and 12.5 s, session 8, and 22 at
  // 11 and 11.5 s on a third machine, session 9); the random-write runs are their own
  // workloads, below.
  const brackets = all.brackets.filter((x) => x.writePattern === "sweep");
  const names = new Set(brackets.map((x) => x.workload));
  const v = {
    brackets,
    pauses: all.pauses.filter((p) => names.has(p.workload)),
    pauseMisses: all.pauseMisses.filter((p) => names.has(p.workload)),
    wrongCalls: all.wrongCalls.filter((c) => c.includes(", sweep @")),
  };
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
  await t.step("brackets over the three repeats; the model's switch inside each", () => {
    assert.deepEqual(
      v.brackets.map((x) => [mib(x.wssBytes), x.lowSeconds, x.mixedLimitsSeconds, x.highSeconds]),
      [[0, null, [], 0.3], [128, 0.7, [], 0.75], [256, 1.3, [], 1.5], [512, 2.75, [], 3], [
        1315,
        7,
        [7.5],
        8,
      ]],
    );
    assert.deepEqual(v.brackets.map((x) => x.inside), [true, true, true, true, true]);
    assert.deepEqual(v.brackets.map((x) => x.modelAlwaysConverges), [
      true,
      false,
      false,
      false,
      false,
    ]);
    // Where the model's outcome flips (W/B would be 1.13, 2.26, 4.51 and 11.6 s), at each
    // workload's median zero pages and dirty rate: once at 0.729 s for 128 MiB, 2.862 s for 512
    // MiB; back and forth in 1.418-1.454 s and 7.263-7.394 s (1.425-1.457, 2.814-2.816 and
    // 7.263-7.394 s on the first 238 runs' medians, 1.421-1.430, 2.816-2.940 and 7.339-7.341 s on
    // the first 197; 7.261-7.394 s on the first 373, 7.263-7.394 s on the first 397, 7.353-7.381 s on the first 421).
    const zones = v.brackets.map((x) => x.modelZoneSeconds?.map((l) => +l.toFixed(3)) ?? null);
    assert.deepEqual(zones, [null, [0.729, 0.728], [1.418, 1.454], [2.862, 2.86], [
      7.352,
      7.35,
    ]]);
  });
  await t.step("outcomes: 441 of 443 right; the misses are repeats at the mixed 7.5 s", () => {
    assert.equal(v.brackets.reduce((n, x) => n + x.runs, 0), 443);
    assert.deepEqual(v.brackets.map((x) => x.runs - x.callsRight), [0, 0, 0, 0, 2]);
    assert.deepEqual(v.wrongCalls, [
      "WSS full, 51200 pages/s, sweep @ 7.5 s (run 3): measured non-convergent, model converged",
      "WSS full, 51200 pages/s, sweep @ 7.5 s (run 5): measured non-convergent, model converged",
    ]);
  });
  await t.step(
    "pauses: 348 of 386 within 10 % or 100 ms, 219 of 238 on a free host; 237 of 238 within of the nearer of two outcomes where the first window goes either way",
    () => {
      assert.equal(v.pauses.length, 386);
      const misses = v.brackets.map((x) =>
        v.pauseMisses.filter((p) => p.workload === x.workload).length
      );
      // The pause is the fixed switchover cost (0.024 s, fitted on the grid) plus what is left
      // at the stop over B, with the zero pages where the traces show QEMU scanning them and the
      // stop where QEMU's scattering bandwidth reading puts it on average. Misses from the loaded
      // sittings (no load recorded) are runs whose own stop-and-copy or reading was off B
      // (docs/kvm-precopy-pause.md). On a free host 17 miss, all between 11 and 11.75 s, where
      // QEMU's first bandwidth window stops some runs at once (a whole-memory pause of 12.3 s)
      // and not others (10.1-11.4 s): the model's first window (B + 2.3 MB over 0.1 s, from
      // session 6's sitting, where 7 of 9 runs at 11.5 s stopped at once) says "at once" from
      // 11.25 s for an idle guest and 11.5 s for the others, but on session 7's machine 1 of 12
      // runs at 11.75 s and 2 of 12 at 11.25 s did (out of sample: 13 of its 23 free-host runs
      // miss). Full at 11 s run 5 stopped on a high reading at 1.07 s. Session 8's 24 runs at
      // 10.75 and 12.5 s, either side of that zone, are all within; of session 9's 22 at 11 and
      // 11.5 s, full at 11.5 s runs 6 and 7 did not stop at once where the main outcome does.
      assert.deepEqual(misses, [13, 6, 3, 5, 11]);
      const id = (p: (typeof v.pauses)[number]) =>
        `${p.workload.split(",")[0]} @ ${p.limitSeconds} s/${p.run}`;
      const free = v.pauses.filter((p) => p.freeHost === true);
      assert.equal(free.length, 238);
      assert.deepEqual(free.filter((p) => !p.ok).map(id), [
        "WSS 0 MiB @ 11 s/4",
        "WSS 0 MiB @ 11.25 s/2",
        "WSS 0 MiB @ 11.25 s/3",
        "WSS 0 MiB @ 11.25 s/4",
        "WSS 0 MiB @ 11.5 s/2",
        "WSS 0 MiB @ 11.75 s/1",
        "WSS 0 MiB @ 11.75 s/3",
        "WSS 0 MiB @ 11.75 s/4",
        "WSS 128 MiB @ 11.5 s/4",
        "WSS 128 MiB @ 11.75 s/1",
        "WSS 128 MiB @ 11.75 s/3",
        "WSS 128 MiB @ 11.75 s/4",
        "WSS full @ 11 s/5",
        "WSS full @ 11.25 s/2",
        "WSS full @ 11.5 s/6",
        "WSS full @ 11.5 s/7",
        "WSS full @ 11.75 s/2",
        "WSS full @ 11.75 s/3",
        "WSS full @ 11.75 s/4",
      ]);
      // Every other miss is from a sitting that recorded no load.
      assert.ok(v.pauseMisses.every((p) => p.freeHost !== false));
      assert.equal(v.pauseMisses.filter((p) => p.freeHost === null).length, 19);
      // Where the first window can go either way (the first check stops the migration at one
      // end of socketBufferRangeBytes and not at the other: 58 free-host runs at 11-12 s), the
      // model gives the other outcome too. Against the nearer of the two every free-host pause
      // is within but full at 11 s run 5 ("continues": the high reading at 1.07 s); session 9's
      // 22 runs were predicted so before they ran (docs/kvm-precopy-pause.md).
      assert.equal(free.filter((p) => p.firstWindow === "either").length, 58);
      assert.deepEqual(free.filter((p) => !p.okOneOf).map(id), ["WSS full @ 11 s/5"]);
      assert.ok(free.filter((p) => !p.ok && p.okOneOf).every((p) => p.firstWindow === "either"));
      assert.deepEqual(
        v.brackets.map((x) => all.oneOfMisses.filter((p) => p.workload === x.workload).length),
        [4, 1, 3, 5, 4],
      );
      // The median relative pause error: 2.2 % over the 386 runs, 1.6 % on a free host.
      const median = (pauses: typeof v.pauses) => {
        const relative = pauses.map((p) => Math.abs(p.modelSeconds / p.measuredSeconds - 1))
          .sort((x, y) => x - y);
        return relative[Math.floor(relative.length / 2)]!;
      };
      assert.ok(median(v.pauses) > 0.021 && median(v.pauses) < 0.025, `${median(v.pauses)}`);
      assert.ok(median(free) > 0.015 && median(free) < 0.019, `${median(free)}`);
    },
  );
  await t.step(
    "random writes (33 runs): the chance to converge crosses one half inside 0.4-0.7 s and 1.5-2 s",
    () => {
      const random = all.brackets.filter((x) => x.writePattern === "random");
      // No run converged at 0.3 or 0.4 s (128 MiB) or 1.5 s (512 MiB); every run did at 0.5 and
      // 0.7 s, 2 and 3 s. The model's mean count at 0.5 s sits just above the threshold (its
      // deterministic switch was 0.512 s); with the count's scatter and QEMU's bandwidth reading
      // (1.2 % per window, the traces') the chance to converge within 40 s crosses one half at
      // 0.493 s for 128 MiB and 1.937 s for 512 MiB (1.961 s deterministic), so every call is right.
      // The quiet repeats (runs 4-6): one of three at 0.5 s did not converge, so 0.5 s is mixed.
      const row = (
        x: (typeof random)[number],
      ) => [mib(x.wssBytes), x.runs, x.lowSeconds, x.mixedLimitsSeconds, x.highSeconds, x.inside];
      assert.deepEqual(
        random.map(row),
        [
          [128, 18, 0.4, [0.5], 0.7, true],
          [512, 15, 1.5, [], 2, true],
        ],
      );
      assert.deepEqual(random.map((x) => x.callsRight), [17, 15]);
      assert.ok(Math.abs(random[0]!.modelSwitchSeconds! - 0.495) < 0.002);
      assert.ok(Math.abs(random[1]!.modelSwitchSeconds! - 1.958) < 0.002);
      for (const x of random) {
        assert.ok(x.modelChanceSeconds[0]! < 1e-9 && x.modelChanceSeconds[1]! > 1 - 1e-9);
      }
      assert.ok(all.pauses.filter((p) => p.workload.includes("random")).every((p) => p.ok));
      // The sweep writer's chance is 0 or 1.
      assert.ok(
        v.brackets.every((x) =>
          x.modelChanceSeconds.every((p) => p === null || p === 0 || p === 1)
        ),
      );
    },
  );
  await t.step("at each run's own throughput instead, 256 and 512 MiB fall outside", () => {
    // transferred / time understates B where a run waits (median 113 and 107 MB/s there):
    // the model then needs a larger limit than QEMU did (3.29-3.36 s for 512 MiB; 256 MiB came
    // back inside with the quiet repeats' throughputs in its median).
    const own = switchRuleValidation(runs);
    const sweep = own.brackets.filter((x) => x.writePattern === "sweep");
    assert.deepEqual(sweep.map((x) => x.inside), [true, true, true, false, true]);
    const wrong = own.wrongCalls.filter((c) => c.includes(", sweep @"));
    assert.equal(wrong.length, 18);
    const late = wrong.filter((c) => !c.endsWith("measured completed, model non-convergent"));
    assert.deepEqual(late, [
      "WSS full, 51200 pages/s, sweep @ 7.5 s (run 3): measured non-convergent, model converged",
      "WSS full, 51200 pages/s, sweep @ 7.5 s (run 5): measured non-convergent, model converged",
    ]);
  });
});
