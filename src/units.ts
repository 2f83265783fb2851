/**
 * Units at the edges of the toolkit.
 *
 * Everything inside the toolkit is SI: bytes, seconds, bytes per second and
 * pages per second. The helpers here convert the units people write (MiB, GB,
 * Mbps, pages) into those, once, where data enter or leave.
 *
 * @module
 */

import { parseUnitText, SI_UNIT, UNIT_LABEL } from "./_unit_parse.ts";

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
