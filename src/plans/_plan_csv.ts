// A small CSV reader for the plan tables: RFC 4180 quotes, CRLF or LF, and
// the 1-based character column where each field starts (for messages).
import type { DatasetProblem } from "../data/dataset_error.ts";

/** One record: its line, fields and their start columns. */
export interface CsvRecord {
  line: number;
  values: string[];
  columns: number[];
}

/** Splits CSV text into records; blank lines are skipped. */
export function readCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const values: string[] = [];
    const columns: number[] = [];
    const recordLine = line;
    let lineStart = i;
    for (;;) {
      columns.push(i - lineStart + 1);
      let value = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) break;
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (text[i] === "\n") {
            line++;
            lineStart = i + 1;
          }
          value += text[i++];
        }
      }
      const end = nextBreak(text, i);
      value += text.slice(i, end);
      i = end;
      values.push(value);
      if (text[i] === ",") {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === "\r") i++;
    if (text[i] === "\n") i++;
    line++;
    if (!(values.length === 1 && values[0] === "")) {
      records.push({ line: recordLine, values, columns });
    }
  }
  return records;
}

function nextBreak(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === "," || c === "\n" || c === "\r") break;
    i++;
  }
  return i;
}

/** Collects problems for one file, up to a limit. */
export interface ProblemList {
  file: string;
  limit: number;
  list: DatasetProblem[];
  count: number;
}

/** Adds a problem: `file:line:column: column "field": what, expected ...`. */
export function addProblem(
  problems: ProblemList,
  place: { line: number; column?: number | undefined; field?: string; value?: string },
  what: string,
  expected: string,
): void {
  problems.count++;
  if (problems.list.length >= problems.limit) return;
  const where = `${problems.file}:${place.line}${
    place.column === undefined ? "" : `:${place.column}`
  }`;
  const field = place.field === undefined ? "" : ` column "${place.field}":`;
  const problem: DatasetProblem = {
    file: problems.file,
    line: place.line,
    expected,
    message: `${where}:${field} ${what}, expected ${expected}`,
  };
  if (place.column !== undefined) problem.column = place.column;
  if (place.field !== undefined) problem.field = place.field;
  if (place.value !== undefined) problem.value = place.value;
  problems.list.push(problem);
}
