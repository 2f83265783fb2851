// Resolves and checks a MigrationInput once, at the boundary of each model.
import { checkNumber, checkObject } from "../_validate.ts";
import { DEFAULT_PAGE_BYTES } from "../units.ts";
import type { MigrationInput } from "./types.ts";

/** A checked MigrationInput with the page size filled in. */
export interface ResolvedInput {
  memoryBytes: number;
  wssBytes: number;
  dirtyPagesPerSecond: number;
  bandwidthBytesPerSecond: number;
  pageBytes: number;
  zeroBytes: number;
}

/**
 * Checks every field of a model input and fills in the page size.
 *
 * @param where The model's name, for messages.
 * @param input The input to check.
 */
export function resolveInput(where: string, input: MigrationInput): ResolvedInput {
  const record = checkObject(where, "input", input);
  const memoryBytes = checkNumber(
    where,
    "input",
    "memoryBytes",
    record.memoryBytes,
    "positive",
    "bytes",
  );
  const wssBytes = checkNumber(
    where,
    "input",
    "wssBytes",
    record.wssBytes,
    "non-negative",
    "bytes",
  );
  const dirtyPagesPerSecond = checkNumber(
    where,
    "input",
    "dirtyPagesPerSecond",
    record.dirtyPagesPerSecond,
    "non-negative",
    "pages/s",
  );
  const bandwidthBytesPerSecond = checkNumber(
    where,
    "input",
    "bandwidthBytesPerSecond",
    record.bandwidthBytesPerSecond,
    "positive",
    "bytes/s",
  );
  const pageBytes = record.pageBytes === undefined
    ? DEFAULT_PAGE_BYTES
    : checkNumber(where, "input", "pageBytes", record.pageBytes, "integer>=1", "bytes");
  if (wssBytes > memoryBytes) {
    throw new RangeError(
      `${where}: invalid input "wssBytes", expected bytes <= memoryBytes (${memoryBytes}) (got ${wssBytes})`,
    );
  }
  const zeroBytes = record.zeroBytes === undefined
    ? 0
    : checkNumber(where, "input", "zeroBytes", record.zeroBytes, "non-negative", "bytes");
  if (zeroBytes > memoryBytes - wssBytes) {
    throw new RangeError(
      `${where}: invalid input "zeroBytes", expected bytes <= memoryBytes - wssBytes (${
        memoryBytes - wssBytes
      }) (got ${zeroBytes})`,
    );
  }
  return {
    memoryBytes,
    wssBytes,
    dirtyPagesPerSecond,
    bandwidthBytesPerSecond,
    pageBytes,
    zeroBytes,
  };
}
