// Private: collects dataset problems (up to a limit) and deduplicated warnings.

import { DatasetError, type DatasetProblem } from "./dataset_error.ts";
import type { DatasetWarning } from "./types.ts";

/** Shows a value in a problem message: strings quoted, others as JSON or String. */
export function showCell(value: unknown): string {
  if (typeof value === "string") {
    const short = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(short);
  }
  if (typeof value === "number") return String(value);
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
  } catch {
    return String(value);
  }
}

/** Where a problem or warning is. */
export interface Place {
  line?: number | undefined;
  column?: number | undefined;
  field?: string | undefined;
}

/** Formats `file:line[:column]`. */
export function location(file: string, place: Place, withColumn: boolean): string {
  let text = file;
  if (place.line !== undefined) text += `:${place.line}`;
  if (withColumn && place.line !== undefined && place.column !== undefined) {
    text += `:${place.column}`;
  }
  return text;
}

/** Collects problems and warnings for one source. */
export class Problems {
  readonly file: string;
  readonly limit: number;
  readonly list: DatasetProblem[] = [];
  count = 0;
  readonly #warnings = new Map<string, DatasetWarning>();

  constructor(file: string, limit: number) {
    this.file = file;
    this.limit = limit;
  }

  /**
   * Adds a problem. `what` describes what was found, `expected` what should be.
   * With a field: `file:line: column "field": what, expected ...`; without:
   * `file:line:column: what, expected ...`.
   */
  add(place: Place, what: string, expected: string, value?: unknown): void {
    this.count++;
    if (this.list.length >= this.limit) return;
    const where = place.field !== undefined
      ? `${location(this.file, place, false)}: column "${place.field}"`
      : location(this.file, place, true);
    const problem: DatasetProblem = {
      file: this.file,
      expected,
      message: `${where}: ${what}, expected ${expected}`,
    };
    if (place.line !== undefined) problem.line = place.line;
    if (place.column !== undefined) problem.column = place.column;
    if (place.field !== undefined) problem.field = place.field;
    if (value !== undefined) problem.value = value;
    this.list.push(problem);
  }

  /** True once the limit is reached (callers may stop scanning). */
  get full(): boolean {
    return this.list.length >= this.limit;
  }

  /** Adds a warning, merged with an earlier one of the same message. */
  warn(place: Place, message: string): void {
    const existing = this.#warnings.get(message);
    if (existing) {
      existing.count++;
      return;
    }
    const warning: DatasetWarning = {
      file: this.file,
      message: `${this.file}: ${message}`,
      count: 1,
    };
    if (place.line !== undefined) warning.line = place.line;
    if (place.field !== undefined) warning.field = place.field;
    this.#warnings.set(message, warning);
  }

  /** The warnings, in the order first seen. */
  get warnings(): DatasetWarning[] {
    return [...this.#warnings.values()];
  }

  /**
   * Adds another collector's problems after this one's (up to the limit, all
   * counted) and its warnings (merged with the same messages here).
   */
  append(other: Problems): void {
    for (const problem of other.list) {
      if (this.list.length >= this.limit) break;
      this.list.push(problem);
    }
    this.count += other.count;
    for (const [message, warning] of other.#warnings) {
      const existing = this.#warnings.get(message);
      if (existing) existing.count += warning.count;
      else this.#warnings.set(message, warning);
    }
  }

  /** Throws a DatasetError if any problem was added. */
  throwIfAny(): void {
    if (this.count > 0) throw new DatasetError(this.file, this.list, this.count);
  }

  /** Adds one problem and throws at once. */
  fail(place: Place, what: string, expected: string, value?: unknown): never {
    this.add(place, what, expected, value);
    throw new DatasetError(this.file, this.list, this.count);
  }
}
