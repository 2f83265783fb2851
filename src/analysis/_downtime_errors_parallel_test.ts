import assert from "node:assert/strict";
import { downtimeErrors } from "../fit/downtime_errors.ts";
import { synthesizeRuns } from "../fit/synthetic.ts";
import { downtimeErrorsOnWorker } from "./_downtime_errors_parallel.ts";

// Synthetic, not measured: the paper's grid from the models, with noise.
const runs = synthesizeRuns({
  seed: 6,
  methods: ["kvm-postcopy", "kvm-precopy"],
  repeats: 2,
  factors: { none: 1, cpu: 0.9 },
  noise: 0.05,
});

Deno.test("downtimeErrorsOnWorker() gives the rows downtimeErrors() gives here", () => {
  const pending = downtimeErrorsOnWorker(runs, 3);
  try {
    let fellBack = false;
    const rows = pending.result(() => {
      fellBack = true;
      return { rows: {}, failed: "fell back" };
    });
    assert.equal(fellBack, false);
    assert.deepEqual(rows, { rows: downtimeErrors(runs, { folds: 3 }), failed: null });
    assert.deepEqual(Object.keys(rows.rows), ["kvm-postcopy", "kvm-precopy"]);
  } finally {
    pending.close();
  }
});

Deno.test("downtimeErrorsOnWorker() passes a RangeError on as costFigures says it", () => {
  const few = runs.filter((r) => r.method === "kvm-postcopy").slice(0, 1); // one pause: too few
  let message = "";
  assert.throws(() => downtimeErrors(few, { folds: 10 }), (error: unknown) => {
    message = (error as Error).message;
    return error instanceof RangeError;
  });
  const pending = downtimeErrorsOnWorker(few, 10);
  try {
    assert.deepEqual(pending.result(() => ({ rows: {}, failed: "fell back" })), {
      rows: {},
      failed: message,
    });
  } finally {
    pending.close();
  }
});
