/**
 * The error the dataset loaders and importers throw for bad dataset text.
 *
 * @module
 */

/** One problem found in a dataset: where it is, what was there, what was expected. */
export interface DatasetProblem {
  /** The file (or source name) the problem is in. */
  file: string;
  /** 1-based line, if the problem is tied to a line. */
  line?: number;
  /** 1-based character column where the offending field or token starts, if known. */
  column?: number;
  /** The column (field) name as written in the file, if the problem is about one. */
  field?: string;
  /** The offending value as read (text of a cell, or a JSON value). */
  value?: unknown;
  /** What was expected there. */
  expected: string;
  /** The whole problem as one line, `file:line: column "field": what, expected ...`. */
  message: string;
}

/**
 * Bad dataset text: the loader read it but cannot turn it into runs. It
 * lists every problem it found, up to a limit, each with file, line,
 * column, field, value and what was expected, so that a whole file can be
 * fixed in one pass. A subclass of `SyntaxError`.
 *
 * The message's first line says how many problems there are; each further
 * line is one problem, e.g.
 * `runs.csv:14: column "wss_bytes": -5 is negative, expected bytes >= 0`.
 *
 * @example Catching a dataset error
 * ```ts
 * import { DatasetError, parseRuns } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const text = "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds\n" +
 *   "kvm-precopy,none,1073741824,-5,100,3.2\n";
 * try {
 *   parseRuns(text, { fileName: "runs.csv" });
 *   assert.fail("expected a DatasetError");
 * } catch (error) {
 *   assert.ok(error instanceof DatasetError);
 *   assert.equal(error.problems[0]?.line, 2);
 *   assert.equal(
 *     error.problems[0]?.message,
 *     'runs.csv:2: column "wss_bytes": -5 is negative, expected bytes >= 0',
 *   );
 * }
 * ```
 */
export class DatasetError extends SyntaxError {
  /** The problems found, at most the loader's `maxProblems`. */
  readonly problems: readonly DatasetProblem[];
  /** How many problems there were in all (may exceed `problems.length`). */
  readonly problemCount: number;
  /** The file (or source name) the problems are in. */
  readonly file: string;

  /**
   * Makes the error from its problems.
   *
   * @param file The file (or source name).
   * @param problems The problems listed (at least one).
   * @param problemCount How many problems were found in all.
   * @param options The error's cause, if any.
   */
  constructor(
    file: string,
    problems: readonly DatasetProblem[],
    problemCount: number = problems.length,
    options?: ErrorOptions,
  ) {
    const head = `${file}: cannot load runs, ${problemCount} problem${
      problemCount === 1 ? "" : "s"
    }`;
    const more = problemCount > problems.length
      ? [`... and ${problemCount - problems.length} more (raise maxProblems to see them)`]
      : [];
    super([head, ...problems.map((p) => p.message), ...more].join("\n"), options);
    this.name = "DatasetError";
    this.problems = problems;
    this.problemCount = problemCount;
    this.file = file;
  }
}
