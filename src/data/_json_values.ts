// Private: reads a JSON document, a JSON array or JSON Lines into values with
// their line numbers, for the importers. Pure; problems go to a collector.

import { arrayElementOffsets, findJsonError, lineColumn, lineColumns } from "./_json_scan.ts";
import type { Problems } from "./_problems.ts";

/** A JSON value and where it starts. */
export interface LocatedValue {
  value: unknown;
  line: number;
}

/**
 * Reads `text` as one JSON value (an array yields its elements) or, failing
 * that, as JSON Lines. Reports syntax errors with line and column.
 */
export function readJsonValues(text: string, problems: Problems): LocatedValue[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") problems.fail({}, "the file is empty", "JSON");
  try {
    const value = JSON.parse(body);
    if (Array.isArray(value)) {
      const places = lineColumns(body, arrayElementOffsets(body));
      return value.map((v, i) => ({ value: v, line: places[i]?.line ?? 1 }));
    }
    return [{ value, line: lineColumn(body, body.length - body.trimStart().length).line }];
  } catch {
    // fall through
  }
  const lines = body.split("\n");
  const nonBlank = lines.filter((l) => l.trim() !== "").length;
  const firstLineParses = (() => {
    const first = lines.find((l) => l.trim() !== "") ?? "";
    return findJsonError(first) === undefined;
  })();
  if (body.trimStart().startsWith("[") || nonBlank === 1 || !firstLineParses) {
    const error = findJsonError(body);
    problems.fail(
      lineColumn(body, error?.offset ?? 0),
      error?.what ?? "invalid JSON",
      error?.expected ?? "JSON",
    );
  }
  const values: LocatedValue[] = [];
  lines.forEach((raw, index) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    try {
      values.push({ value: JSON.parse(line), line: index + 1 });
    } catch {
      const error = findJsonError(line);
      problems.add(
        { line: index + 1, column: (error?.offset ?? 0) + 1 },
        error?.what ?? "invalid JSON",
        `${error?.expected ?? "a value"} (one JSON value per line)`,
      );
    }
  });
  problems.throwIfAny();
  return values;
}

/**
 * `body` parsed as one JSON value; a syntax error fails `problems` at its
 * line and column, with `expected` as what was expected when the scanner
 * does not say.
 */
export function parseJsonOrFail(body: string, problems: Problems, expected: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    const error = findJsonError(body);
    const at = lineColumn(body, error?.offset ?? 0);
    problems.fail(at, error?.what ?? "invalid JSON", error?.expected ?? expected);
  }
}
