/**
 * The error the reproduction throws when the data hold nothing it can fit.
 *
 * @module
 */

/** What {@linkcode NothingToFitError} carries: why each method and dataset could not be used. */
export interface NothingToFitErrorOptions extends ErrorOptions {
  /**
   * Each method of the data whose fit failed, with the fit's message.
   *
   * @default {{}}
   */
  notFitted?: Readonly<Record<string, string>>;
  /**
   * The contention groups left out of their method's fit, one sentence each.
   *
   * @default {[]}
   */
  leftOut?: readonly string[];
  /**
   * The datasets not used, one sentence each (marked synthetic, no completed
   * runs, a downtime limit sweep), or why there was no dataset at all.
   *
   * @default {[]}
   */
  unused?: readonly string[];
}

/**
 * The data hold nothing the reproduction can fit: no measured dataset with
 * completed runs, or no method whose fit succeeds (too few completed runs,
 * no baseline group). A `RangeError`; callers such as `deno task reproduce`
 * catch it to refuse in one line instead of drawing anything, and never
 * fall back to synthetic data. {@linkcode NothingToFitError.reasons} gives
 * each cause as one sentence.
 *
 * @example Why nothing was fitted
 * ```ts
 * import { NothingToFitError } from "./nothing_to_fit_error.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new NothingToFitError("reproduceFigures", {
 *   notFitted: { "kvm-precopy": "fitContention: no completed runs to fit" },
 *   leftOut: ["kvm-precopy / none: 1 completed run, a factor needs at least 2"],
 * });
 * assert.ok(error instanceof RangeError);
 * assert.equal(error.name, "NothingToFitError");
 * assert.equal(
 *   error.message,
 *   'reproduceFigures: invalid runs, expected at least one method that can be fitted (got {"kvm-precopy":"fitContention: no completed runs to fit"})',
 * );
 * assert.deepEqual(error.reasons, [
 *   "kvm-precopy: fitContention: no completed runs to fit",
 *   "left out kvm-precopy / none: 1 completed run, a factor needs at least 2",
 * ]);
 * ```
 */
export class NothingToFitError extends RangeError {
  /** Each method of the data whose fit failed, with the fit's message. */
  readonly notFitted: Readonly<Record<string, string>>;
  /** The contention groups left out of their method's fit. */
  readonly leftOut: readonly string[];
  /** The datasets not used, and why. */
  readonly unused: readonly string[];

  /**
   * Makes the error.
   *
   * @param where The function that found nothing to fit, for the message.
   * @param options Why each method and dataset could not be used, and a cause.
   */
  constructor(where: string, options: NothingToFitErrorOptions = {}) {
    const { notFitted = {}, leftOut = [], unused = [], cause } = options;
    super(
      unused.length > 0 && Object.keys(notFitted).length === 0
        ? `${where}: no measured dataset to fit, expected one with completed runs (got ${
          unused.join("; ")
        })`
        : `${where}: invalid runs, expected at least one method that can be fitted (got ${
          JSON.stringify(notFitted)
        })`,
      cause === undefined ? undefined : { cause },
    );
    this.name = "NothingToFitError";
    this.notFitted = notFitted;
    this.leftOut = leftOut;
    this.unused = unused;
  }

  /** Each cause as one sentence: the datasets not used, the methods not fitted, the groups left out. */
  get reasons(): string[] {
    return [
      ...this.unused,
      ...Object.entries(this.notFitted).map(([method, why]) => `${method}: ${why}`),
      ...this.leftOut.map((text) => `left out ${text}`),
    ];
  }
}
