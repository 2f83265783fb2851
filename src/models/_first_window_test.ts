import assert from "node:assert/strict";
import fc from "fast-check";
import { firstWindowCode, stopsAtFirstCheck } from "./_first_window.ts";
import { newQemuOutput, qemuSwitch, type QemuSwitchOutput } from "./_qemu_switch.ts";
import { qemuInput, resolveKvmOptions } from "./kvm_precopy.ts";

const RANGE = [1.15e6, 2.37e6] as const;

/** The first window decided the long way: every end of the range run. */
function bruteForce(
  input: ReturnType<typeof qemuInput>,
): { code: 0 | 1 | 2; other: QemuSwitchOutput | null } {
  const run = (socketBufferBytes: number) =>
    qemuSwitch({ ...input, socketBufferBytes }, newQemuOutput());
  const given = run(input.socketBufferBytes);
  const early = stopsAtFirstCheck(input, given);
  const end = run(early ? RANGE[0] : RANGE[1]);
  if (stopsAtFirstCheck(input, end) === early) return { code: early ? 0 : 1, other: null };
  return { code: 2, other: end };
}

Deno.test("firstWindowCode() skips the other end only where running it changes nothing", () => {
  let skipped = 0; // stops at once, decided without running the low end
  let either = 0;
  fc.assert(
    fc.property(
      fc.double({ min: 2 ** 28, max: 2 ** 32, noNaN: true }),
      fc.constantFrom(0, 0.01, 0.1, 0.5, 0.85, 1),
      fc.constantFrom(0, 1024, 51200, 2e5),
      fc.double({ min: 5e7, max: 2e8, noNaN: true }),
      fc.double({ min: 0.85, max: 1.3, noNaN: true }),
      fc.boolean(),
      (memoryBytes, fraction, dirtyPagesPerSecond, b, scale, random) => {
        // Limits about where the whole memory fits a first reading, and beyond.
        const limit = (scale * memoryBytes) / (b + 1.7e7);
        const options = resolveKvmOptions("test", {
          downtimeLimitSeconds: limit,
          timeoutSeconds: 60,
          writePattern: random ? "random" : "sweep",
        });
        const wssBytes = Math.floor(fraction * memoryBytes);
        const input = qemuInput(memoryBytes, wssBytes, dirtyPagesPerSecond, b, 4096, 0, options);
        const out = qemuSwitch(input, newQemuOutput());
        const other = newQemuOutput();
        const code = firstWindowCode(input, out, RANGE, other);
        const expected = bruteForce(input);
        assert.equal(code, expected.code);
        if (expected.other !== null) assert.deepEqual(other, expected.other);
        // The input is left as given.
        assert.equal(input.socketBufferBytes, options.socketBufferBytes);
        // A stop at once decided without running the low end (the shortcut for a sweep).
        if (code === 0 && other.bitmapSyncs === 0) skipped++;
        if (code === 2) either++;
      },
    ),
    { numRuns: 300, seed: 14 },
  );
  // The property saw both: stops at once decided without the second run, and the zone.
  assert.ok(skipped > 30, `skipped ${skipped}`);
  assert.ok(either > 10, `either ${either}`);
});
