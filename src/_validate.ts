// Private checks shared by the public functions. Each throws a TypeError for a
// wrong type and a RangeError for a value out of range, with the message form
// `where: invalid KIND "field", expected WHAT (got VALUE)`.

/** What a checked number must be. */
export type NumberRule = "finite" | "non-negative" | "positive" | "integer>=1" | "integer>=0";

const RULE_TEXT: Record<NumberRule, string> = {
  "finite": "a finite number",
  "non-negative": "a finite number >= 0",
  "positive": "a finite number > 0",
  "integer>=1": "an integer >= 1",
  "integer>=0": "an integer >= 0",
};

function show(value: unknown): string {
  if (typeof value === "string") return `"${value}"`;
  if (typeof value === "bigint") return `${value}n`;
  if (value === undefined) return "undefined";
  try {
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  } catch {
    return String(value);
  }
}

/**
 * Checks one number and returns it.
 *
 * @param where The function name, e.g. "xenPrecopy".
 * @param kind "input" or "option".
 * @param field The field name.
 * @param value The value to check.
 * @param rule What the value must be.
 * @param unit The unit, for the message (e.g. "bytes/s"); "" for none.
 */
export function checkNumber(
  where: string,
  kind: "input" | "option",
  field: string,
  value: unknown,
  rule: NumberRule,
  unit = "",
): number {
  const expected = `${RULE_TEXT[rule]}${unit ? ` ${unit}` : ""}`;
  if (typeof value !== "number") {
    throw new TypeError(
      `${where}: invalid ${kind} "${field}", expected ${expected} (got ${show(value)})`,
    );
  }
  const ok = rule === "finite"
    ? Number.isFinite(value)
    : rule === "non-negative"
    ? Number.isFinite(value) && value >= 0
    : rule === "positive"
    ? Number.isFinite(value) && value > 0
    : rule === "integer>=1"
    ? Number.isInteger(value) && value >= 1
    : Number.isInteger(value) && value >= 0;
  if (!ok) {
    throw new RangeError(
      `${where}: invalid ${kind} "${field}", expected ${expected} (got ${show(value)})`,
    );
  }
  return value;
}

/**
 * Checks that a value is a plain object (an input or options bag).
 *
 * @param where The function name.
 * @param what "input" or "options".
 * @param value The value to check.
 */
export function checkObject(where: string, what: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${where}: invalid ${what}, expected an object (got ${show(value)})`);
  }
  return value as Record<string, unknown>;
}

/**
 * Checks a boolean option.
 *
 * @param where The function name.
 * @param field The option name.
 * @param value The value.
 */
export function checkBoolean(where: string, field: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new TypeError(
      `${where}: invalid option "${field}", expected true or false (got ${show(value)})`,
    );
  }
  return value;
}

export { show as showValue };

/**
 * Checks that `runs` is an array of objects (a dataset's runs; their fields
 * are the caller's to check).
 *
 * @param where The public function's name.
 * @param runs The value to check.
 */
export function checkRuns(where: string, runs: unknown): Record<string, unknown>[] {
  if (!Array.isArray(runs)) {
    throw new TypeError(
      `${where}: invalid runs, expected an array of runs (got ${show(runs)})`,
    );
  }
  runs.forEach((run, i) => checkObject(where, `run at index ${i}`, run));
  return runs;
}
