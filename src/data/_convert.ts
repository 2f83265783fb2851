// Private: the conversion of raw records (cells from CSV/TSV or values from
// JSON) into MigrationRun rows, by the plan of their header (_columns.ts).
// Pure; problems and warnings go to a Problems collector.

import { DEFAULT_PAGE_BYTES } from "../units.ts";
import {
  type FieldPlan,
  type Plan,
  planColumns,
  type RawHeader,
  SLOT,
  type TypedColumn,
} from "./_columns.ts";
import { NOT_FINITE_TEXT, NUMBER_TEXT, plainDecimal, WITH_UNIT_TEXT } from "./_decimal.ts";
import type { Problems } from "./_problems.ts";
import { type Place, showCell } from "./_problems.ts";
import { type RunField, TYPED_COLUMNS } from "./schema.ts";
import type { MigrationRun, UnitConversion } from "./types.ts";

export type { RawHeader } from "./_columns.ts";

const LABEL = /^[A-Za-z0-9][A-Za-z0-9 ._+/:-]{0,63}$/;
/**
 * How many distinct accepted labels a column remembers for its fast path (a
 * few compared in turn beat a hash lookup of a new string).
 */
const LABELS_REMEMBERED = 8;

/** One raw record: its values aligned with the header, and where it is. */
export interface RawRecord {
  line: number;
  values: unknown[];
  /** Where the record starts in the text (CSV/TSV), to find its columns for messages. */
  start?: number;
}

/** What convertRecords returns. */
export interface Converted {
  runs: MigrationRun[];
  conversions: UnitConversion[];
  notCompleted: number[];
  /** The 1-based line where each run starts, aligned with `runs`. */
  lines: number[];
}

/**
 * Converts records into runs. Returns the runs and the indices of those whose
 * status is not "completed"; every problem goes to `problems`.
 */
export function convertRecords(
  header: RawHeader,
  records: Iterable<RawRecord>,
  problems: Problems,
  columnsOf?: (record: RawRecord) => number[],
): Converted {
  const { plans, conversions, fatal } = planColumns(header, problems);
  const runs: MigrationRun[] = [];
  const notCompleted: number[] = [];
  const lines: number[] = [];
  if (fatal) return { runs, conversions, notCompleted, lines };
  const byField = new Map<RunField, FieldPlan>();
  for (const plan of plans) if (plan.type === "field") byField.set(plan.spec.field, plan);
  const defaultStatus = byField.has("status") ? undefined : "completed";
  const width = plans.length;
  // One row's schema values, by slot; reused from row to row.
  const slots: Slots = TYPED_COLUMNS.map(() => undefined);
  let objectsStringified = false;
  for (const record of records) {
    if (record.values.length !== width) {
      problems.add(
        { line: record.line },
        `row has ${record.values.length} field${record.values.length === 1 ? "" : "s"}`,
        `${width} (one per header column)`,
      );
      continue;
    }
    // A plain loop: slots.fill(undefined) sent V8 into a deoptimization loop here.
    for (let k = 0; k < slots.length; k++) slots[k] = undefined;
    const extra: Record<string, string | number> = {};
    let ok = true;
    for (let i = 0; i < width; i++) {
      const plan = plans[i] as Plan;
      const value = record.values[i];
      if (plan.type === "extra") {
        if (value === null || value === undefined || value === "") continue;
        if (typeof value === "number") setExtra(extra, plan.name, value);
        else if (typeof value === "string") {
          const number = plainDecimal(value);
          if (!Number.isNaN(number)) {
            setExtra(extra, plan.name, number);
            continue;
          }
          const first = value.charCodeAt(0) | 0x20; // lower case
          if (first >= 97 && first <= 122) {
            // Starts with a letter: text, as written (not blank, not a number).
            setExtra(extra, plan.name, value);
            continue;
          }
          const text = value.trim();
          if (text === "") continue;
          setExtra(extra, plan.name, NUMBER_TEXT.test(text) ? Number(text) : value);
        } else if (typeof value === "boolean") setExtra(extra, plan.name, String(value));
        else {
          setExtra(extra, plan.name, JSON.stringify(value));
          if (!objectsStringified) {
            objectsStringified = true;
            problems.warn(
              { line: record.line, field: plan.name },
              `column "${plan.name}" holds JSON objects or arrays; kept in extra as JSON text`,
            );
          }
        }
        continue;
      }
      const quick = quickCell(plan, value);
      const parsed = quick !== NEEDS_CHECKS
        ? quick
        : parseCell(plan, value, record, i, problems, columnsOf);
      if (parsed === false) ok = false;
      else slots[plan.slot] = parsed;
    }
    if (!ok) continue;
    const run = finishRun(slots, extra, defaultStatus, byField, record, problems);
    if (run === undefined) continue;
    if (run.status !== "completed") notCompleted.push(runs.length);
    runs.push(run);
    lines.push(record.line);
  }
  return { runs, conversions, notCompleted, lines };
}

/** One row's schema values by slot (see SLOT); `undefined` where empty or absent. */
type Slots = (number | string | undefined)[];

/** What {@linkcode quickCell} returns for a cell that needs {@linkcode parseCell}. */
const NEEDS_CHECKS = Symbol("needs checks");

/**
 * The fast paths of {@linkcode parseCell}, for the usual cells: empty, a
 * plain decimal number in range in a number column, "full" WSS, a label
 * accepted before. Returns what parseCell would, or NEEDS_CHECKS.
 */
function quickCell(
  plan: FieldPlan,
  value: unknown,
): number | string | undefined | typeof NEEDS_CHECKS {
  if (typeof value !== "string") return NEEDS_CHECKS;
  if (value === "") return undefined;
  const quick = plan.quick;
  if (quick.label) {
    for (const label of plan.labels) if (label === value) return label;
    return NEEDS_CHECKS;
  }
  const number = plainDecimal(value);
  if (
    Number.isFinite(number) && (!quick.integer || Number.isInteger(number)) &&
    (number > 0 || (number === 0 && !quick.positive))
  ) {
    const si = quick.divisor !== 1 ? number / quick.divisor : number * quick.factor;
    // A conversion that overflows goes to parseCell, which reports it.
    if (si < Infinity) return si;
  }
  return quick.full && value === "full" ? "full" : NEEDS_CHECKS;
}

/** Parses one schema cell: a value, undefined when empty, false on a problem. */
function parseCell(
  plan: FieldPlan,
  value: unknown,
  record: RawRecord,
  index: number,
  problems: Problems,
  columnsOf: ((record: RawRecord) => number[]) | undefined,
): number | string | undefined | false {
  const s = plan.spec;
  const place = (): Place => ({
    line: record.line,
    column: columnsOf?.(record)[index],
    field: plan.name,
  });
  if (value === null || value === undefined) return undefined;
  if (s.dimension === "label") {
    if (typeof value !== "string") {
      problems.add(place(), `${showCell(value)} is not a label`, plan.expected, value);
      return false;
    }
    const text = value.trim();
    if (text === "") return undefined;
    if (!LABEL.test(text)) {
      problems.add(
        place(),
        `${showCell(value)} is not a label`,
        "letters, digits, spaces and . _ + / : - (at most 64, starting with a letter or digit)",
        value,
      );
      return false;
    }
    const known = s.known;
    if (known && !known.includes(text)) {
      problems.warn(
        { line: record.line, field: plan.name },
        `${plan.name} "${text}" is not one of ${
          known.map((k) => `"${k}"`).join(", ")
        }; kept as given`,
      );
    } else if (text === value && plan.labels.length < LABELS_REMEMBERED) plan.labels.push(text);
    return text;
  }
  if (
    s.full && typeof value === "string" && value.trim().toLowerCase() === "full"
  ) {
    return "full";
  }
  let number: number;
  if (typeof value === "number") number = value;
  else if (typeof value === "string") {
    const text = value.trim();
    if (text === "") return undefined;
    if (!NUMBER_TEXT.test(text)) {
      let what = `${showCell(value)} is not a number`;
      if (NOT_FINITE_TEXT.test(text)) what = `${text} is not a finite number`;
      else if (WITH_UNIT_TEXT.test(text)) {
        what += ` (units belong in the column name, e.g. "${s.aliases[0] ?? s.column}_${
          s.dimension === "seconds" ? "ms" : s.dimension === "bytesPerSecond" ? "mbps" : "mib"
        }")`;
      } else if (/^[+-]?\d+,\d+$/.test(text)) what += ' (use "." as the decimal point)';
      problems.add(place(), what, plan.expected, value);
      return false;
    }
    number = Number(text);
  } else {
    problems.add(place(), `${showCell(value)} is not a number`, plan.expected, value);
    return false;
  }
  if (!Number.isFinite(number)) {
    problems.add(place(), `${number} is not a finite number`, plan.expected, value);
    return false;
  }
  if (s.dimension === "integer" && !Number.isInteger(number)) {
    problems.add(place(), `${number} is not an integer`, plan.expected, value);
    return false;
  }
  if (number < 0 && !s.signed) {
    problems.add(place(), `${number} is negative`, plan.expected.replace(' or "full"', ""), value);
    return false;
  }
  if (number === 0 && s.positive) {
    problems.add(place(), "0 is not positive", plan.expected, value);
    return false;
  }
  const unit = plan.unit;
  if (!unit) return number;
  const si = unit.divisor !== 1 ? number / unit.divisor : number * unit.factor;
  if (!Number.isFinite(si)) {
    const text = typeof value === "string" ? value.trim() : String(number);
    const largest = (Number.MAX_VALUE / unit.factor).toExponential(2).replace("e+", "e");
    problems.add(
      place(),
      `${text} ${unit.label} overflows when converted to ${s.unit} (it would be ${si})`,
      `${plan.expected.replace(' or "full"', "")} and below ${largest} ${unit.label}`,
      value,
    );
    return false;
  }
  return si;
}

/** The required fields every row must give (the time only when a run completed). */
const REQUIRED_VALUES: readonly RunField[] = TYPED_COLUMNS
  .filter((c) => c.required && c.field !== "migrationTimeSeconds")
  .map((c) => c.field);
const REQUIRED_SLOTS = REQUIRED_VALUES.map((field) => SLOT[field]);

function finishRun(
  slots: Slots,
  extra: Record<string, string | number>,
  defaultStatus: string | undefined,
  byField: Map<RunField, FieldPlan>,
  record: RawRecord,
  problems: Problems,
): MigrationRun | undefined {
  const status = (slots[SLOT.status] as string | undefined) ?? defaultStatus;
  const completed = status === "completed";
  const migrationTimeSeconds = slots[SLOT.migrationTimeSeconds] as number | undefined;
  let anyMissing = status === undefined || (migrationTimeSeconds === undefined && completed);
  for (const slot of REQUIRED_SLOTS) if (slots[slot] === undefined) anyMissing = true;
  if (anyMissing && !reportMissing(slots, status, byField, record, problems)) return undefined;
  const memoryBytes = slots[SLOT.memoryBytes] as number;
  const wss = slots[SLOT.wssBytes];
  const wssBytes = wss === "full" ? memoryBytes : wss as number;
  if (wssBytes > memoryBytes) {
    problems.add(
      { line: record.line, field: byField.get("wssBytes")?.name ?? "wss_bytes" },
      `${wssBytes} bytes is larger than memory ${memoryBytes} bytes`,
      `wss <= memory ("full" for the whole memory)`,
      wssBytes,
    );
    return undefined;
  }
  const result = buildRun(slots, extra, status as string, memoryBytes, wssBytes);
  for (const c of COLLECTOR_COLUMNS) {
    const value = slots[c.slot];
    if (value === undefined) continue;
    (result as unknown as Record<string, unknown>)[c.field] = value === "full"
      ? memoryBytes
      : value;
  }
  return result;
}

/** The collector's typed columns, with their slots: set on a run when given. */
const COLLECTOR_COLUMNS: readonly { field: RunField; slot: number }[] = TYPED_COLUMNS
  .filter((c: TypedColumn) => c.group === "collector")
  .map((c) => ({ field: c.field, slot: SLOT[c.field] }));

/** The run of the run schema's fields (the collector's are added after). */
function buildRun(
  slots: Slots,
  extra: Record<string, string | number>,
  status: string,
  memoryBytes: number,
  wssBytes: number,
): MigrationRun {
  const migrationTimeSeconds = slots[SLOT.migrationTimeSeconds] as number | undefined;
  const method = slots[SLOT.method] as string;
  const contention = slots[SLOT.contention] as string;
  const dirtyPagesPerSecond = slots[SLOT.dirtyPagesPerSecond] as number;
  const pageBytes = (slots[SLOT.pageBytes] as number | undefined) ?? DEFAULT_PAGE_BYTES;
  const linkBandwidthBytesPerSecond = slots[SLOT.linkBandwidthBytesPerSecond] as
    | number
    | undefined;
  const downtimeSeconds = slots[SLOT.downtimeSeconds] as number | undefined;
  const transferredBytes = slots[SLOT.transferredBytes] as number | undefined;
  const iterations = slots[SLOT.iterations] as number | undefined;
  const run = slots[SLOT.run] as number | undefined;
  if (
    linkBandwidthBytesPerSecond !== undefined && downtimeSeconds !== undefined &&
    transferredBytes !== undefined && iterations !== undefined && run !== undefined
  ) {
    // Every optional field given (the common case): one object literal, so
    // that every such run has the same shape. Keys in the order below.
    const full: MigrationRun = {
      method,
      contention,
      memoryBytes,
      wssBytes,
      dirtyPagesPerSecond,
      pageBytes,
      migrationTimeSeconds: migrationTimeSeconds ?? NaN,
      status,
      extra,
      linkBandwidthBytesPerSecond,
      downtimeSeconds,
      transferredBytes,
      iterations,
      run,
    };
    return full;
  }
  const result: MigrationRun = {
    method,
    contention,
    memoryBytes,
    wssBytes,
    dirtyPagesPerSecond,
    pageBytes,
    migrationTimeSeconds: migrationTimeSeconds ?? NaN,
    status,
    extra,
  };
  if (linkBandwidthBytesPerSecond !== undefined) {
    result.linkBandwidthBytesPerSecond = linkBandwidthBytesPerSecond;
  }
  if (downtimeSeconds !== undefined) result.downtimeSeconds = downtimeSeconds;
  if (transferredBytes !== undefined) result.transferredBytes = transferredBytes;
  if (iterations !== undefined) result.iterations = iterations;
  if (run !== undefined) result.run = run;
  return result;
}

/**
 * Reports a row's missing values (status, then the required fields in
 * order, then the time of a completed run). Returns false when one was
 * reported; a field whose whole column is missing was reported once with the
 * header and does not count here.
 */
function reportMissing(
  slots: Slots,
  status: string | undefined,
  byField: Map<RunField, FieldPlan>,
  record: RawRecord,
  problems: Problems,
): boolean {
  let ok = true;
  const missing = (field: RunField, why = "") => {
    const plan = byField.get(field);
    if (!plan) return; // missing column, reported once with the header
    const what = record.start === undefined ? "missing or null" : "empty cell";
    problems.add({ line: record.line, field: plan.name }, `${what}${why}`, plan.expected, "");
    ok = false;
  };
  if (status === undefined) missing("status");
  for (const field of REQUIRED_VALUES) {
    if (slots[SLOT[field]] === undefined) missing(field);
  }
  if (slots[SLOT.migrationTimeSeconds] === undefined && status === "completed") {
    missing("migrationTimeSeconds", ' (required when status is "completed")');
  }
  return ok;
}

/** Sets an extra value; a column named `__proto__` becomes an own property, not the prototype. */
function setExtra(
  extra: Record<string, string | number>,
  name: string,
  value: string | number,
): void {
  if (name === "__proto__") {
    Object.defineProperty(extra, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else extra[name] = value;
}
