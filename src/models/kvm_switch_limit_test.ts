import assert from "node:assert/strict";
import { kvmPrecopy } from "./kvm_precopy.ts";
import { kvmSwitchLimit } from "./kvm_switch_limit.ts";

const input = {
  memoryBytes: 1.5 * 2 ** 30,
  wssBytes: 2 ** 27,
  dirtyPagesPerSecond: 51200,
  bandwidthBytesPerSecond: 125e6,
};

Deno.test("kvmSwitchLimit() brackets the switch within the tolerance", async (t) => {
  await t.step("between rounds: the switch is W/B (p·d > B, so every round resends W)", () => {
    const found = kvmSwitchLimit(input, { switchRule: "between-rounds", toleranceSeconds: 1e-6 });
    assert.ok(found.limitSeconds! - found.stuckSeconds! <= 1e-6);
    assert.ok(found.stuckSeconds! < 2 ** 27 / 125e6 && 2 ** 27 / 125e6 <= found.limitSeconds!);
  });
  await t.step("QEMU's rule: converges at the switch, not just below it", () => {
    const found = kvmSwitchLimit(input, { timeoutSeconds: 40, toleranceSeconds: 0.001 });
    const at = (limit: number) =>
      kvmPrecopy(input, { downtimeLimitSeconds: limit, timeoutSeconds: 40 }).converged;
    assert.equal(at(found.limitSeconds!), true);
    assert.equal(at(found.stuckSeconds!), false);
    assert.ok(found.evaluations >= 2 && found.evaluations <= 20);
  });
  await t.step("the range's ends: converges at once, or never", () => {
    const idle = { ...input, wssBytes: 0, dirtyPagesPerSecond: 0 };
    assert.deepEqual(kvmSwitchLimit(idle, { lowSeconds: 0.1 }), {
      limitSeconds: 0.1,
      stuckSeconds: null,
      evaluations: 1,
    });
    assert.deepEqual(kvmSwitchLimit(input, { highSeconds: 0.2, timeoutSeconds: 20 }), {
      limitSeconds: null,
      stuckSeconds: 0.2,
      evaluations: 2,
    });
  });
});

Deno.test("kvmSwitchLimit() rejects an empty range", () => {
  assert.throws(() => kvmSwitchLimit(input, { lowSeconds: 2, highSeconds: 1 }), {
    name: "RangeError",
    message:
      'kvmSwitchLimit: invalid option "highSeconds", expected seconds > lowSeconds (2) (got 1)',
  });
  assert.throws(() => kvmSwitchLimit(input, { toleranceSeconds: 0 }), {
    name: "RangeError",
    message:
      'kvmSwitchLimit: invalid option "toleranceSeconds", expected a finite number > 0 seconds (got 0)',
  });
});
