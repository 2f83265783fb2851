// Checks an array of MigrationRun and splits it into the runs a fit uses and
// the runs it leaves out (with reasons).
import { checkRuns as checkRunArray, showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import type { ExcludedRuns } from "./types.ts";

/**
 * Checks that `runs` is an array of objects. Returns the runs typed.
 *
 * @param where The public function's name.
 * @param runs The value to check.
 */
export function checkRuns(where: string, runs: unknown): MigrationRun[] {
  return checkRunArray(where, runs) as unknown as MigrationRun[];
}

/**
 * Checks the fields a model needs for the run at index `i`.
 *
 * @param where The public function's name.
 * @param run The run.
 * @param i Its index, for messages.
 */
export function checkRunInputs(where: string, run: MigrationRun, i: number): void {
  if (typeof run.method !== "string") {
    throw new TypeError(
      `${where}: invalid input "method" at run ${i}, expected a string (got ${
        showValue(run.method)
      })`,
    );
  }
  checkRunNumber(where, i, "memoryBytes", run.memoryBytes, "a finite number > 0 bytes");
  checkRunNumber(where, i, "wssBytes", run.wssBytes, "a finite number >= 0 bytes");
  checkRunNumber(
    where,
    i,
    "dirtyPagesPerSecond",
    run.dirtyPagesPerSecond,
    "a finite number >= 0 pages/s",
  );
  checkRunNumber(where, i, "pageBytes", run.pageBytes, "an integer >= 1 bytes");
  if (run.wssBytes > run.memoryBytes) {
    throw new RangeError(
      `${where}: invalid input "wssBytes" at run ${i}, expected bytes <= memoryBytes (${run.memoryBytes}) (got ${run.wssBytes})`,
    );
  }
  if (run.linkBandwidthBytesPerSecond !== undefined) {
    checkRunNumber(
      where,
      i,
      "linkBandwidthBytesPerSecond",
      run.linkBandwidthBytesPerSecond,
      "a finite number > 0 bytes/s",
    );
  }
}

function checkRunNumber(
  where: string,
  i: number,
  field: string,
  value: unknown,
  expected: string,
): void {
  const ok = typeof value === "number" &&
    (expected.startsWith("an integer")
      ? Number.isInteger(value) && value >= 1
      : expected.includes(">= 0")
      ? Number.isFinite(value) && value >= 0
      : Number.isFinite(value) && value > 0);
  if (ok) return;
  // The message is built only for a bad value (it costs more than the check).
  const message = `${where}: invalid input "${field}" at run ${i}, expected ${expected} (got ${
    showValue(value)
  })`;
  if (typeof value !== "number") throw new TypeError(message);
  throw new RangeError(message);
}

/**
 * The `method` option of a fit: a method name or a non-empty array of names,
 * as a fresh array; null when it is not given (every method).
 *
 * @throws {TypeError} When `method` is neither a string nor a non-empty array of strings.
 */
export function resolveMethodOption(where: string, method: unknown): string[] | null {
  if (method === undefined) return null;
  const list = typeof method === "string" ? [method] : method;
  if (!Array.isArray(list) || list.length === 0 || list.some((m) => typeof m !== "string")) {
    throw new TypeError(
      `${where}: invalid option "method", expected a method name or a non-empty array of names (got ${
        showValue(method)
      })`,
    );
  }
  return [...list];
}

/** The runs a fit uses and the ones it leaves out. */
export interface SelectedRuns {
  /** Indices (into the input array) of the completed runs of the selected methods. */
  indices: number[];
  /** Non-completed runs of the selected methods. */
  excluded: ExcludedRuns;
  /** Runs of other methods, not counted as excluded. */
  otherMethods: number;
}

/**
 * Keeps the completed runs of the selected methods; records every other
 * status as excluded. A completed run with a zero, negative or non-finite
 * time is an error, not an exclusion.
 *
 * @param where The public function's name.
 * @param runs The checked runs.
 * @param methods The methods to keep, or null for all.
 */
export function selectRuns(
  where: string,
  runs: MigrationRun[],
  methods: readonly string[] | null,
): SelectedRuns {
  const indices: number[] = [];
  const excluded: ExcludedRuns = { count: 0, byReason: {}, runs: [] };
  let otherMethods = 0;
  runs.forEach((run, i) => {
    if (typeof run.method !== "string") checkRunInputs(where, run, i);
    if (methods !== null && !methods.includes(run.method)) {
      otherMethods += 1;
      return;
    }
    if (run.status !== "completed") {
      const reason = `status ${showValue(run.status)}`;
      excluded.count += 1;
      excluded.byReason[reason] = (excluded.byReason[reason] ?? 0) + 1;
      excluded.runs.push({ index: i, reason });
      return;
    }
    const t = run.migrationTimeSeconds;
    if (typeof t !== "number") {
      throw new TypeError(
        `${where}: invalid input "migrationTimeSeconds" at run ${i}, expected a finite number > 0 seconds (got ${
          showValue(t)
        })`,
      );
    }
    if (!Number.isFinite(t) || t <= 0) {
      throw new RangeError(
        `${where}: invalid input "migrationTimeSeconds" at run ${i}, expected a finite number > 0 seconds (got ${t})`,
      );
    }
    checkRunInputs(where, run, i);
    indices.push(i);
  });
  if (indices.length === 0) {
    throw new RangeError(
      `${where}: no completed runs to fit, expected at least 2 runs with status "completed"${
        methods === null ? "" : ` and method ${methods.map((m) => `"${m}"`).join(" or ")}`
      } (got 0 of ${runs.length})`,
    );
  }
  return { indices, excluded, otherMethods };
}
