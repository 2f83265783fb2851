import assert from "node:assert/strict";
import { minimize1d, PARABOLIC_WIDTH } from "./_search.ts";

function counted(f: (x: number) => number) {
  let calls = 0;
  return {
    f: (x: number) => {
      calls += 1;
      return f(x);
    },
    calls: () => calls,
  };
}

Deno.test("minimize1d() finds a smooth minimum to the tolerance in few evaluations", () => {
  const { f, calls } = counted((x) => (x - 0.123456789) ** 2 + 0.1 * (x - 0.123456789) ** 4);
  const result = minimize1d(f, -4, 4, 17, 1e-7, 200);
  assert.ok(Math.abs(result.x - 0.123456789) < 1e-7, `x ${result.x}`);
  assert.equal(result.converged, true);
  assert.ok(calls() <= 17 + 35, `${calls()} evaluations`);
});

Deno.test("minimize1d() takes the minimum at a jump over a nearby smooth local minimum", () => {
  // A smooth bowl with its vertex at 0; from x >= s on the objective drops by
  // `drop`, so the global minimum sits right at the jump, 2 % to the right of
  // the smooth local minimum (as a step of the pre-copy time makes it).
  const s = 0.02;
  const drop = 1.5 * s * s;
  const f = (x: number) => x * x - (x >= s ? drop : 0);
  const result = minimize1d(f, -3, 3, 17, 1e-7, 200);
  assert.ok(result.x >= s && result.x - s < 1e-6, `x ${result.x}`);
  assert.ok(Math.abs(result.value - (s * s - drop)) < 1e-6);
  // Parabolic steps alone (from the start) settle in the smooth minimum at 0.
  const parabolic = minimize1d(f, -3, 3, 17, 1e-7, 200, Infinity);
  assert.ok(Math.abs(parabolic.x) < 1e-6, `pure Brent x ${parabolic.x}`);
  assert.ok(PARABOLIC_WIDTH < s);
});

Deno.test("minimize1d() skips infinite values and reports a minimum at the range's end", () => {
  const inside = minimize1d((x) => x < -1 ? Infinity : (x - 0.5) ** 2, -3, 3, 17, 1e-7, 200);
  assert.ok(Math.abs(inside.x - 0.5) < 1e-7);
  assert.equal(inside.converged, true);
  const atEnd = minimize1d((x) => x, 0, 1, 17, 1e-7, 200);
  assert.equal(atEnd.x, 0);
  assert.equal(atEnd.converged, false);
});
