/**
 * The pure core of the run loader: dataset text in, typed runs out.
 *
 * @module
 */

import { delimitedRows, fieldColumns } from "./_delimited.ts";
import { arrayElementOffsets, findJsonError, lineColumn, lineColumns } from "./_json_scan.ts";
import { parseJsonOrFail } from "./_json_values.ts";
import { parseMetadata } from "./_metadata.ts";
import { Problems, showCell } from "./_problems.ts";
import { type Converted, convertRecords, type RawHeader, type RawRecord } from "./_convert.ts";
import type {
  DatasetMetadata,
  DatasetWarning,
  MigrationRun,
  RunFormat,
  UnitConversion,
} from "./types.ts";

/** Options for {@linkcode parseRuns}. */
export interface ParseRunsOptions {
  /**
   * The name used in messages (`runs.csv:14: ...`); its extension also picks
   * the format when `format` is not given (`.csv`, `.tsv`/`.tab`, `.json`,
   * `.jsonl`/`.ndjson`, each also with `.gz` after it: `runs.csv.gz`).
   *
   * @default {"<text>"}
   */
  fileName?: string;
  /**
   * The format. Without it (and without a telling extension) the text
   * decides: `[` first means a JSON array, `{` JSON Lines, a first line
   * with tabs and no commas TSV, anything else CSV. The result says which.
   *
   * @default {undefined}
   */
  format?: RunFormat;
  /**
   * The text of the dataset's `<name>.meta.json` sidecar, if any.
   *
   * @default {undefined}
   */
  metadataText?: string;
  /**
   * The sidecar's name, for messages.
   *
   * @default {"<metadata>"}
   */
  metadataFileName?: string;
  /**
   * How many problems to list in a {@linkcode DatasetError} (all are counted).
   *
   * @default {20}
   */
  maxProblems?: number;
}

/** What {@linkcode parseRuns} and {@linkcode loadRuns} return. */
export interface ParseRunsResult {
  /** The runs, in file order, every one of them (failed ones too). */
  runs: MigrationRun[];
  /** The sidecar's metadata, or `undefined` when there is none. */
  metadata: DatasetMetadata | undefined;
  /** Every unit conversion (or column rename) applied, one per column. */
  conversions: UnitConversion[];
  /** Odd but usable things noticed (byte order mark, unknown labels, runs not completed). */
  warnings: DatasetWarning[];
  /**
   * Indices into `runs` of the runs whose status is not `completed`: they
   * are kept and flagged here; fits exclude them by default.
   */
  notCompleted: number[];
  /**
   * The 1-based line of the file where each run starts, aligned with
   * `runs`, so that a later error about a run can name its file and line.
   */
  lines: number[];
  /** The format read. */
  format: RunFormat;
}

const EXTENSIONS: Record<string, RunFormat> = {
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  json: "json",
  jsonl: "jsonl",
  ndjson: "jsonl",
};

/**
 * Parses measured migration runs from dataset text: CSV, TSV, a JSON array
 * of objects, or JSON Lines. Columns follow the run schema (see
 * `data/README.md`): snake_case names with units (`memory_bytes`,
 * `migration_time_seconds`); unit-suffixed columns (`wss_mib`,
 * `bandwidth_mbps`, `downtime_ms`, ...) are converted to SI once and listed
 * in `conversions`; `wss_bytes` may be `full` (the whole memory); every other
 * column is kept in each run's `extra` (numbers as numbers). Runs whose
 * status is not `completed` are kept and listed in `notCompleted`.
 *
 * Pure and deterministic: no I/O. Linear in the text.
 *
 * @param text The dataset text.
 * @param options File name for messages, format, sidecar text, problem limit.
 * @returns The runs, metadata, conversions, warnings and flagged runs.
 * @throws {DatasetError} If the text cannot be read as runs; it lists every problem (up to `maxProblems`).
 * @throws {TypeError} If an option has the wrong type.
 * @throws {RangeError} If `maxProblems` is not an integer >= 1.
 *
 * @example CSV with a unit-suffixed column and a failed run
 * ```ts
 * import { parseRuns } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const text = [
 *   "method,contention,memory_bytes,wss_mib,dirty_pages_per_second,migration_time_seconds,status",
 *   "kvm-precopy,none,1073741824,256,5120,3.5,completed",
 *   "kvm-precopy,cpu,1073741824,full,5120,,failed",
 * ].join("\n");
 * const { runs, conversions, notCompleted } = parseRuns(text, { fileName: "runs.csv" });
 * assert.equal(runs[0]?.wssBytes, 268435456);
 * assert.equal(runs[1]?.wssBytes, 1073741824);
 * assert.equal(conversions[0]?.column, "wss_mib");
 * assert.deepEqual(notCompleted, [1]);
 * ```
 *
 * @example JSON Lines
 * ```ts
 * import { parseRuns } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const text = '{"method":"kvm-postcopy","contention":"none","memory_bytes":1e9,' +
 *   '"wss_bytes":1e8,"dirty_pages_per_second":0,"migration_time_seconds":8.1,"host":"a"}\n';
 * const { runs, format } = parseRuns(text);
 * assert.equal(format, "jsonl");
 * assert.equal(runs[0]?.extra.host, "a");
 * ```
 */
export function parseRuns(text: string, options: ParseRunsOptions = {}): ParseRunsResult {
  if (typeof text !== "string") {
    throw new TypeError(`parseRuns: invalid text, expected a string (got ${typeof text})`);
  }
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `parseRuns: invalid options, expected an object (got ${showCell(options)})`,
    );
  }
  const {
    fileName = "<text>",
    format: givenFormat,
    metadataText,
    metadataFileName = "<metadata>",
    maxProblems = 20,
  } = options;
  if (typeof fileName !== "string") {
    throw new TypeError(
      `parseRuns: invalid option "fileName", expected a string (got ${showCell(fileName)})`,
    );
  }
  if (!Number.isInteger(maxProblems) || maxProblems < 1) {
    throw new RangeError(
      `parseRuns: invalid option "maxProblems", expected an integer >= 1 (got ${
        showCell(maxProblems)
      })`,
    );
  }
  if (givenFormat !== undefined && !["csv", "tsv", "json", "jsonl"].includes(givenFormat)) {
    throw new TypeError(
      `parseRuns: invalid option "format", expected "csv", "tsv", "json" or "jsonl" (got ${
        showCell(givenFormat)
      })`,
    );
  }
  if (metadataText !== undefined && typeof metadataText !== "string") {
    throw new TypeError(
      `parseRuns: invalid option "metadataText", expected a string (got ${showCell(metadataText)})`,
    );
  }
  const problems: Problems = new Problems(fileName, maxProblems);
  let body = text;
  if (body.charCodeAt(0) === 0xfeff) {
    body = body.slice(1);
    problems.warn({ line: 1 }, "byte order mark (U+FEFF) at the start removed");
  }
  if (body.trim() === "") {
    problems.fail({}, "the file is empty", "a header line and at least one run");
  }
  const extension = /\.([A-Za-z]+)(?:\.gz)?$/i.exec(fileName)?.[1]?.toLowerCase();
  const format: RunFormat = givenFormat ?? EXTENSIONS[extension ?? ""] ?? sniff(body);
  const { header, records, columnsOf } = format === "json"
    ? readJsonArray(body, problems)
    : format === "jsonl"
    ? readJsonLines(body, problems)
    : readDelimited(body, format === "tsv" ? "\t" : ",", problems);
  const qmpKey = header && QMP_KEYS.find((key) => header.names.includes(key));
  if (qmpKey !== undefined) {
    problems.fail(
      { line: header?.line },
      `the records are QEMU QMP replies (key "${qmpKey}"), not runs`,
      "run rows (read a QMP trace with importQmp)",
    );
  }
  // A CSV/TSV file is read row by row as its rows are converted, but every
  // problem of reading comes before those of converting, as in a file read
  // first and converted after.
  const conversionProblems = new Problems(fileName, maxProblems);
  const converted: Converted | undefined = header
    ? convertRecords(header, records, conversionProblems, columnsOf)
    : undefined;
  // Rows conversion did not take (after a fatal header) are read for their problems.
  for (const _ of records) continue;
  problems.append(conversionProblems);
  if (converted && converted.runs.length === 0 && problems.count === 0) {
    problems.add({}, "no runs in the file", "at least one run after the header");
  }
  problems.throwIfAny();
  const metadata = metadataText === undefined
    ? undefined
    : parseMetadata(metadataText, metadataFileName, maxProblems);
  if (converted === undefined) {
    problems.fail({}, "no records in the file", "a header line and at least one run");
  }
  const { runs, conversions, notCompleted, lines } = converted;
  return { runs, metadata, conversions, warnings: problems.warnings, notCompleted, lines, format };
}

/** Keys of QMP replies and of the collector's traces: such records are for importQmp. */
const QMP_KEYS = ["query_migrate", "QMP", "return"];

function sniff(body: string): RunFormat {
  const first = body.trimStart()[0];
  if (first === "[") return "json";
  if (first === "{") return "jsonl";
  const newline = body.indexOf("\n");
  const line = newline === -1 ? body : body.slice(0, newline);
  return line.includes("\t") && !line.includes(",") ? "tsv" : "csv";
}

interface Read {
  header: RawHeader | undefined;
  /** The records; for CSV/TSV read lazily, once. */
  records: Iterable<RawRecord>;
  columnsOf?: (record: RawRecord) => number[];
}

function readDelimited(body: string, delimiter: "," | "\t", problems: Problems): Read {
  const rows = delimitedRows(body, delimiter, problems);
  const first = rows.next().value;
  if (!first) return { header: undefined, records: [] };
  const header: RawHeader = {
    names: first.values,
    line: first.line,
    columns: fieldColumns(body, delimiter, first),
  };
  // The data rows, read as they are converted, are raw records already ({ line, values, start }).
  const records: Iterable<RawRecord> = rows;
  const columnsOf = (record: RawRecord) =>
    fieldColumns(body, delimiter, { line: record.line, start: record.start ?? 0 });
  return { header, records, columnsOf };
}

/** Builds a header (the union of keys, first seen first) and aligned records from JSON objects. */
function fromObjects(
  items: { value: unknown; line: number; column: number }[],
  problems: Problems,
): Read {
  const names: string[] = [];
  const index = new Map<string, number>();
  const records: RawRecord[] = [];
  const put = (values: unknown[], key: string, v: unknown) => {
    let at = index.get(key);
    if (at === undefined) {
      at = names.length;
      index.set(key, at);
      names.push(key);
    }
    values[at] = v;
  };
  for (const item of items) {
    const { value, line, column } = item;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.add(
        { line, column },
        `${showCell(value)} is not an object`,
        "one JSON object per run, with column names as keys",
        value,
      );
      continue;
    }
    const values: unknown[] = [];
    const object = value as Record<string, unknown>;
    for (const key in object) {
      const v = object[key];
      if (key === "extra" && typeof v === "object" && v !== null && !Array.isArray(v)) {
        // Our own runs written as JSON: extra is spread back into columns.
        const extra = v as Record<string, unknown>;
        for (const k in extra) put(values, k, extra[k]);
      } else put(values, key, v);
    }
    records.push({ line, values });
  }
  for (const record of records) {
    for (let i = record.values.length; i < names.length; i++) record.values.push(null);
  }
  const header: RawHeader | undefined = names.length > 0 ? { names, line: 1 } : undefined;
  if (!header && items.length > 0 && problems.count === 0) {
    problems.add(
      {},
      "the records have no keys",
      "objects with the run schema's column names as keys",
    );
  }
  return { header, records };
}

function readJsonArray(body: string, problems: Problems): Read {
  const value = parseJsonOrFail(body, problems, "a JSON array of objects");
  if (!Array.isArray(value)) {
    problems.fail({ line: 1 }, `${showCell(value)} is not an array`, "a JSON array of run objects");
  }
  const places = lineColumns(body, arrayElementOffsets(body));
  const items = (value as unknown[]).map((v, i) => {
    const place = places[i];
    return { value: v, line: place?.line ?? 1, column: place?.column ?? 1 };
  });
  if (items.length === 0) problems.fail({ line: 1 }, "the array is empty", "at least one run");
  return fromObjects(items, problems);
}

function readJsonLines(body: string, problems: Problems): Read {
  // One pretty-printed object spread over several lines is one record.
  const first = body.slice(0, body.indexOf("\n") === -1 ? body.length : body.indexOf("\n"));
  if (first.trim() !== "" && findJsonError(first) !== undefined) {
    try {
      const value = JSON.parse(body);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const start = lineColumn(body, body.length - body.trimStart().length);
        return fromObjects([{ value, line: start.line, column: start.column }], problems);
      }
    } catch {
      // not one JSON value: read line by line below
    }
  }
  const items: { value: unknown; line: number; column: number }[] = [];
  let line = 0;
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf("\n", start);
    if (end === -1) end = body.length;
    line++;
    let stop = end;
    if (body.charCodeAt(stop - 1) === 13) stop--;
    const text = body.slice(start, stop);
    if (text.trim() !== "") {
      try {
        items.push({ value: JSON.parse(text), line, column: 1 });
      } catch {
        const error = findJsonError(text);
        problems.add(
          { line, column: (error?.offset ?? 0) + 1 },
          error?.what ?? "invalid JSON",
          `${error?.expected ?? "a value"} (one JSON object per line)`,
        );
        if (problems.full) break;
      }
    }
    start = end + 1;
  }
  return fromObjects(items, problems);
}
