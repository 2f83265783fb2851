// Private: reading number cells fast, and the patterns that tell number text
// from other text. Pure.

/** A plain decimal number, as text (sign, digits, point, exponent). */
export const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** NaN and infinities as text. */
export const NOT_FINITE_TEXT = /^[+-]?(?:nan|inf|infinity)$/i;
/** A number followed by a unit, as text ("256 MiB"). */
export const WITH_UNIT_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*[A-Za-zµ/]+$/;

/**
 * The number a cell holds when it is a plain decimal that starts with a digit
 * (a string NUMBER_TEXT matches, without a sign or a leading point), else NaN.
 * No regular expression and no trim: the usual short cell (digits with at
 * most one point, at most 15 characters) is read digit by digit, as in
 * {@linkcode shortDecimal}; any other goes through `+text`, which also reads
 * white space around a number and 0x, 0o and 0b prefixes: a plain decimal
 * ends in a digit or a point and has no such prefix.
 */
export function plainDecimal(text: string): number {
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
