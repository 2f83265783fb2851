// The unit parser behind parseQuantity (units.ts): the units and prefixes
// mathjs 15 knows for sizes, durations and rates, read without loading mathjs.
import type { QuantityKind } from "./units.ts";

/** The SI unit of each kind, as parseQuantity's messages name it. */
export const SI_UNIT: Record<QuantityKind, string> = {
  bytes: "B",
  seconds: "s",
  bytesPerSecond: "B/s",
  pagesPerSecond: "1/s",
};

/** What each kind looks like, for messages. */
export const UNIT_LABEL: Record<QuantityKind, string> = {
  bytes: 'a size such as "64 MiB" or "1.5 GB"',
  seconds: 'a duration such as "300 ms" or "2 s"',
  bytesPerSecond: 'a rate such as "1 Gbps", "125 MB/s" or "500 Mbit/s"',
  pagesPerSecond: 'a page rate such as "5120 pages/s"',
};

// The units parseQuantity reads, as mathjs 15 defines them (Unit.js: UNITS, PREFIXES): the value
// of each unit in bits or seconds, and the prefixes it takes. The arithmetic below is mathjs's
// (_normalize, _denormalize) step for step, so every value is the one mathjs gave, bit for bit
// (units_test.ts checks this against mathjs over a grid of prefixes, units and numbers).
const SHORT_SI: Record<string, number> = {
  "": 1,
  da: 1e1,
  h: 1e2,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Z: 1e21,
  Y: 1e24,
  R: 1e27,
  Q: 1e30,
  d: 1e-1,
  c: 1e-2,
  m: 1e-3,
  u: 1e-6,
  n: 1e-9,
  p: 1e-12,
  f: 1e-15,
  a: 1e-18,
  z: 1e-21,
  y: 1e-24,
  r: 1e-27,
  q: 1e-30,
};
const LONG_SI: Record<string, number> = {
  "": 1,
  deca: 1e1,
  hecto: 1e2,
  kilo: 1e3,
  mega: 1e6,
  giga: 1e9,
  tera: 1e12,
  peta: 1e15,
  exa: 1e18,
  zetta: 1e21,
  yotta: 1e24,
  ronna: 1e27,
  quetta: 1e30,
  deci: 1e-1,
  centi: 1e-2,
  milli: 1e-3,
  micro: 1e-6,
  nano: 1e-9,
  pico: 1e-12,
  femto: 1e-15,
  atto: 1e-18,
  zepto: 1e-21,
  yocto: 1e-24,
  ronto: 1e-27,
  quecto: 1e-30,
};
const BINARY_SHORT: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Z: 1e21,
  Y: 1e24,
  Ki: 1024,
  Mi: 1048576,
  Gi: 1073741824,
  Ti: 1099511627776,
  Pi: 1125899906842624,
  Ei: 1152921504606846976,
  Zi: 1180591620717411303424,
  Yi: 1208925819614629174706176,
};
const BINARY_LONG: Record<string, number> = {
  "": 1,
  kilo: 1e3,
  mega: 1e6,
  giga: 1e9,
  tera: 1e12,
  peta: 1e15,
  exa: 1e18,
  zetta: 1e21,
  yotta: 1e24,
  kibi: 1024,
  mebi: 1048576,
  gibi: 1073741824,
  tebi: 1099511627776,
  pebi: 1125899906842624,
  exi: 1152921504606846976,
  zebi: 1180591620717411303424,
  yobi: 1208925819614629174706176,
};
const NONE: Record<string, number> = { "": 1 };

interface UnitDefinition {
  dimension: "bits" | "seconds";
  value: number;
  prefixes: Record<string, number>;
}

const UNIT_DEFINITIONS: Record<string, UnitDefinition> = {
  b: { dimension: "bits", value: 1, prefixes: BINARY_SHORT },
  B: { dimension: "bits", value: 8, prefixes: BINARY_SHORT },
  bit: { dimension: "bits", value: 1, prefixes: BINARY_LONG },
  bits: { dimension: "bits", value: 1, prefixes: BINARY_LONG },
  byte: { dimension: "bits", value: 8, prefixes: BINARY_LONG },
  bytes: { dimension: "bits", value: 8, prefixes: BINARY_LONG },
  s: { dimension: "seconds", value: 1, prefixes: SHORT_SI },
  second: { dimension: "seconds", value: 1, prefixes: LONG_SI },
  seconds: { dimension: "seconds", value: 1, prefixes: LONG_SI },
  sec: { dimension: "seconds", value: 1, prefixes: LONG_SI },
  secs: { dimension: "seconds", value: 1, prefixes: LONG_SI },
  min: { dimension: "seconds", value: 60, prefixes: NONE },
  mins: { dimension: "seconds", value: 60, prefixes: NONE },
  minute: { dimension: "seconds", value: 60, prefixes: NONE },
  minutes: { dimension: "seconds", value: 60, prefixes: NONE },
  h: { dimension: "seconds", value: 3600, prefixes: NONE },
  hr: { dimension: "seconds", value: 3600, prefixes: NONE },
  hrs: { dimension: "seconds", value: 3600, prefixes: NONE },
  hour: { dimension: "seconds", value: 3600, prefixes: NONE },
  hours: { dimension: "seconds", value: 3600, prefixes: NONE },
  day: { dimension: "seconds", value: 86400, prefixes: NONE },
  days: { dimension: "seconds", value: 86400, prefixes: NONE },
  week: { dimension: "seconds", value: 604800, prefixes: NONE },
  weeks: { dimension: "seconds", value: 604800, prefixes: NONE },
};

/** A unit name with its prefix, as mathjs finds it: the exact name first, then name + prefix. */
function findUnit(name: string): { unit: UnitDefinition; prefix: number } | undefined {
  const exact = UNIT_DEFINITIONS[name];
  if (exact !== undefined) return { unit: exact, prefix: 1 };
  for (const [unitName, unit] of Object.entries(UNIT_DEFINITIONS)) {
    if (!name.endsWith(unitName)) continue;
    const prefix = unit.prefixes[name.slice(0, name.length - unitName.length)];
    if (prefix !== undefined) return { unit, prefix };
  }
  return undefined;
}

// The SI unit of each kind as the units of a quotient: [numerator, denominator].
const TARGET: Record<
  QuantityKind,
  [UnitDefinition["dimension"] | undefined, "seconds" | undefined]
> = {
  bytes: ["bits", undefined],
  seconds: ["seconds", undefined],
  bytesPerSecond: ["bits", "seconds"],
  pagesPerSecond: [undefined, "seconds"],
};

export function parseUnitText(text: string, trimmed: string, kind: QuantityKind): number {
  // Bits (b), bytes (B) with SI and binary prefixes; "bps", "bit", "byte" as mathjs was taught.
  const normalised = trimmed
    .replace(/(b|B)ps$/, "$1/s")
    .replace(/bits?(?=$|\/)/, "b")
    .replace(/bytes?(?=$|\/)/, "B");
  const parts = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*([A-Za-z]+)(?:\s*\/\s*([A-Za-z]+))?$/
    .exec(normalised);
  const numerator = parts ? findUnit(parts[2]!) : undefined;
  const denominator = parts?.[3] === undefined ? undefined : findUnit(parts[3]);
  if (!parts || numerator === undefined || (parts[3] !== undefined && denominator === undefined)) {
    throw new SyntaxError(`parseQuantity: unknown unit in "${text}", expected ${UNIT_LABEL[kind]}`);
  }
  const [wantNumerator, wantDenominator] = TARGET[kind];
  if (
    numerator.unit.dimension !== wantNumerator ||
    (denominator?.unit.dimension ?? undefined) !== wantDenominator
  ) {
    throw new RangeError(
      `parseQuantity: "${text}" is not ${UNIT_LABEL[kind]}, expected a unit convertible to ${
        SI_UNIT[kind]
      }`,
    );
  }
  // mathjs: the value in base units (bits, seconds), then divided by the target unit (B, s, B/s).
  let value = Number(parts[1]) * Math.pow(numerator.unit.value * numerator.prefix, 1);
  if (denominator !== undefined) {
    value *= Math.pow(denominator.unit.value * denominator.prefix, -1);
  }
  if (wantNumerator === "bits") value /= Math.pow(8 * 1, 1);
  if (wantDenominator === "seconds") value /= Math.pow(1 * 1, -1);
  return value;
}
