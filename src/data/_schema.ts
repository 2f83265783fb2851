// Private: the run schema (columns, units, rules) and the conversion of raw
// records (cells from CSV/TSV or values from JSON) into MigrationRun rows.
// Pure; problems and warnings go to a Problems collector.

import {
  DEFAULT_PAGE_BYTES,
  GB,
  gbpsToBytesPerSecond,
  GIB,
  KIB,
  MB,
  mbpsToBytesPerSecond,
  MIB,
} from "../units.ts";
import type { Problems } from "./_problems.ts";
import { type Place, showCell } from "./_problems.ts";
import type { MigrationRun, UnitConversion } from "./types.ts";

type Kind = "label" | "bytes" | "bytesPerSecond" | "pagesPerSecond" | "seconds" | "integer";
type Rule = "positive" | "non-negative";
type RunField = Exclude<keyof MigrationRun, "extra">;

interface ColumnSpec {
  column: string;
  field: RunField;
  kind: Kind;
  rule: Rule;
  required: boolean;
  /** Base names that take unit suffixes (e.g. "wss" for wss_mib). */
  bases: string[];
}

/** The schema's columns, in order. */
export const COLUMNS: readonly ColumnSpec[] = [
  spec("method", "method", "label", true),
  spec("contention", "contention", "label", true),
  spec("memory_bytes", "memoryBytes", "bytes", true, "positive", ["memory"]),
  spec("wss_bytes", "wssBytes", "bytes", true, "non-negative", ["wss"]),
  spec("dirty_pages_per_second", "dirtyPagesPerSecond", "pagesPerSecond", true),
  spec("page_bytes", "pageBytes", "integer", false, "positive", []),
  spec(
    "link_bandwidth_bytes_per_second",
    "linkBandwidthBytesPerSecond",
    "bytesPerSecond",
    false,
    "positive",
    [
      "link_bandwidth",
      "bandwidth",
    ],
  ),
  spec("migration_time_seconds", "migrationTimeSeconds", "seconds", true, "non-negative", [
    "migration_time",
  ]),
  spec("downtime_seconds", "downtimeSeconds", "seconds", false, "non-negative", ["downtime"]),
  spec("transferred_bytes", "transferredBytes", "bytes", false, "non-negative", ["transferred"]),
  spec("iterations", "iterations", "integer", false),
  spec("status", "status", "label", false),
  spec("run", "run", "integer", false),
];

function spec(
  column: string,
  field: RunField,
  kind: Kind,
  required: boolean,
  rule: Rule = "non-negative",
  bases: string[] = [],
): ColumnSpec {
  return { column, field, kind, rule, required, bases };
}

/** The labels the paper uses; others are kept, with a warning. */
const KNOWN_LABELS: Partial<Record<RunField, readonly string[]>> = {
  method: ["xen-precopy", "kvm-precopy", "kvm-postcopy"],
  contention: ["none", "cpu", "network", "memory"],
};

/** Column-name unit suffixes: SI units per column unit (factor), or SI = value / divisor. */
interface UnitSuffix {
  suffix: string;
  label: string;
  factor: number;
  divisor: number;
}

const SUFFIXES: Record<"bytes" | "bytesPerSecond" | "seconds", UnitSuffix[]> = {
  bytes: [
    { suffix: "kib", label: "KiB", factor: KIB, divisor: 1 },
    { suffix: "mib", label: "MiB", factor: MIB, divisor: 1 },
    { suffix: "gib", label: "GiB", factor: GIB, divisor: 1 },
    { suffix: "kb", label: "kB", factor: 1000, divisor: 1 },
    { suffix: "mb", label: "MB", factor: MB, divisor: 1 },
    { suffix: "gb", label: "GB", factor: GB, divisor: 1 },
  ],
  bytesPerSecond: [
    { suffix: "bytes_per_second", label: "bytes/s", factor: 1, divisor: 1 },
    { suffix: "kbps", label: "kbit/s", factor: mbpsToBytesPerSecond(1) / 1000, divisor: 1 },
    { suffix: "mbps", label: "Mbit/s", factor: mbpsToBytesPerSecond(1), divisor: 1 },
    { suffix: "gbps", label: "Gbit/s", factor: gbpsToBytesPerSecond(1), divisor: 1 },
    { suffix: "mib_per_second", label: "MiB/s", factor: MIB, divisor: 1 },
    { suffix: "mb_per_second", label: "MB/s", factor: MB, divisor: 1 },
  ],
  seconds: [
    { suffix: "ms", label: "ms", factor: 1e-3, divisor: 1e3 },
    { suffix: "us", label: "µs", factor: 1e-6, divisor: 1e6 },
    { suffix: "s", label: "s", factor: 1, divisor: 1 },
    { suffix: "minutes", label: "min", factor: 60, divisor: 1 },
  ],
};

const SI_LABEL: Record<Kind, string> = {
  label: "",
  bytes: "bytes",
  bytesPerSecond: "bytes/s",
  pagesPerSecond: "pages/s",
  seconds: "seconds",
  integer: "",
};

/** All column names that fill a schema field, for messages. */
export function columnNamesFor(spec: ColumnSpec): string[] {
  const names = [spec.column];
  for (const base of spec.bases) {
    const kind = spec.kind as keyof typeof SUFFIXES;
    for (const s of SUFFIXES[kind] ?? []) {
      const name = `${base}_${s.suffix}`;
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

/** snake_case to camelCase. */
function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

interface FieldPlan {
  type: "field";
  spec: ColumnSpec;
  name: string;
  unit: UnitSuffix | undefined;
  expected: string;
  /** Where convertRecords keeps this field's value for a row: its index in COLUMNS. */
  slot: number;
  /** What the fast path of a cell checks, read once from `spec` and `unit`. */
  quick: {
    label: boolean;
    integer: boolean;
    positive: boolean;
    wss: boolean;
    /** SI value = value * factor, or value / divisor when divisor is not 1. */
    factor: number;
    divisor: number;
  };
  /**
   * Label cells already accepted as written, without a warning: accepted
   * again at once, and every run shares one copy of the text.
   */
  labels: string[];
}
interface ExtraPlan {
  type: "extra";
  name: string;
}
type Plan = FieldPlan | ExtraPlan;

/** Each field's slot: its index in COLUMNS. */
const SLOT = Object.fromEntries(COLUMNS.map((s, i) => [s.field, i])) as Record<RunField, number>;

const BY_NAME = new Map<string, { spec: ColumnSpec; unit: UnitSuffix | undefined }>();
for (const s of COLUMNS) {
  BY_NAME.set(s.column, { spec: s, unit: undefined });
  BY_NAME.set(camel(s.column), { spec: s, unit: undefined });
  for (const base of s.bases) {
    for (const u of SUFFIXES[s.kind as keyof typeof SUFFIXES] ?? []) {
      const name = `${base}_${u.suffix}`;
      if (name === s.column) continue;
      BY_NAME.set(name, { spec: s, unit: u.factor === 1 && u.divisor === 1 ? undefined : u });
    }
  }
}

function expectedText(spec: ColumnSpec, unit: UnitSuffix | undefined): string {
  const label = unit ? unit.label : SI_LABEL[spec.kind];
  const op = spec.rule === "positive" ? "> 0" : ">= 0";
  if (spec.kind === "label") return `a ${spec.column} label such as "${labelExample(spec)}"`;
  if (spec.kind === "integer") {
    return spec.field === "pageBytes" ? "an integer number of bytes > 0" : `an integer ${op}`;
  }
  const base = `${label} ${op}`;
  return spec.field === "wssBytes" ? `${base} or "full"` : base;
}

function labelExample(spec: ColumnSpec): string {
  return spec.field === "method"
    ? "kvm-precopy"
    : spec.field === "contention"
    ? "none"
    : "completed";
}

/** One raw record: its values aligned with the header, and where it is. */
export interface RawRecord {
  line: number;
  values: unknown[];
  /** Where the record starts in the text (CSV/TSV), to find its columns for messages. */
  start?: number;
}

/** The header of a dataset: column names as written, and where each starts. */
export interface RawHeader {
  names: string[];
  line: number;
  columns?: number[];
}

/** What convertRecords returns. */
export interface Converted {
  runs: MigrationRun[];
  conversions: UnitConversion[];
  notCompleted: number[];
}

const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NOT_FINITE_TEXT = /^[+-]?(?:nan|inf|infinity)$/i;
const WITH_UNIT_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*[A-Za-zµ/]+$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9 ._+/:-]{0,63}$/;
/**
 * How many distinct accepted labels a column remembers for its fast path (a
 * few compared in turn beat a hash lookup of a new string).
 */
const LABELS_REMEMBERED = 8;

/**
 * Resolves the header into a plan (which field each column fills, with which
 * unit), reporting duplicate and missing columns.
 */
export function planColumns(header: RawHeader, problems: Problems): {
  plans: Plan[];
  conversions: UnitConversion[];
  fatal: boolean;
} {
  const plans: Plan[] = [];
  const conversions: UnitConversion[] = [];
  const seenName = new Map<string, number>();
  const filled = new Map<RunField, string>();
  header.names.forEach((raw, index) => {
    const name = raw.trim();
    const place = { line: header.line, column: header.columns?.[index] };
    if (name !== raw) problems.warn({ line: header.line }, "spaces around column names removed");
    if (name === "") {
      problems.add(
        place,
        `column ${index + 1} has no name`,
        'a name for every column (a pandas index column? write it with "index=False")',
      );
      plans.push({ type: "extra", name: "" });
      return;
    }
    const earlier = seenName.get(name);
    if (earlier !== undefined) {
      problems.add(
        place,
        `column "${name}" appears twice (columns ${earlier + 1} and ${index + 1})`,
        "unique column names",
      );
      plans.push({ type: "extra", name });
      return;
    }
    seenName.set(name, index);
    const known = BY_NAME.get(name);
    if (!known) {
      plans.push({ type: "extra", name });
      return;
    }
    const { spec: s, unit } = known;
    const other = filled.get(s.field);
    if (other !== undefined) {
      problems.add(
        place,
        `columns "${other}" and "${name}" both give ${s.column}`,
        `one column for ${s.column}`,
      );
      plans.push({ type: "extra", name });
      return;
    }
    filled.set(s.field, name);
    plans.push({
      type: "field",
      spec: s,
      name,
      unit,
      expected: expectedText(s, unit),
      slot: SLOT[s.field],
      quick: {
        label: s.kind === "label",
        integer: s.kind === "integer",
        positive: s.rule === "positive",
        wss: s.field === "wssBytes",
        factor: unit ? unit.factor : 1,
        divisor: unit ? unit.divisor : 1,
      },
      labels: [],
    });
    if (unit || name !== s.column && name !== camel(s.column)) {
      conversions.push({
        column: name,
        schemaColumn: s.column,
        field: s.field,
        fromUnit: unit ? unit.label : SI_LABEL[s.kind],
        toUnit: SI_LABEL[s.kind],
        factor: unit ? unit.factor : 1,
      });
    }
  });
  const semicolon = header.names.length === 1 && (header.names[0] ?? "").includes(";");
  if (semicolon) {
    problems.add(
      { line: header.line },
      `the header is one column, ${showCell(header.names[0])}`,
      'columns separated by "," (CSV) or a tab (TSV), not ";"',
    );
    return { plans, conversions, fatal: true };
  }
  for (const s of COLUMNS) {
    if (!s.required || filled.has(s.field)) continue;
    const names = columnNamesFor(s);
    const lower = header.names.find((n) => names.includes(n.trim().toLowerCase()));
    const hint = lower !== undefined
      ? ` (found "${lower.trim()}": column names are lower case)`
      : "";
    const also = names.length > 1 ? ` (or ${names.slice(1, 4).join(", ")}, ...)` : "";
    problems.add(
      { line: header.line },
      `missing required column "${s.column}"${hint}`,
      `a "${s.column}" column${also}`,
    );
  }
  return { plans, conversions, fatal: false };
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
  if (fatal) return { runs, conversions, notCompleted };
  const byField = new Map<RunField, FieldPlan>();
  for (const plan of plans) if (plan.type === "field") byField.set(plan.spec.field, plan);
  const defaultStatus = byField.has("status") ? undefined : "completed";
  const width = plans.length;
  // One row's schema values, by slot; reused from row to row.
  const slots: Slots = COLUMNS.map(() => undefined);
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
  }
  return { runs, conversions, notCompleted };
}

/** One row's schema values by slot (see SLOT); `undefined` where empty or absent. */
type Slots = (number | string | undefined)[];

/**
 * The number a cell holds when it is a plain decimal that starts with a digit
 * (a string NUMBER_TEXT matches, without a sign or a leading point), else NaN.
 * No regular expression and no trim: the usual short cell (digits with at
 * most one point, at most 15 characters) is read digit by digit, as in
 * {@linkcode shortDecimal}; any other goes through `+text`, which also reads
 * white space around a number and 0x, 0o and 0b prefixes: a plain decimal
 * ends in a digit or a point and has no such prefix.
 */
function plainDecimal(text: string): number {
  const short = shortDecimal(text);
  if (short >= 0) return short;
  const first = text.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return NaN; // 0-9 (NaN for "")
  const last = text.charCodeAt(text.length - 1);
  if (!(last >= 48 && last <= 57) && last !== 46) return NaN; // 0-9 or "."
  if (first === 48 && text.length > 2) {
    const prefix = text.charCodeAt(1) | 0x20; // lower case
    if (prefix === 120 || prefix === 111 || prefix === 98) return NaN; // 0x, 0o, 0b
  }
  return +text;
}

/** 10^0 to 10^15, each exact in a double. */
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * The value of a cell of at most 15 characters that are digits and at most
 * one point, starting with a digit; -1 for any other cell. The digits make an
 * integer below 10^15 (exact in a double), and dividing it by the exact power
 * of ten of the point rounds once: the same double as `Number(text)`
 * (Clinger's fast path).
 */
function shortDecimal(text: string): number {
  const length = text.length;
  if (length === 0 || length > 15) return -1;
  let digits = 0;
  let point = -1;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits = digits * 10 + (c - 48);
    else if (c === 46 && point === -1 && i > 0) point = i;
    else return -1;
  }
  return point === -1 ? digits : digits / (POWERS_OF_TEN[length - 1 - point] as number);
}

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
    return quick.divisor !== 1 ? number / quick.divisor : number * quick.factor;
  }
  return quick.wss && value === "full" ? "full" : NEEDS_CHECKS;
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
  if (s.kind === "label") {
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
    const known = KNOWN_LABELS[s.field];
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
    s.field === "wssBytes" && typeof value === "string" && value.trim().toLowerCase() === "full"
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
        what += ` (units belong in the column name, e.g. "${s.bases[0] ?? s.column}_${
          s.kind === "seconds" ? "ms" : s.kind === "bytesPerSecond" ? "mbps" : "mib"
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
  if (s.kind === "integer" && !Number.isInteger(number)) {
    problems.add(place(), `${number} is not an integer`, plan.expected, value);
    return false;
  }
  if (number < 0) {
    problems.add(place(), `${number} is negative`, plan.expected.replace(' or "full"', ""), value);
    return false;
  }
  if (number === 0 && s.rule === "positive") {
    problems.add(place(), "0 is not positive", plan.expected, value);
    return false;
  }
  const unit = plan.unit;
  if (unit) number = unit.divisor !== 1 ? number / unit.divisor : number * unit.factor;
  return number;
}

const REQUIRED_VALUES = [
  "method",
  "contention",
  "memoryBytes",
  "wssBytes",
  "dirtyPagesPerSecond",
] as const;
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
  if (!completed) {
    problems.warn(
      { line: record.line, field: "status" },
      'runs whose status is not "completed" are kept and listed in notCompleted',
    );
  }
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
    return {
      method,
      contention,
      memoryBytes,
      wssBytes,
      dirtyPagesPerSecond,
      pageBytes,
      migrationTimeSeconds: migrationTimeSeconds ?? NaN,
      status: status as string,
      extra,
      linkBandwidthBytesPerSecond,
      downtimeSeconds,
      transferredBytes,
      iterations,
      run,
    };
  }
  const result: MigrationRun = {
    method,
    contention,
    memoryBytes,
    wssBytes,
    dirtyPagesPerSecond,
    pageBytes,
    migrationTimeSeconds: migrationTimeSeconds ?? NaN,
    status: status as string,
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
