import assert from "node:assert/strict";
import { loadRuns } from "../data/load_runs.ts";
import { KVM_PRECOPY_DEFAULTS, kvmPrecopy } from "../models/kvm_precopy.ts";
import { firstWindowRange } from "./first_window_range.ts";
import { gridSwitchRules } from "./grid_switch_rules.ts";

const M = 1.5 * 2 ** 30;
const B = 119e6;
/** A synthetic idle run: precopy seconds before a pause of `pause` seconds. */
const run = (limit: number, precopySeconds: number, pause = 12, extra = {}) => ({
  method: "kvm-precopy",
  contention: "none",
  memoryBytes: M,
  wssBytes: 0,
  dirtyPagesPerSecond: 0,
  pageBytes: 4096,
  status: "completed",
  downtimeLimitSeconds: limit,
  migrationTimeSeconds: precopySeconds + pause,
  qmpDowntimeSeconds: pause,
  downtimeSeconds: pause,
  timeoutSeconds: 40,
  extra: {},
  ...extra,
});

Deno.test("firstWindowRange(): each run's need is where the model starts to stop at once", () => {
  const range = firstWindowRange([run(11.5, 0.12), run(11.5, 1.9), run(11, 2.4)], {
    bandwidthBytesPerSecond: B,
  });
  assert.equal(range.runs.length, 3);
  // In the sweep's order: by limit.
  const [earlier, once, later] = range.runs;
  assert.deepEqual(range.runs.map((r) => [r.limitSeconds, r.stoppedAtOnce]), [
    [11, false],
    [11.5, true],
    [11.5, false],
  ]);
  // The same configuration needs the same socket buffer; a smaller limit needs more.
  assert.equal(once!.neededSocketBufferBytes, later!.neededSocketBufferBytes);
  assert.ok(earlier!.neededSocketBufferBytes > once!.neededSocketBufferBytes);
  const need = once!.neededSocketBufferBytes;
  const stops = (socketBufferBytes: number) =>
    kvmPrecopy(
      { memoryBytes: M, wssBytes: 0, dirtyPagesPerSecond: 0, bandwidthBytesPerSecond: B },
      {
        downtimeLimitSeconds: 11.5,
        timeoutSeconds: 40,
        socketBufferBytes,
      },
    ).precopyTimeSeconds < 0.2;
  assert.ok(stops(need) && !stops(need - 1e3));
  assert.equal(once!.neededReadingBytesPerSecond, B + need / 0.1);
  // Both outcomes at 11.5 s: the range is that one need.
  assert.equal(range.bothOutcomes, true);
  assert.equal(range.lowBytes, need);
  assert.equal(range.highBytes, need);
});

Deno.test("firstWindowRange(): runs the first window cannot decide are left out", () => {
  const range = firstWindowRange([
    run(0.5, 12, 0.5), // far below: never at once
    run(20, 0.11, 12.3), // the whole memory fits B x L: at once with no socket buffer
    run(11.5, 0.12, 12, { qmpDowntimeSeconds: undefined }), // QEMU's downtime not recorded
    run(11.5, 0.12, 12, { status: "non-convergent" }),
    run(11.5, 0.12, 12, { method: "kvm-postcopy" }),
  ], { bandwidthBytesPerSecond: B });
  assert.deepEqual(range, { runs: [], lowBytes: null, highBytes: null, bothOutcomes: false });
  assert.throws(
    () => firstWindowRange([], { maxSocketBufferBytes: 0 }),
    (e: unknown) => e instanceof RangeError && e.message.includes('"maxSocketBufferBytes"'),
  );
  assert.throws(() => firstWindowRange("runs" as never), TypeError);
});

Deno.test("firstWindowRange(): the committed sweep gives KVM_PRECOPY_DEFAULTS.socketBufferRangeBytes", async () => {
  const data = new URL("../../data/", import.meta.url).pathname;
  const { runs } = await loadRuns(`${data}qemu-tcg-1gbit-downtime-limit/runs.csv`);
  const { runs: grid } = await loadRuns(`${data}qemu-tcg-1gbit/runs.csv`);
  const b = gridSwitchRules(grid, { switchRules: ["qemu"] })[0]!.bandwidthBytesPerSecond;
  const range = firstWindowRange(runs, { bandwidthBytesPerSecond: b });
  assert.equal(range.bothOutcomes, true);
  // The default is the fit rounded outwards to 10 kB.
  const [low, high] = KVM_PRECOPY_DEFAULTS.socketBufferRangeBytes;
  assert.equal(low, Math.floor(range.lowBytes! / 1e4) * 1e4);
  assert.equal(high, Math.ceil(range.highBytes! / 1e4) * 1e4);
  // The ends: idle at 12 s (2026-12-01) did not stop at once, full at 11.25 s (session 7) did.
  const ends = range.runs.filter((r) =>
    r.neededSocketBufferBytes === range.lowBytes || r.neededSocketBufferBytes === range.highBytes
  ).map((r) => `${r.workload.split(",")[0]} @ ${r.limitSeconds} s/${r.run}: ${r.stoppedAtOnce}`);
  assert.ok(ends.includes("WSS 0 MiB @ 12 s/3: false"), ends.join("; "));
  assert.ok(ends.includes("WSS full @ 11.25 s/2: true"), ends.join("; "));
});
