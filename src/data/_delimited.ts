// Private: a CSV/TSV tokenizer (RFC 4180 quoting) that keeps 1-based line and
// character column of every field, for error messages. Pure.

import type { Problems } from "./_problems.ts";

/** One data row of a delimited file. */
export interface DelimitedRow {
  /** 1-based line where the row starts. */
  line: number;
  /** The fields, unquoted. */
  fields: string[];
  /** 1-based character column where each field starts. */
  columns: number[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Splits delimited text into rows of fields. Blank lines are skipped. A row
 * with a syntax problem (an unclosed quote, a bare quote, text after a
 * closing quote) is reported and left out.
 */
export function tokenizeDelimited(
  text: string,
  delimiter: "," | "\t",
  problems: Problems,
): DelimitedRow[] {
  const delim = delimiter.charCodeAt(0);
  const rows: DelimitedRow[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  while (i < n) {
    const rowLine = line;
    const fields: string[] = [];
    const columns: number[] = [];
    let bad = false;
    // Parse one record.
    for (;;) {
      const fieldStart = i;
      columns.push(i - lineStart + 1);
      if (i < n && text.charCodeAt(i) === QUOTE) {
        // Quoted field.
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
        // Count the line breaks inside the quotes.
        const end = closed ? j : n;
        for (let k = i; k < end; k++) {
          if (text.charCodeAt(k) === LF) {
            line++;
            lineStart = k + 1;
          }
        }
        if (!closed) {
          problems.add(
            { line: rowLine, column: fieldStart - lineStartOf(text, fieldStart) + 1 },
            "quoted field never closes",
            'a closing " before the end of the file',
          );
          return rows;
        }
        fields.push(value);
        i = j;
        const c = text.charCodeAt(i);
        if (i < n && c !== delim && c !== LF && c !== CR) {
          problems.add(
            { line, column: i - lineStart + 1 },
            `text after a closing quote (${JSON.stringify(text.slice(i, i + 10))})`,
            "a delimiter or the end of the line",
          );
          bad = true;
          break;
        }
      } else {
        // Unquoted field: up to the delimiter or the end of the line.
        let j = i;
        let c = 0;
        while (j < n) {
          c = text.charCodeAt(j);
          if (c === delim || c === LF || c === CR) break;
          j++;
        }
        const value = text.slice(i, j);
        if (value.indexOf('"') !== -1) {
          problems.add(
            { line, column: i - lineStart + 1 + value.indexOf('"') },
            `bare " in an unquoted field (${JSON.stringify(value.slice(0, 30))})`,
            'the whole field in quotes, with "" for each quote inside it',
          );
          bad = true;
        }
        fields.push(value);
        i = j;
      }
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === delim) {
        i++;
        continue;
      }
      break; // end of line
    }
    if (bad) {
      // Skip to the end of the line.
      while (i < n && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
    }
    // Consume the line break.
    if (i < n && text.charCodeAt(i) === CR) i++;
    if (i < n && text.charCodeAt(i) === LF) i++;
    line++;
    lineStart = i;
    if (bad) continue;
    if (fields.length === 1 && (fields[0] as string).trim() === "") continue; // blank line
    rows.push({ line: rowLine, fields, columns });
  }
  return rows;
}

function lineStartOf(text: string, offset: number): number {
  const lf = text.lastIndexOf("\n", offset - 1);
  return lf + 1;
}
