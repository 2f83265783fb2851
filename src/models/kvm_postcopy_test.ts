import assert from "node:assert/strict";
import fc from "fast-check";
import { kvmPostcopy } from "./kvm_postcopy.ts";

const M = 1.5 * 2 ** 30;
const B = 125e6;

Deno.test("kvmPostcopy() is T = M/B whatever the workload", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 1, max: 2 ** 40, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
      fc.double({ min: 1, max: 1e11, noNaN: true }),
      (memoryBytes, fraction, dirtyPagesPerSecond, bandwidthBytesPerSecond) => {
        const result = kvmPostcopy({
          memoryBytes,
          wssBytes: fraction * memoryBytes,
          dirtyPagesPerSecond,
          bandwidthBytesPerSecond,
        });
        assert.equal(result.migrationTimeSeconds, memoryBytes / bandwidthBytesPerSecond);
        assert.equal(result.transferredBytes, memoryBytes);
        assert.equal(result.precopyTimeSeconds, 0);
      },
    ),
  );
});

Deno.test("kvmPostcopy() options set the pause and a first pre-copy pass", async (t) => {
  const input = {
    memoryBytes: M,
    wssBytes: 2 ** 28,
    dirtyPagesPerSecond: 5120,
    bandwidthBytesPerSecond: B,
  };
  await t.step("the default pause is 47 ms, the middle of the paper's 34.4-59.5 ms", () => {
    assert.equal(kvmPostcopy(input).downtimeSeconds, 0.047);
    assert.equal(kvmPostcopy(input, { switchoverSeconds: 0.0344 }).downtimeSeconds, 0.0344);
  });
  await t.step("after one pass the working set dirtied during it is sent again", () => {
    // First pass 12.884901888 s; p·d·t = 270 MB > W = 256 MiB, so W is sent again.
    const result = kvmPostcopy(input, { precopyPasses: 1 });
    assert.equal(result.transferredBytes, M + 2 ** 28);
    assert.equal(result.migrationTimeSeconds, (M + 2 ** 28) / B);
    assert.equal(result.precopyTimeSeconds, M / B);
  });
  await t.step("bad options", () => {
    // deno-lint-ignore no-explicit-any
    assert.throws(() => kvmPostcopy(input, { precopyPasses: 2 as any }), {
      name: "RangeError",
      message: 'kvmPostcopy: invalid option "precopyPasses", expected 0 or 1 (got 2)',
    });
    assert.throws(() => kvmPostcopy(input, { switchoverSeconds: NaN }), {
      name: "RangeError",
      message:
        'kvmPostcopy: invalid option "switchoverSeconds", expected a finite number >= 0 seconds (got NaN)',
    });
  });
});
