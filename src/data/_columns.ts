// Private: the loader's view of the run schema (schema.ts): which field each
// column name fills, with which unit suffix, and the plan of a header. Pure;
// problems and warnings go to a Problems collector.

import { GB, gbpsToBytesPerSecond, GIB, KIB, MB, mbpsToBytesPerSecond, MIB } from "../units.ts";
import type { Problems } from "./_problems.ts";
import { showCell } from "./_problems.ts";
import { type RunColumn, type RunField, TYPED_COLUMNS } from "./schema.ts";
import type { UnitConversion } from "./types.ts";

/** A typed column of the schema (one with a run field). */
export type TypedColumn = RunColumn & { field: RunField };

/** Column-name unit suffixes: SI units per column unit (factor), or SI = value / divisor. */
interface UnitSuffix {
  suffix: string;
  label: string;
  factor: number;
  divisor: number;
}

const SUFFIXES: Partial<Record<RunColumn["dimension"], UnitSuffix[]>> = {
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

/** The column names a typed column takes: its own, then each alias with each unit suffix. */
function aliasNames(spec: TypedColumn): { name: string; unit: UnitSuffix }[] {
  const names: { name: string; unit: UnitSuffix }[] = [];
  for (const base of spec.aliases) {
    for (const unit of SUFFIXES[spec.dimension] ?? []) {
      names.push({ name: `${base}_${unit.suffix}`, unit });
    }
  }
  return names;
}

/** All column names that fill a schema field, for messages. */
export function columnNamesFor(spec: TypedColumn): string[] {
  const names = [spec.column];
  for (const { name } of aliasNames(spec)) if (!names.includes(name)) names.push(name);
  return names;
}

/** snake_case to camelCase. */
function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A schema column of a header: the field it fills, with what unit. */
export interface FieldPlan {
  type: "field";
  spec: TypedColumn;
  name: string;
  unit: UnitSuffix | undefined;
  expected: string;
  /** Where convertRecords keeps this field's value for a row: its index in TYPED_COLUMNS. */
  slot: number;
  /** What the fast path of a cell checks, read once from `spec` and `unit`. */
  quick: {
    label: boolean;
    integer: boolean;
    positive: boolean;
    full: boolean;
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
/** A column the schema does not type: kept in `extra`. */
export interface ExtraPlan {
  type: "extra";
  name: string;
}
/** What one header column becomes. */
export type Plan = FieldPlan | ExtraPlan;

/** Each field's slot: its index in TYPED_COLUMNS. */
export const SLOT = Object.fromEntries(TYPED_COLUMNS.map((s, i) => [s.field, i])) as Record<
  RunField,
  number
>;

const BY_NAME = new Map<string, { spec: TypedColumn; unit: UnitSuffix | undefined }>();
for (const s of TYPED_COLUMNS) {
  BY_NAME.set(s.column, { spec: s, unit: undefined });
  BY_NAME.set(camel(s.column), { spec: s, unit: undefined });
  BY_NAME.set(s.field, { spec: s, unit: undefined });
  for (const { name, unit } of aliasNames(s)) {
    if (name === s.column) continue;
    BY_NAME.set(name, {
      spec: s,
      unit: unit.factor === 1 && unit.divisor === 1 ? undefined : unit,
    });
  }
}

function expectedText(spec: TypedColumn, unit: UnitSuffix | undefined): string {
  const label = unit ? unit.label : spec.unit;
  const op = spec.positive ? "> 0" : spec.signed ? "(any sign)" : ">= 0";
  if (spec.dimension === "label") {
    return `a ${spec.column} label such as "${spec.example || "completed"}"`;
  }
  if (spec.dimension === "integer") {
    return spec.unit === "" ? `an integer ${op}` : `an integer number of ${spec.unit} ${op}`;
  }
  const base = `${label} ${op}`;
  return spec.full ? `${base} or "full"` : base;
}

/** The header of a dataset: column names as written, and where each starts. */
export interface RawHeader {
  names: string[];
  line: number;
  columns?: number[];
}

/** What {@linkcode planColumns} returns. */
export interface ColumnsPlan {
  plans: Plan[];
  conversions: UnitConversion[];
  fatal: boolean;
}

/**
 * Resolves the header into a plan (which field each column fills, with which
 * unit), reporting duplicate and missing columns.
 */
export function planColumns(header: RawHeader, problems: Problems): ColumnsPlan {
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
    plans.push(fieldPlan(s, name, unit));
    if (unit || name !== s.column && name !== camel(s.column) && name !== s.field) {
      conversions.push({
        column: name,
        schemaColumn: s.column,
        field: s.field,
        fromUnit: unit ? unit.label : s.unit,
        toUnit: s.unit,
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
  reportMissingColumns(header, filled, problems);
  return { plans, conversions, fatal: false };
}

function fieldPlan(s: TypedColumn, name: string, unit: UnitSuffix | undefined): FieldPlan {
  return {
    type: "field",
    spec: s,
    name,
    unit,
    expected: expectedText(s, unit),
    slot: SLOT[s.field],
    quick: {
      label: s.dimension === "label",
      integer: s.dimension === "integer",
      positive: s.positive,
      full: s.full,
      factor: unit ? unit.factor : 1,
      divisor: unit ? unit.divisor : 1,
    },
    labels: [],
  };
}

function reportMissingColumns(
  header: RawHeader,
  filled: Map<RunField, string>,
  problems: Problems,
): void {
  for (const s of TYPED_COLUMNS) {
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
}
