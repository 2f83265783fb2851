// Cross-validation folds that refit the same time model on the same runs
// share it: the migration-time cross-validation of a method and the
// downtime one (and the reports that cross-validate a method again) deal the
// same folds from the same seed, so their training sets, and the fit of B on
// them, are often the same. A fit is a pure function of the training runs'
// contents and the resolved options, so the shared model is the one a refit
// would give, bit for bit (fold_fit_cache_test.ts checks it).
//
// The key is the options (without onProgress) and the training runs'
// contents (each run's JSON, interned once per crossValidate call), so a run
// changed between calls is a new key. Only plain fits (no extra term, whose
// result carries the excluded runs) and options without functions are
// cached; the cache keeps the last FOLD_FIT_CACHE.capacity models.
import type { MigrationRun } from "../data/types.ts";
import type { FittedModel, ResolvedFitOptions } from "./types.ts";

/** The cache's switch and counters (tests change `enabled`; `clear` empties it). */
export const FOLD_FIT_CACHE: {
  enabled: boolean;
  capacity: number;
  hits: number;
  misses: number;
  clear: () => void;
} = {
  enabled: true,
  capacity: 256,
  hits: 0,
  misses: 0,
  clear: () => {
    models.clear();
    runIds.clear();
    FOLD_FIT_CACHE.hits = 0;
    FOLD_FIT_CACHE.misses = 0;
  },
};

const models = new Map<string, FittedModel>();
// Each distinct run's JSON, as a short number.
const runIds = new Map<string, number>();
const MAX_RUN_IDS = 20_000; // about 20 MB of run JSON at most

/**
 * A fold fitter for one cross-validation: `fit(training)` as given, or the
 * model an earlier fold (of this or another cross-validation) fitted on runs
 * of the same contents with the same options.
 *
 * @param runs All runs of the cross-validation (indices refer to them).
 * @param options The resolved options of the fit.
 * @param fit Fits B on the training runs.
 */
export function sharedFoldFit(
  runs: readonly MigrationRun[],
  options: ResolvedFitOptions,
  fit: (training: number[]) => FittedModel,
): (training: number[]) => FittedModel {
  if (!FOLD_FIT_CACHE.enabled || options.extraTerm !== null) return fit;
  let plain = true;
  const optionKey = JSON.stringify({ ...options, onProgress: undefined }, (_key, value) => {
    if (typeof value === "function") plain = false;
    return value;
  });
  if (!plain) return fit;
  if (runIds.size > MAX_RUN_IDS) runIds.clear();
  let ids: Int32Array | null = null;
  const idOf = (i: number): number => {
    ids ??= new Int32Array(runs.length).fill(-1);
    if (ids[i]! < 0) {
      const text = JSON.stringify(runs[i]);
      let id = runIds.get(text);
      if (id === undefined) runIds.set(text, id = runIds.size);
      ids[i] = id;
    }
    return ids[i]!;
  };
  return (training) => {
    const key = `${optionKey}|${training.map(idOf).join(",")}`;
    const cached = models.get(key);
    if (cached) {
      FOLD_FIT_CACHE.hits++;
      models.delete(key); // most recently used last
      models.set(key, cached);
      return cached;
    }
    FOLD_FIT_CACHE.misses++;
    const model = fit(training);
    models.set(key, model);
    while (models.size > FOLD_FIT_CACHE.capacity) models.delete(models.keys().next().value!);
    return model;
  };
}
