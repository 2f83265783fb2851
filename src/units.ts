/**
 * Units at the edges of the toolkit.
 *
 * Everything inside the toolkit is SI: bytes, seconds, bytes per second and
 * pages per second. The helpers here convert the units people write (MiB, GB,
 * Mbps, pages) into those, once, where data enter or leave.
 *
 * @module
 */

/** Bytes in a kibibyte (2^10). */
export const KIB = 1024;
/** Bytes in a mebibyte (2^20). */
export const MIB = 1024 * 1024;
/** Bytes in a gibibyte (2^30). */
export const GIB = 1024 * 1024 * 1024;
/** Bytes in a megabyte (10^6). */
export const MB = 1e6;
/** Bytes in a gigabyte (10^9). */
export const GB = 1e9;
/** The page size the paper assumes and x86 uses, in bytes. */
export const DEFAULT_PAGE_BYTES = 4096;

/**
 * Converts mebibytes (MiB, 2^20 bytes) to bytes.
 *
 * @param mib Size in MiB.
 * @returns Size in bytes.
 *
 * @example Half a gibibyte
 * ```ts
 * import { mibToBytes } from "./units.ts";
 * import assert from "node:assert/strict";
 * assert.equal(mibToBytes(512), 536870912);
 * ```
 */
export function mibToBytes(mib: number): number {
  return mib * MIB;
}

/**
 * Converts bytes to mebibytes (MiB, 2^20 bytes).
 *
 * @param bytes Size in bytes.
 * @returns Size in MiB.
 *
 * @example
 * ```ts
 * import { bytesToMib } from "./units.ts";
 * import assert from "node:assert/strict";
 * assert.equal(bytesToMib(67108864), 64);
 * ```
 */
export function bytesToMib(bytes: number): number {
  return bytes / MIB;
}

/**
 * Converts gibibytes (GiB, 2^30 bytes) to bytes.
 *
 * @param gib Size in GiB.
 * @returns Size in bytes.
 *
 * @example The paper's VM
 * ```ts
 * import { gibToBytes } from "./units.ts";
 * import assert from "node:assert/strict";
 * assert.equal(gibToBytes(1.5), 1610612736);
 * ```
 */
export function gibToBytes(gib: number): number {
  return gib * GIB;
}

/**
 * Converts megabits per second (10^6 bit/s) to bytes per second.
 *
 * @param mbps Rate in Mbit/s.
 * @returns Rate in bytes/s.
 *
 * @example
 * ```ts
 * import { mbpsToBytesPerSecond } from "./units.ts";
 * import assert from "node:assert/strict";
 * assert.equal(mbpsToBytesPerSecond(1000), 125e6);
 * ```
 */
export function mbpsToBytesPerSecond(mbps: number): number {
  return (mbps * 1e6) / 8;
}

/**
 * Converts bytes per second to megabits per second (10^6 bit/s).
 *
 * @param bytesPerSecond Rate in bytes/s.
 * @returns Rate in Mbit/s.
 *
 * @example
 * ```ts
 * import { bytesPerSecondToMbps } from "./units.ts";
 * import assert from "node:assert/strict";
 * assert.equal(bytesPerSecondToMbps(125e6), 1000);
 * ```
 */
export function bytesPerSecondToMbps(bytesPerSecond: number): number {
  return (bytesPerSecond * 8) / 1e6;
}

/**
 * Converts gigabits per second (10^9 bit/s) to bytes per second.
 *
 * @param gbps Rate in Gbit/s.
 * @returns Rate in bytes/s.
 *
 * @example Gigabit Ethernet, as in the paper's testbed
 * ```ts
 * import { gbpsToBytesPerSecond } from "./units.ts";
 * import assert from "node:assert/strict";
 * assert.equal(gbpsToBytesPerSecond(1), 125e6);
 * ```
 */
export function gbpsToBytesPerSecond(gbps: number): number {
  return (gbps * 1e9) / 8;
}

/**
 * Converts a number of pages to bytes.
 *
 * @param pages Number of pages.
 * @param pageBytes Page size in bytes.
 * @returns Size in bytes.
 *
 * @example
 * ```ts
 * import { pagesToBytes } from "./units.ts";
 * import assert from "node:assert/strict";
 * assert.equal(pagesToBytes(50), 204800);
 * ```
 */
export function pagesToBytes(pages: number, pageBytes: number = DEFAULT_PAGE_BYTES): number {
  return pages * pageBytes;
}

/**
 * Converts bytes to a number of pages (not rounded).
 *
 * @param bytes Size in bytes.
 * @param pageBytes Page size in bytes.
 * @returns Number of pages.
 *
 * @example
 * ```ts
 * import { bytesToPages } from "./units.ts";
 * import assert from "node:assert/strict";
 * assert.equal(bytesToPages(67108864), 16384);
 * ```
 */
export function bytesToPages(bytes: number, pageBytes: number = DEFAULT_PAGE_BYTES): number {
  return bytes / pageBytes;
}

/** The kinds of quantity {@linkcode parseQuantity} understands, each with its SI unit. */
export type QuantityKind = "bytes" | "seconds" | "bytesPerSecond" | "pagesPerSecond";

const SI_UNIT: Record<QuantityKind, string> = {
  bytes: "B",
  seconds: "s",
  bytesPerSecond: "B/s",
  pagesPerSecond: "1/s",
};

const UNIT_LABEL: Record<QuantityKind, string> = {
  bytes: 'a size such as "64 MiB" or "1.5 GB"',
  seconds: 'a duration such as "300 ms" or "2 s"',
  bytesPerSecond: 'a rate such as "1 Gbps", "125 MB/s" or "500 Mbit/s"',
  pagesPerSecond: 'a page rate such as "5120 pages/s"',
};

/** Options for {@linkcode parseQuantity}. */
export interface ParseQuantityOptions {
  /**
   * Page size in bytes, used when a size or rate is given in pages.
   *
   * @default {4096}
   */
  pageBytes?: number;
}

/**
 * Parses a quantity written with its unit ("1.5 GB", "64 MiB", "1 Gbps",
 * "300 ms", "5120 pages/s") into the toolkit's SI unit for that kind:
 * bytes, seconds, bytes/s or pages/s.
 *
 * Units are read as mathjs 15 reads them (without loading it): bits and
 * bytes with every SI and binary prefix ("kB", "KiB", "MB", "MiB", "GB",
 * "GiB", "Mb/s", ...), seconds with SI prefixes ("ms", "us", "millisecond")
 * and min, h, day and week, and a size over a time for a rate. Rates in bits may be
 * written with the usual "bps" suffix ("Mbps", "Gbps") or as "Mbit/s". A
 * bare number is rejected: the unit must be said.
 *
 * @param text The quantity with its unit.
 * @param kind Which kind of quantity is expected.
 * @param options Page size for quantities given in pages.
 * @returns The value in the SI unit of `kind`.
 * @throws {SyntaxError} If the text is not a number followed by a known unit.
 * @throws {RangeError} If the unit has the wrong dimension for `kind`, or the value is not finite.
 *
 * @example Sizes and rates
 * ```ts
 * import { parseQuantity } from "./units.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseQuantity("1.5 GB", "bytes"), 1.5e9);
 * assert.equal(parseQuantity("64 MiB", "bytes"), 67108864);
 * assert.equal(parseQuantity("1 Gbps", "bytesPerSecond"), 125e6);
 * assert.equal(parseQuantity("5120 pages/s", "pagesPerSecond"), 5120);
 * ```
 *
 * @example A unit of the wrong kind
 * ```ts
 * import { parseQuantity } from "./units.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => parseQuantity("3 s", "bytes"), RangeError);
 * ```
 */
export function parseQuantity(
  text: string,
  kind: QuantityKind,
  options: ParseQuantityOptions = {},
): number {
  const { pageBytes = DEFAULT_PAGE_BYTES } = options;
  if (typeof text !== "string") {
    throw new TypeError(`parseQuantity: expected a string (got ${typeof text})`);
  }
  if (!(kind in SI_UNIT)) {
    throw new TypeError(
      `parseQuantity: invalid kind "${kind}", expected one of ${
        Object.keys(SI_UNIT).map((k) => `"${k}"`).join(", ")
      }`,
    );
  }
  const trimmed = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*[A-Za-z]/.test(trimmed)) {
    throw new SyntaxError(
      `parseQuantity: cannot read "${text}", expected ${UNIT_LABEL[kind]}`,
    );
  }
  const pages = /^([-+]?[\d.]+(?:e[-+]?\d+)?)\s*pages?(\s*\/\s*(?:s|sec|second))?$/i.exec(trimmed);
  let value: number;
  if (pages) {
    const count = Number(pages[1]);
    const perSecond = pages[2] !== undefined;
    if (kind === "pagesPerSecond" && perSecond) value = count;
    else if (kind === "bytes" && !perSecond) value = count * pageBytes;
    else if (kind === "bytesPerSecond" && perSecond) value = count * pageBytes;
    else {
      throw new RangeError(
        `parseQuantity: "${text}" is not ${UNIT_LABEL[kind]}, expected a unit convertible to ${
          SI_UNIT[kind]
        }`,
      );
    }
  } else {
    value = parseUnitText(text, trimmed, kind);
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(`parseQuantity: "${text}" is not a finite quantity`);
  }
  return value;
}

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

function parseUnitText(text: string, trimmed: string, kind: QuantityKind): number {
  // Bits (b) and bytes (B) with SI and binary prefixes; "bps", "bit" and "byte" as mathjs was taught.
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
