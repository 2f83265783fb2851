import assert from "node:assert/strict";
import { planLinkClass } from "./plan_link_class.ts";

Deno.test("planLinkClass() names a link by its nominal speed in Mbit/s", () => {
  // bytes/s × 8 / 1e6: 12.5e6 → 100, 1.25e9 → 10000, 125e6 / 3 → 333.333... (12 digits).
  assert.equal(planLinkClass(12.5e6), "100 Mbit/s");
  assert.equal(planLinkClass(62.5e6), "500 Mbit/s");
  assert.equal(planLinkClass(1.25e9), "10000 Mbit/s");
  assert.equal(planLinkClass(125e6 / 3), "333.333333333 Mbit/s");
  assert.equal(planLinkClass(125), "0.001 Mbit/s");
});

Deno.test("planLinkClass() gives one class to speeds that differ only by rounding", () => {
  // 0.3 Mbit/s written two ways: 37500 and 0.1 × 3 × 125000 (= 37500.00000000001 bytes/s).
  const rounded = 0.1 * 3 * 125000;
  assert.equal(rounded * 8 / 1e6, 0.30000000000000004);
  assert.equal(planLinkClass(rounded), "0.3 Mbit/s");
  assert.equal(planLinkClass(37500), "0.3 Mbit/s");
});

Deno.test("planLinkClass() refuses a speed that is not a finite number > 0", async (t) => {
  await t.step("not a number: TypeError", () => {
    assert.throws(() => planLinkClass("125e6" as unknown as number), {
      name: "TypeError",
      message:
        'planLinkClass: invalid input "bytesPerSecond", expected a finite number > 0 bytes/s (got "125e6")',
    });
  });
  for (const value of [0, -1, Number.NaN, Infinity]) {
    await t.step(`${value}: RangeError`, () => {
      assert.throws(() => planLinkClass(value), {
        name: "RangeError",
        message:
          `planLinkClass: invalid input "bytesPerSecond", expected a finite number > 0 bytes/s (got ${value})`,
      });
    });
  }
});
