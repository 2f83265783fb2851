/**
 * The link class of a nominal link speed: the key of a usable fraction.
 *
 * @module
 */

import { checkNumber } from "../_validate.ts";

/**
 * Names the class of a link from its nominal speed, in Mbit/s: the key under
 * which {@linkcode PlanParameters} (and `fitPlans`) keep the usable fraction
 * of every link of that speed. Links of one speed share one fraction, so a
 * cluster with 500 Mbit/s and 1 Gbit/s hosts has two.
 *
 * @param bytesPerSecond The link's nominal capacity, bytes/s.
 * @returns The class, e.g. `"500 Mbit/s"` for 62.5e6 bytes/s.
 * @throws {TypeError} If `bytesPerSecond` is not a number.
 * @throws {RangeError} If it is not finite and > 0.
 *
 * @example 500 Mbit/s and 1 Gbit/s
 * ```ts
 * import { planLinkClass } from "./plan_link_class.ts";
 * import assert from "node:assert/strict";
 * assert.equal(planLinkClass(62.5e6), "500 Mbit/s");
 * assert.equal(planLinkClass(125e6), "1000 Mbit/s");
 * ```
 */
export function planLinkClass(bytesPerSecond: number): string {
  checkNumber("planLinkClass", "input", "bytesPerSecond", bytesPerSecond, "positive", "bytes/s");
  return `${Number(((bytesPerSecond * 8) / 1e6).toPrecision(12))} Mbit/s`;
}
