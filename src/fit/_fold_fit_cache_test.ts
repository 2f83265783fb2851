import assert from "node:assert/strict";
import { crossValidate } from "./cross_validate.ts";
import { FOLD_FIT_CACHE } from "./_fold_fit_cache.ts";
import { synthesizeRuns } from "./synthetic.ts";

// Synthetic, not measured: the paper's grid from the models, with noise.
const runs = synthesizeRuns({
  seed: 5,
  methods: ["kvm-precopy"],
  repeats: 2,
  factors: { none: 1, cpu: 0.9 },
  noise: 0.05,
});
const options = { method: "kvm-precopy", folds: 3, seed: 7 } as const;

function both() {
  return [
    crossValidate(runs, options),
    crossValidate(runs, { ...options, quantity: "downtimeSeconds" }),
  ];
}

Deno.test("crossValidate() shares a fold's fit of B and gives what refits give", () => {
  try {
    FOLD_FIT_CACHE.enabled = false;
    const refitted = both();
    FOLD_FIT_CACHE.enabled = true;
    FOLD_FIT_CACHE.clear();
    const shared = both();
    assert.equal(FOLD_FIT_CACHE.misses, 3); // the time cross-validation's folds
    assert.equal(FOLD_FIT_CACHE.hits, 3); // the downtime one's, the same training runs
    assert.deepEqual(shared, refitted);
  } finally {
    FOLD_FIT_CACHE.enabled = true;
    FOLD_FIT_CACHE.clear();
  }
});

Deno.test("crossValidate() refits when a run's contents changed", () => {
  FOLD_FIT_CACHE.clear();
  try {
    const before = crossValidate(runs, options);
    const changed = runs.map((r, i) =>
      i === 0 ? { ...r, migrationTimeSeconds: r.migrationTimeSeconds * 1.5 } : r
    );
    const after = crossValidate(changed, options);
    assert.equal(FOLD_FIT_CACHE.hits, 1); // the one fold whose training set lacks run 0
    assert.equal(FOLD_FIT_CACHE.misses, 5);
    assert.notDeepEqual(after.predictions, before.predictions);
  } finally {
    FOLD_FIT_CACHE.clear();
  }
});
