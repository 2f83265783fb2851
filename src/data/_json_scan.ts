// Private: JSON helpers for the loaders. `findJsonError` locates the first
// syntax error in text that JSON.parse rejected (with our own wording, not the
// engine's); `arrayElementOffsets` finds where each top-level array element
// starts. Both are iterative (no recursion), linear in the text. Pure.

/** A JSON syntax error: its offset in the text, what was found, what was expected. */
export interface JsonSyntaxError {
  offset: number;
  what: string;
  expected: string;
}

const WS = new Set([32, 9, 10, 13]);

/**
 * Finds the first JSON syntax error in `text` between `start` and `end`, or
 * `undefined` if the text is one valid JSON value.
 */
export function findJsonError(
  text: string,
  start = 0,
  end = text.length,
): JsonSyntaxError | undefined {
  const stack: number[] = []; // 91 "[" or 123 "{"
  let pos = start;
  let state: "value" | "key" | "colon" | "after" = "value";
  const skip = () => {
    while (pos < end && WS.has(text.charCodeAt(pos))) pos++;
  };
  const found = (): string => pos >= end ? "the text ends" : `unexpected ${show(text, pos)}`;
  for (;;) {
    skip();
    if (state === "value") {
      if (pos >= end) {
        return {
          offset: pos,
          what: stack.length ? "the JSON ends early (truncated?)" : "no JSON value",
          expected: "a value",
        };
      }
      const c = text.charCodeAt(pos);
      if (c === 123 || c === 91) {
        stack.push(c);
        pos++;
        skip();
        const close = c === 123 ? 125 : 93;
        if (text.charCodeAt(pos) === close && pos < end) {
          stack.pop();
          pos++;
          state = "after";
        } else state = c === 123 ? "key" : "value";
        continue;
      }
      if (c === 34) {
        const error = scanString(text, pos, end);
        if (typeof error !== "number") return error;
        pos = error;
        state = "after";
        continue;
      }
      const next = scanScalar(text, pos, end);
      if (typeof next !== "number") return next;
      pos = next;
      state = "after";
      continue;
    }
    if (state === "key") {
      if (text.charCodeAt(pos) !== 34 || pos >= end) {
        return {
          offset: pos,
          what: pos >= end ? "the JSON ends early (truncated?)" : found(),
          expected: "a quoted key",
        };
      }
      const error = scanString(text, pos, end);
      if (typeof error !== "number") return error;
      pos = error;
      state = "colon";
      continue;
    }
    if (state === "colon") {
      if (pos >= end || text.charCodeAt(pos) !== 58) {
        return {
          offset: pos,
          what: pos >= end ? "the JSON ends early (truncated?)" : found(),
          expected: '":"',
        };
      }
      pos++;
      state = "value";
      continue;
    }
    // after a value
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (pos >= end) return undefined;
      return {
        offset: pos,
        what: `text after the JSON value (${show(text, pos)})`,
        expected: "the end",
      };
    }
    const close = top === 123 ? 125 : 93;
    const closeText = top === 123 ? '"}"' : '"]"';
    if (pos >= end) {
      return {
        offset: pos,
        what: "the JSON ends early (truncated?)",
        expected: `"," or ${closeText}`,
      };
    }
    const c = text.charCodeAt(pos);
    if (c === 44) {
      pos++;
      state = top === 123 ? "key" : "value";
    } else if (c === close) {
      stack.pop();
      pos++;
    } else {
      return { offset: pos, what: found(), expected: `"," or ${closeText}` };
    }
  }
}

/** Scans a number or a literal at `pos` (a value that is not a string, object or array): the position after it, or the error. */
function scanScalar(text: string, pos: number, end: number): number | JsonSyntaxError {
  const c = text.charCodeAt(pos);
  if (c === 45 || (c >= 48 && c <= 57)) {
    if (text.startsWith("-Infinity", pos)) {
      return {
        offset: pos,
        what: "-Infinity is not JSON",
        expected: "a finite number or null",
      };
    }
    const next = scanNumber(text, pos, end);
    if (next === undefined) {
      return { offset: pos, what: "a malformed number", expected: "a JSON number" };
    }
    return next;
  }
  for (const literal of ["NaN", "Infinity"]) {
    if (text.startsWith(literal, pos)) {
      return {
        offset: pos,
        what: `${literal} is not JSON`,
        expected: "a finite number or null",
      };
    }
  }
  for (const literal of ["true", "false", "null"]) {
    if (text.startsWith(literal, pos) && pos + literal.length <= end) {
      return pos + literal.length;
    }
  }
  const trailing = c === 93 || c === 125;
  const found = pos >= end ? "the text ends" : `unexpected ${show(text, pos)}`;
  return {
    offset: pos,
    what: trailing ? `${found} (a trailing comma?)` : found,
    expected: "a value",
  };
}

function show(text: string, pos: number): string {
  return JSON.stringify(text.slice(pos, pos + 12));
}

function scanString(text: string, pos: number, end: number): number | JsonSyntaxError {
  let i = pos + 1;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c < 32) {
      return {
        offset: i,
        what: "a raw control character in a string",
        expected: "an escape such as \\n",
      };
    }
    if (c === 92) {
      const e = text[i + 1];
      if (e === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)) || i + 6 > end) {
          return { offset: i, what: "a malformed \\u escape", expected: "\\u and four hex digits" };
        }
        i += 6;
        continue;
      }
      if (e === undefined || i + 1 >= end || !'"\\/bfnrt'.includes(e)) {
        return {
          offset: i,
          what: "a malformed escape",
          expected: 'one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u',
        };
      }
      i += 2;
      continue;
    }
    i++;
  }
  return { offset: pos, what: "a string never closes (truncated?)", expected: 'a closing "' };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function scanNumber(text: string, pos: number, end: number): number | undefined {
  NUMBER.lastIndex = pos;
  const match = NUMBER.exec(text);
  if (!match || match[0].length === 0) return undefined;
  const next = pos + match[0].length;
  if (next > end) return undefined;
  const c = text.charCodeAt(next);
  if (next < end && (c === 46 || (c >= 48 && c <= 57) || c === 101 || c === 69)) return undefined;
  return next;
}

/**
 * The offsets where each element of a top-level JSON array starts. `text`
 * must be valid JSON whose value is an array.
 */
export function arrayElementOffsets(text: string): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let expectElement = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) continue;
    if (expectElement && depth === 1 && c !== 93) offsets.push(i);
    expectElement = false;
    if (c === 34) {
      // Skip the string: find the closing quote that is not escaped.
      let j = text.indexOf('"', i + 1);
      while (j !== -1) {
        let backslashes = 0;
        for (let k = j - 1; text.charCodeAt(k) === 92; k--) backslashes++;
        if (backslashes % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      i = j === -1 ? n : j;
      continue;
    }
    if (c === 91 || c === 123) {
      depth++;
      if (depth === 1 && c === 91) expectElement = true;
    } else if (c === 93 || c === 125) depth--;
    else if (c === 44 && depth === 1) expectElement = true;
  }
  return offsets;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** 1-based lines and columns of ascending offsets, in one pass over the text. */
export function lineColumns(
  text: string,
  offsets: readonly number[],
): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  let line = 1;
  let lineStart = 0;
  let next = text.indexOf("\n");
  for (const offset of offsets) {
    while (next !== -1 && next < offset) {
      line++;
      lineStart = next + 1;
      next = text.indexOf("\n", next + 1);
    }
    out.push({ line, column: offset - lineStart + 1 });
  }
  return out;
}
