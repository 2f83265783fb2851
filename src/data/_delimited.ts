// Private: a CSV/TSV tokenizer (RFC 4180 quoting) that knows the 1-based line
// and character column of every field, for error messages. Pure.

import type { Problems } from "./_problems.ts";

/** One data row of a delimited file. */
export interface DelimitedRow {
  /** 1-based line where the row starts. */
  line: number;
  /** The fields, unquoted (named `values`, so that a row is also a raw record). */
  values: string[];
  /** Offset of the row's first character in the text (to find field columns later). */
  start: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

interface RecordRead {
  fields: string[];
  /** 1-based character column of each field (only when asked for). */
  columns: number[];
  /** Offset after the record's line break. */
  next: number;
  /** Line breaks inside quoted fields. */
  innerLines: number;
  /** False when the record had a syntax problem (already reported). */
  ok: boolean;
}

/**
 * Reads one record starting at `start` (the start of a line). With
 * `problems`, syntax problems are reported; with `wantColumns`, the column
 * of each field is recorded.
 */
function readRecord(
  text: string,
  start: number,
  delim: number,
  line: number,
  problems: Problems | undefined,
  wantColumns: boolean,
): RecordRead {
  const n = text.length;
  const fields: string[] = [];
  const columns: number[] = [];
  let i = start;
  let lineStart = start;
  let innerLines = 0;
  let ok = true;
  for (;;) {
    if (wantColumns) columns.push(i - lineStart + 1);
    if (i < n && text.charCodeAt(i) === QUOTE) {
      const fieldLine = line + innerLines;
      const fieldColumn = i - lineStart + 1;
      let value = "";
      let j = i + 1;
      let closed = false;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) break;
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        closed = true;
        break;
      }
      const end = closed ? j : n;
      for (let k = text.indexOf("\n", i); k !== -1 && k < end; k = text.indexOf("\n", k + 1)) {
        innerLines++;
        lineStart = k + 1;
      }
      if (!closed) {
        problems?.add(
          { line: fieldLine, column: fieldColumn },
          "quoted field never closes",
          'a closing " before the end of the file',
        );
        return { fields, columns, next: n, innerLines, ok: false };
      }
      fields.push(value);
      i = j;
      const c = text.charCodeAt(i);
      if (i < n && c !== delim && c !== LF && c !== CR) {
        problems?.add(
          { line: line + innerLines, column: i - lineStart + 1 },
          `text after a closing quote (${JSON.stringify(text.slice(i, i + 10))})`,
          "a delimiter or the end of the line",
        );
        ok = false;
        break;
      }
    } else {
      let j = i;
      let quoteAt = -1;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === delim || c === LF || c === CR) break;
        if (c === QUOTE && quoteAt === -1) quoteAt = j;
        j++;
      }
      const value = text.slice(i, j);
      if (quoteAt !== -1) {
        problems?.add(
          { line: line + innerLines, column: quoteAt - lineStart + 1 },
          `bare " in an unquoted field (${JSON.stringify(value.slice(0, 30))})`,
          'the whole field in quotes, with "" for each quote inside it',
        );
        ok = false;
      }
      fields.push(value);
      i = j;
    }
    if (i < n && text.charCodeAt(i) === delim) {
      i++;
      continue;
    }
    break;
  }
  if (!ok) {
    while (i < n && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
  }
  if (i < n && text.charCodeAt(i) === CR) i++;
  if (i < n && text.charCodeAt(i) === LF) i++;
  return { fields, columns, next: i, innerLines, ok };
}

/**
 * Splits delimited text into rows of fields, one row at a time (so that a
 * caller can convert each row and let its fields go). Blank lines are
 * skipped. A row with a syntax problem (an unclosed quote, a bare quote, text
 * after a closing quote) is reported and left out. A lone CR also ends a line.
 */
export function* delimitedRows(
  text: string,
  delimiter: "," | "\t",
  problems: Problems,
): Generator<DelimitedRow, void, undefined> {
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const values: string[] = [];
    const next = readPlainLine(text, i, delim, values);
    if (next !== -1) {
      if (!isBlank(values)) yield { line, values, start: i };
      line++;
      i = next;
      continue;
    }
    // A quote somewhere in the line: the full reader, with its checks.
    const read = readRecord(text, i, delim, line, problems, false);
    if (read.ok && !isBlank(read.fields)) yield { line, values: read.fields, start: i };
    line += 1 + read.innerLines;
    i = read.next;
  }
}

/**
 * Fast path for a line without quotes: splits it at each delimiter into
 * `values` in one scan and returns the offset after its line break, or -1 at
 * the first quote (the line then needs {@linkcode readRecord}).
 */
function readPlainLine(text: string, start: number, delim: number, values: string[]): number {
  const n = text.length;
  let fieldStart = start;
  let i = start;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === delim) {
      values.push(text.slice(fieldStart, i));
      fieldStart = i + 1;
    } else if (c === LF || c === CR) break;
    else if (c === QUOTE) return -1;
  }
  values.push(text.slice(fieldStart, i));
  if (i < n && text.charCodeAt(i) === CR) i++;
  if (i < n && text.charCodeAt(i) === LF) i++;
  return i;
}

/** A blank line: one field of nothing but white space. */
function isBlank(fields: string[]): boolean {
  return fields.length === 1 && (fields[0] as string).trim() === "";
}

/** The 1-based character columns of a row's fields (computed again, for messages). */
export function fieldColumns(
  text: string,
  delimiter: "," | "\t",
  row: Pick<DelimitedRow, "line" | "start">,
): number[] {
  return readRecord(text, row.start, delimiter.charCodeAt(0), row.line, undefined, true).columns;
}
