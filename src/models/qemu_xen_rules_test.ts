import assert from "node:assert/strict";
import fc from "fast-check";
import { QEMU_XEN_DEFAULTS, qemuXenRules } from "./qemu_xen_rules.ts";
import { sweep } from "./sweep.ts";

// A small guest on a link that sends 1000 normal pages a second on the wire:
// M = 1000 pages, B = 1000 x (4096 + 8) bytes/s.
const PAGE = 4096;
const WIRE = PAGE + 8;
const B = 1000 * WIRE;
const M = 1000 * PAGE;
/** The mean delay from a rule holding to the switch: half a poll, half a threshold update. */
const DELAY = QEMU_XEN_DEFAULTS.pollSeconds / 2 + QEMU_XEN_DEFAULTS.checkSeconds / 2;

const near = (actual: number, expected: number, what: string, tolerance = 1e-9) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} != ${expected}`,
  );

/** The mean pause pages over the writer's phase: unsent ∪ written within a working set of w. */
const meanUnion = (unsent: number, written: number, w: number) =>
  unsent + written - (unsent * written) / w;

Deno.test("qemuXenRules() stops for each of its reasons as worked by hand", async (t) => {
  await t.step("qemu-1ms-limit: the passes shrink until QEMU switches by itself", () => {
    // W = 100 pages at 50 pages/s: pass 1 = 1000 pages (1 s), pass 2 = 50 pages (0.05 s),
    // pass 3 = 2.5 pages (0.0025 s); then 0.125 pages are dirty, fewer than B x 1 ms
    // (1.002 pages), and QEMU sends them in the pause.
    const r = qemuXenRules({
      memoryBytes: M,
      wssBytes: 100 * PAGE,
      dirtyPagesPerSecond: 50,
      bandwidthBytesPerSecond: B,
    });
    assert.equal(r.stopReason, "qemu-1ms-limit");
    assert.equal(r.iterations, 3);
    assert.equal(r.bitmapSyncs, 5); // setup, after each pass, completion
    near(r.precopyTimeSeconds, 1 + 0.05 + 0.0025, "precopy");
    near(r.downtimeSeconds, 0.125 / 1000, "pause");
    near(r.migrationTimeSeconds, 1.052625, "time");
    near(r.transferredBytes, (1000 + 50 + 2.5 + 0.125) * WIRE, "bytes");
    near(r.remainingBytes, 0.125 * PAGE, "remaining");
    assert.deepEqual(r.rounds.map((x) => x.bytes), [1000 * WIRE, 50 * WIRE, 2.5 * WIRE]);
  });

  await t.step("transfer-limit: crossed in pass 5, taken in pass 6", () => {
    // W = 500 pages written at 2000 pages/s: every pass after the first is the whole
    // set (0.5 s). 3M = 12,288,000 bytes; after 4 passes 10,260,000 are sent (t = 2.5 s),
    // so the limit is crossed 2,028,000 / B s into pass 5 and taken DELAY later, in pass 6.
    const r = qemuXenRules({
      memoryBytes: M,
      wssBytes: 500 * PAGE,
      dirtyPagesPerSecond: 2000,
      bandwidthBytesPerSecond: B,
    });
    const stop = 2.5 + 2_028_000 / B + DELAY;
    const into = stop - 3; // seconds into pass 6
    const pending = meanUnion(500 - into * 1000, Math.min(500, 2000 * into), 500);
    assert.equal(r.stopReason, "transfer-limit");
    assert.equal(r.iterations, 6);
    assert.equal(r.bitmapSyncs, 8); // setup, 5 passes, the raised limit's count, completion
    near(r.precopyTimeSeconds, stop, "precopy");
    near(r.downtimeSeconds, pending / 1000, "pause");
    near(r.transferredBytes, (1000 + 4 * 500 + into * 1000 + pending) * WIRE, "bytes");
    assert.equal(r.rounds.length, 5);
  });

  await t.step("max-iterations: the 5th sync, taken in pass 5", () => {
    // Syncs: setup (t = 0), after pass 1 (1 s), 2 (1.5), 3 (2), 4 (2.5): the 5th holds
    // at 2.5 s and is taken at 2.65 s, 150 pages into pass 5; 300 pages written since.
    const r = qemuXenRules(
      {
        memoryBytes: M,
        wssBytes: 500 * PAGE,
        dirtyPagesPerSecond: 2000,
        bandwidthBytesPerSecond: B,
      },
      { maxIterations: 5, maxTransferFactor: 100 },
    );
    assert.equal(r.stopReason, "max-iterations");
    assert.equal(r.iterations, 5);
    assert.equal(r.bitmapSyncs, 7);
    near(r.precopyTimeSeconds, 2.5 + DELAY, "precopy");
    near(r.downtimeSeconds, meanUnion(350, 300, 500) / 1000, "pause");
    near(meanUnion(350, 300, 500), 440, "hand");
    near(r.migrationTimeSeconds, 2.65 + 0.44, "time");
  });

  await t.step("few-dirty-pages: a working set below 50 pages stays pending", () => {
    // W = 20 pages rewritten faster than sent: every pass is 20 pages (0.02 s), never
    // below B x 1 ms, always below 50 pages: the rule holds from the 2nd sync (1 s).
    const r = qemuXenRules({
      memoryBytes: M,
      wssBytes: 20 * PAGE,
      dirtyPagesPerSecond: 2000,
      bandwidthBytesPerSecond: B,
    });
    assert.equal(r.stopReason, "few-dirty-pages");
    near(r.precopyTimeSeconds, 1 + DELAY, "precopy");
    // Taken 10 ms into a 20 ms pass: 10 pages unsent, the whole set written since.
    near(r.downtimeSeconds, meanUnion(10, 20, 20) / 1000, "pause", 1e-6);
    assert.equal(r.iterations, 9); // the first pass, 7 of 20 pages, the one cut short
    assert.equal(r.bitmapSyncs, 11);
  });

  await t.step(
    "the rule at the 50 pages lets QEMU switch when the next pass is below its limit",
    () => {
      // W = 100 pages at 30 pages/s: after pass 1, 30 pages (< 50) are dirty, but pass 2
      // leaves 0.9 pages, fewer than B x 1 ms (1.002): QEMU switches before a poll can.
      const r = qemuXenRules({
        memoryBytes: M,
        wssBytes: 100 * PAGE,
        dirtyPagesPerSecond: 30,
        bandwidthBytesPerSecond: B,
      });
      assert.equal(r.stopReason, "qemu-1ms-limit");
      assert.equal(r.iterations, 2);
      near(r.migrationTimeSeconds, 1 + 0.03 + 0.0009, "time");
    },
  );
});

Deno.test("qemuXenRules() sends zero pages in 9 bytes in the first pass", () => {
  const zeroPages = 400;
  const r = qemuXenRules({
    memoryBytes: M,
    wssBytes: 0,
    dirtyPagesPerSecond: 0,
    bandwidthBytesPerSecond: B,
    zeroBytes: zeroPages * PAGE,
  });
  near(r.migrationTimeSeconds, (600 * WIRE + zeroPages * 9) / B, "time");
  assert.equal(r.stopReason, "qemu-1ms-limit");
  assert.equal(r.bitmapSyncs, 3);
  assert.equal(r.downtimeSeconds, 0);
});

Deno.test("qemuXenRules() checks its input and options", async (t) => {
  const input = { memoryBytes: M, wssBytes: 0, dirtyPagesPerSecond: 0, bandwidthBytesPerSecond: B };
  await t.step("options must be an object", () => {
    assert.throws(() => qemuXenRules(input, 5 as never), TypeError);
  });
  await t.step("intervals and the limit are seconds >= 0", () => {
    assert.throws(
      () => qemuXenRules(input, { pollSeconds: -1 }),
      (e: unknown) =>
        e instanceof RangeError &&
        e.message.startsWith('qemuXenRules: invalid option "pollSeconds"'),
    );
    assert.throws(() => qemuXenRules(input, { checkSeconds: Number.NaN }), RangeError);
    assert.throws(() => qemuXenRules(input, { downtimeLimitSeconds: "1" as never }), TypeError);
  });
  await t.step("Xen's constants are checked as xenPrecopy checks them", () => {
    assert.throws(
      () => qemuXenRules(input, { maxIterations: 0 }),
      (e: unknown) =>
        e instanceof RangeError &&
        e.message.includes('qemuXenRules: invalid option "maxIterations"'),
    );
  });
  await t.step("the input is checked", () => {
    assert.throws(
      () => qemuXenRules({ ...input, zeroBytes: 2 * M }),
      (e: unknown) => e instanceof RangeError && e.message.includes('"zeroBytes"'),
    );
  });
});

Deno.test('sweep("qemu-xen-rules") gives qemuXenRules\' numbers', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 2048 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 80000, noNaN: true }),
      fc.double({ min: 20e6, max: 200e6, noNaN: true }),
      (mib, wssShare, zeroShare, d, b) => {
        const memoryBytes = mib * 2 ** 20;
        const wssBytes = Math.floor(wssShare * memoryBytes / PAGE) * PAGE;
        const zeroBytes = Math.floor(zeroShare * (memoryBytes - wssBytes) / PAGE) * PAGE;
        const input = {
          memoryBytes,
          wssBytes,
          dirtyPagesPerSecond: d,
          bandwidthBytesPerSecond: b,
          zeroBytes,
        };
        const one = qemuXenRules(input);
        const many = sweep("qemu-xen-rules", input, { includeInputs: false });
        assert.equal(many.stopReasons[many.stopCode[0]!], one.stopReason);
        assert.equal(many.migrationTimeSeconds[0], one.migrationTimeSeconds);
        assert.equal(many.downtimeSeconds[0], one.downtimeSeconds);
        assert.equal(many.transferredBytes[0], one.transferredBytes);
        assert.equal(many.iterations[0], one.iterations);
        // The whole migration is pre-copy plus the pause, and at least the first pass.
        near(one.migrationTimeSeconds, one.precopyTimeSeconds + one.downtimeSeconds, "sum");
        const firstPass = ((memoryBytes - zeroBytes) / PAGE * WIRE + zeroBytes / PAGE * 9) / b;
        assert.ok(one.migrationTimeSeconds >= firstPass * (1 - 1e-12));
        assert.ok(one.downtimeSeconds * b <= wssBytes / PAGE * WIRE * (1 + 1e-9) + 1e-6);
      },
    ),
    { seed: 14, numRuns: 300 },
  );
});
