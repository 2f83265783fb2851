// Private: the fast path of loadRunColumns. Reads a plain CSV file of the run
// schema's core columns, chunk by chunk from its bytes, straight into typed
// arrays: no string per line or cell, no object per run, and never the whole
// text in memory. It accepts only what parseRuns would read without a problem,
// a warning or a conversion (exact schema column names, no quotes, no blank
// lines, short plain numbers, labels of the vocabulary); on anything else it
// gives up (returns null) and the caller reads the file with loadRuns.
import { DEFAULT_PAGE_BYTES } from "../units.ts";
import { plainDecimal } from "./_decimal.ts";
import { TYPED_COLUMNS } from "./schema.ts";

/** The columns the fast path reads, by their schema names; any other makes it give up. */
export const FAST_COLUMNS = [
  "method",
  "contention",
  "memory_bytes",
  "wss_bytes",
  "dirty_pages_per_second",
  "page_bytes",
  "link_bandwidth_bytes_per_second",
  "migration_time_seconds",
  "status",
] as const;

/** A label column: codes per run and the labels they index, first seen first. */
export interface LabelColumn {
  codes: Int32Array;
  labels: string[];
}

/** What the fast path reads: one typed array per column, one entry per run. */
export interface FastColumns {
  length: number;
  method: LabelColumn;
  contention: LabelColumn;
  status: LabelColumn;
  memoryBytes: Float64Array;
  wssBytes: Float64Array;
  dirtyPagesPerSecond: Float64Array;
  pageBytes: Float64Array;
  /** NaN where the cell (or the column) is empty. */
  linkBandwidthBytesPerSecond: Float64Array;
  /** NaN where empty (a run that did not complete). */
  migrationTimeSeconds: Float64Array;
  /** The 1-based line of each run. */
  lines: Int32Array;
}

const COMMA = 44;
const NEWLINE = 10;
const CR = 13;
const QUOTE = 34;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9 ._+/:-]{0,63}$/;
/** Marks an empty number cell, and a `full` WSS cell, while a row is read. */
const EMPTY = -1;
const FULL = -2;
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);
const decoder = new TextDecoder("utf-8", { fatal: true });

/** One column of the file: what it fills and how its cells are checked. */
interface Reader {
  kind: "label" | "number";
  /** Index into the row's numbers (number columns), or of the label column (0-2). */
  slot: number;
  integer: boolean;
  positive: boolean;
  full: boolean;
  known: readonly string[] | undefined;
  /** Accepted labels as bytes, aligned with the label column's `labels`. */
  bytes: Uint8Array[];
}

const NUMBER_SLOTS = [
  "memory_bytes",
  "wss_bytes",
  "dirty_pages_per_second",
  "page_bytes",
  "link_bandwidth_bytes_per_second",
  "migration_time_seconds",
];
const LABEL_SLOTS = ["method", "contention", "status"];

/** The readers of a header line, or null when the fast path cannot read it. */
function headerReaders(line: string): Reader[] | null {
  const names = line.split(",");
  if (new Set(names).size !== names.length) return null;
  const readers: Reader[] = [];
  for (const name of names) {
    if (!(FAST_COLUMNS as readonly string[]).includes(name)) return null;
    const spec = TYPED_COLUMNS.find((c) => c.column === name)!;
    const label = spec.dimension === "label";
    readers.push({
      kind: label ? "label" : "number",
      slot: label ? LABEL_SLOTS.indexOf(name) : NUMBER_SLOTS.indexOf(name),
      integer: spec.dimension === "integer",
      positive: spec.positive,
      full: spec.full,
      known: spec.known,
      bytes: [],
    });
  }
  for (const required of TYPED_COLUMNS.filter((c) => c.required)) {
    if (!names.includes(required.column)) return null;
  }
  return readers;
}

/** Growable typed columns. */
interface Growing {
  length: number;
  numbers: Float64Array[];
  codes: Int32Array[];
  lines: Int32Array;
}

function growing(capacity: number): Growing {
  return {
    length: 0,
    numbers: NUMBER_SLOTS.map(() => new Float64Array(capacity)),
    codes: LABEL_SLOTS.map(() => new Int32Array(capacity)),
    lines: new Int32Array(capacity),
  };
}

/** Moves every column to a larger capacity. */
function grow(out: Growing, capacity: number): void {
  const more = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
    const b = make(capacity);
    b.set(a);
    return b;
  };
  out.numbers = out.numbers.map((a) => more(a, (n) => new Float64Array(n)));
  out.codes = out.codes.map((a) => more(a, (n) => new Int32Array(n)));
  out.lines = more(out.lines, (n) => new Int32Array(n));
}

/** UTF-8 text of bytes, or null when they are not UTF-8 (the loader reports it). */
function utf8(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The value of a number cell's bytes [start, end): a plain decimal as
 * `Number(text)` reads it (digit by digit when short, as plainDecimal does),
 * EMPTY for an empty cell, FULL for `full` where allowed, NaN for anything
 * the fast path does not accept.
 */
function numberCell(bytes: Uint8Array, start: number, end: number, reader: Reader): number {
  const length = end - start;
  if (length === 0) return EMPTY;
  let value: number;
  if (length <= 15) {
    let digits = 0;
    let point = -1;
    let plain = true;
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 48 && c <= 57) digits = digits * 10 + (c - 48);
      else if (c === 46 && point === -1 && i > start) point = i;
      else {
        plain = false;
        break;
      }
    }
    value = plain ? (point === -1 ? digits : digits / POWERS_OF_TEN[end - 1 - point]!) : NaN;
  } else value = NaN;
  if (Number.isNaN(value)) {
    const text = utf8(bytes.subarray(start, end));
    if (text === null) return NaN;
    if (reader.full && text === "full") return FULL;
    value = plainDecimal(text);
  }
  // What the loader's fast path accepts (quickCell); the rest needs its checks and messages.
  if (
    !Number.isFinite(value) || (reader.integer && !Number.isInteger(value)) ||
    !(value > 0 || (value === 0 && !reader.positive))
  ) return NaN;
  return value;
}

/** The code of a label cell's bytes, adding a new accepted label; -1 to give up. */
function labelCell(
  bytes: Uint8Array,
  start: number,
  end: number,
  reader: Reader,
  column: string[],
): number {
  const length = end - start;
  const known = reader.bytes;
  for (let k = 0; k < known.length; k++) {
    const label = known[k]!;
    if (label.length !== length) continue;
    let same = true;
    for (let i = 0; i < length; i++) {
      if (label[i] !== bytes[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return k;
  }
  const text = utf8(bytes.subarray(start, end));
  if (text === null) return -1;
  // An empty, padded or malformed label, or one outside the vocabulary (a warning), is the loader's.
  if (text.trim() !== text || !LABEL.test(text)) return -1;
  if (reader.known !== undefined && !reader.known.includes(text)) return -1;
  known.push(bytes.slice(start, end));
  column.push(text);
  return known.length - 1;
}

/** Per row, reused: the number slots and label codes read. */
const row = { numbers: new Float64Array(NUMBER_SLOTS.length), codes: new Int32Array(3) };

/** Reads one data line [start, end) into `out`; false to give up. */
function readLine(
  bytes: Uint8Array,
  start: number,
  end: number,
  readers: Reader[],
  labels: string[][],
  out: Growing,
  line: number,
): boolean {
  row.numbers.fill(EMPTY);
  row.codes[2] = -2; // no status column: "completed"
  let field = 0;
  let i = start;
  for (;;) {
    let j = i;
    while (j < end) {
      const c = bytes[j]!;
      if (c === COMMA) break;
      if (c === QUOTE) return false;
      j++;
    }
    const reader = readers[field];
    if (reader === undefined) return false;
    if (reader.kind === "label") {
      const code = labelCell(bytes, i, j, reader, labels[reader.slot]!);
      if (code < 0) return false;
      row.codes[reader.slot] = code;
    } else {
      const value = numberCell(bytes, i, j, reader);
      if (Number.isNaN(value)) return false;
      row.numbers[reader.slot] = value;
    }
    field++;
    if (j >= end) break;
    i = j + 1;
  }
  return field === readers.length && finishRow(labels, out, line);
}

/** Checks a row as the loader does (required cells, WSS <= memory) and appends it. */
function finishRow(labels: string[][], out: Growing, line: number): boolean {
  const n = row.numbers;
  const [memory, wss, dirty, page, link, time] = n;
  if (memory === EMPTY || wss === EMPTY || dirty === EMPTY) return false;
  const wssBytes = wss === FULL ? memory! : wss!;
  if (wssBytes > memory!) return false;
  if (row.codes[2] === -2) {
    // No status column: every run "completed" (the label is added once).
    let k = labels[2]!.indexOf("completed");
    if (k < 0) k = labels[2]!.push("completed") - 1;
    row.codes[2] = k;
  }
  const completed = labels[2]![row.codes[2]!] === "completed";
  if (time === EMPTY && completed) return false;
  if (out.length === out.lines.length) grow(out, 2 * out.length);
  const at = out.length++;
  const columns = out.numbers;
  columns[0]![at] = memory!;
  columns[1]![at] = wssBytes;
  columns[2]![at] = dirty!;
  columns[3]![at] = page === EMPTY ? DEFAULT_PAGE_BYTES : page!;
  columns[4]![at] = link === EMPTY ? NaN : link!;
  columns[5]![at] = time === EMPTY ? NaN : time!;
  for (let k = 0; k < 3; k++) out.codes[k]![at] = row.codes[k]!;
  out.lines[at] = line;
  return true;
}

/** Bytes read per chunk. */
const CHUNK_BYTES = 4 << 20;

/**
 * Reads a CSV file by the fast path: the columns, or null when the file
 * holds anything the fast path leaves to the loader.
 *
 * @param path The file.
 * @param sizeBytes Its size, to size the columns.
 */
export async function readCsvColumns(path: string, sizeBytes: number): Promise<FastColumns | null> {
  using file = await Deno.open(path, { read: true });
  let buffer = new Uint8Array(CHUNK_BYTES);
  let filled = 0;
  let readers: Reader[] | null = null;
  const labels: string[][] = [[], [], []];
  // Sized after the first chunk from its bytes per line (the rest grows by doubling).
  const out = growing(1024);
  let sized = false;
  let line = 0;
  let eof = false;
  while (!eof) {
    if (filled === buffer.length) {
      // One line longer than the buffer: make room.
      const bigger = new Uint8Array(buffer.length * 2);
      bigger.set(buffer);
      buffer = bigger;
    }
    const got = await file.read(buffer.subarray(filled));
    if (got === null) eof = true;
    else filled += got;
    const view = buffer.subarray(0, filled);
    let start = 0;
    for (;;) {
      let end = view.indexOf(NEWLINE, start);
      if (end < 0) {
        if (!eof || start >= filled) break;
        end = filled; // the last line, without a newline
      }
      line++;
      const stop = end > start && buffer[end - 1] === CR ? end - 1 : end;
      if (readers === null) {
        if (buffer[0] === 0xef) return null; // a byte order mark: the loader warns
        const header = utf8(buffer.subarray(start, stop));
        readers = header === null ? null : headerReaders(header);
        if (readers === null) return null;
      } else if (stop === start || !readLine(buffer, start, stop, readers, labels, out, line)) {
        return null;
      }
      start = end + 1;
    }
    if (!sized && line > 1) {
      sized = true;
      const estimate = Math.ceil((1.02 * sizeBytes * (line - 1)) / Math.max(1, start)) + 1024;
      if (estimate > out.lines.length) grow(out, estimate);
    }
    buffer.copyWithin(0, start, filled);
    filled -= Math.min(start, filled);
  }
  if (readers === null || out.length === 0) return null;
  const n = out.length;
  const label = (k: number): LabelColumn => ({
    codes: out.codes[k]!.subarray(0, n),
    labels: labels[k]!,
  });
  const [memoryBytes, wssBytes, dirty, pageBytes, link, time] = out.numbers.map((a) =>
    a.subarray(0, n)
  );
  return {
    length: n,
    method: label(0),
    contention: label(1),
    status: label(2),
    memoryBytes: memoryBytes!,
    wssBytes: wssBytes!,
    dirtyPagesPerSecond: dirty!,
    pageBytes: pageBytes!,
    linkBandwidthBytesPerSecond: link!,
    migrationTimeSeconds: time!,
    lines: out.lines.subarray(0, n),
  };
}
