// Reads and checks the grid of sweep(): one axis per input field, laid out
// as a Cartesian product or as table columns.
import { showValue } from "../_validate.ts";
import type { SweepInputs } from "./sweep.ts";

/** The grid's fields in axis order, with their unit and whether 0 is out of range. */
export const FIELDS = [
  ["memoryBytes", "bytes", true],
  ["wssBytes", "bytes", false],
  ["dirtyPagesPerSecond", "pages/s", false],
  ["bandwidthBytesPerSecond", "bytes/s", true],
  ["pageBytes", "bytes", true],
  ["zeroBytes", "bytes", false],
] as const;

/** Checks one grid field: a number or an array of numbers in range. */
export function checkAxis(
  where: string,
  field: string,
  value: unknown,
  unit: string,
  positive: boolean,
): ArrayLike<number> {
  const values: ArrayLike<unknown> = typeof value === "number"
    ? [value]
    : (value !== null && typeof value === "object" && "length" in value)
    ? value as ArrayLike<unknown>
    : (() => {
      throw new TypeError(
        `${where}: invalid grid field "${field}", expected a number or an array of numbers (got ${
          showValue(value)
        })`,
      );
    })();
  if (values.length === 0) {
    throw new RangeError(
      `${where}: invalid grid field "${field}", expected at least one value (got [])`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const ok = typeof v === "number" && Number.isFinite(v) &&
      (positive ? v > 0 : v >= 0) && (field !== "pageBytes" || Number.isInteger(v));
    if (!ok) {
      const expected = field === "pageBytes"
        ? "an integer >= 1"
        : positive
        ? "a finite number > 0"
        : "a finite number >= 0";
      throw new RangeError(
        `${where}: invalid grid field "${field}" at index ${i}, expected ${expected} ${unit} (got ${
          showValue(v)
        })`,
      );
    }
  }
  return values as ArrayLike<number>;
}

/** The common length of table columns (a column of one value is repeated). */
export function columnLength(where: string, axes: ArrayLike<number>[]): number {
  const length = Math.max(...axes.map((axis) => axis.length));
  axes.forEach((axis, i) => {
    if (axis.length !== 1 && axis.length !== length) {
      throw new RangeError(
        `${where}: invalid grid field "${
          FIELDS[i]![0]
        }", expected ${length} values to match the other columns (got ${axis.length})`,
      );
    }
  });
  return length;
}

/** The value of one field (by axis index) at configuration i. */
export function valueAt(
  axes: ArrayLike<number>[],
  layout: "grid" | "columns",
  length: number,
  a: number,
  i: number,
): number {
  const axis = axes[a]!;
  if (layout === "columns") return axis.length === 1 ? axis[0]! : axis[i]!;
  let repeat = length;
  for (let b = 0; b <= a; b++) repeat /= axes[b]!.length;
  return axis[Math.floor(i / repeat) % axis.length]!;
}

/** The first configuration with W > M, or -1. */
export function firstWssOverMemory(
  axes: ArrayLike<number>[],
  layout: "grid" | "columns",
  length: number,
): number {
  const memory = axes[0]!;
  const wss = axes[1]!;
  if (layout === "columns") {
    for (let i = 0; i < length; i++) {
      const w = wss.length === 1 ? wss[0]! : wss[i]!;
      if (w > (memory.length === 1 ? memory[0]! : memory[i]!)) return i;
    }
    return -1;
  }
  // Grid: M varies slowest, W next; the rest of a configuration's index is 0.
  const perMemory = length / memory.length;
  const perWss = perMemory / wss.length;
  for (let m = 0; m < memory.length; m++) {
    for (let w = 0; w < wss.length; w++) {
      if (wss[w]! > memory[m]!) return m * perMemory + w * perWss;
    }
  }
  return -1;
}

/**
 * The input columns, one value per configuration. With `borrow` (the inputs
 * are not returned), a column given as a Float64Array of full length is read
 * in place instead of copied: callers such as the fits sweep the same runs
 * many times, and an allocation per column per call costs more than the model.
 */
export function expandInputs(
  axes: ArrayLike<number>[],
  layout: "grid" | "columns",
  length: number,
  borrow = false,
): SweepInputs {
  let columns: Float64Array[];
  if (layout === "columns") {
    columns = axes.map((axis) => {
      if (borrow && axis instanceof Float64Array && axis.length === length) return axis;
      const column = new Float64Array(length);
      if (axis.length === 1) column.fill(axis[0]!);
      else column.set(axis);
      return column;
    });
  } else {
    columns = axes.map(() => new Float64Array(length));
    // Row-major product: the last axis varies fastest, each value in a block of `repeat`.
    let repeat = length;
    axes.forEach((axis, a) => {
      const column = columns[a]!;
      repeat /= axis.length;
      for (let start = 0, v = 0; start < length; start += repeat, v = (v + 1) % axis.length) {
        column.fill(axis[v]!, start, start + repeat);
      }
    });
  }
  const [
    memoryBytes,
    wssBytes,
    dirtyPagesPerSecond,
    bandwidthBytesPerSecond,
    pageBytes,
    zeroBytes,
  ] = columns as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  return {
    memoryBytes,
    wssBytes,
    dirtyPagesPerSecond,
    bandwidthBytesPerSecond,
    pageBytes,
    zeroBytes,
  };
}

/** The first configuration with Z > M - W, or -1 (a scan, only when some Z > 0). */
export function firstZeroOverFree(
  axes: ArrayLike<number>[],
  layout: "grid" | "columns",
  length: number,
): number {
  const zero = axes[5]!;
  let any = false;
  for (let i = 0; i < zero.length; i++) if (zero[i]! > 0) any = true;
  if (!any) return -1;
  for (let i = 0; i < length; i++) {
    const z = valueAt(axes, layout, length, 5, i);
    if (z > 0 && z > valueAt(axes, layout, length, 0, i) - valueAt(axes, layout, length, 1, i)) {
      return i;
    }
  }
  return -1;
}
