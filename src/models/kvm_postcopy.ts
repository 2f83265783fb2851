/**
 * The KVM post-copy model of the paper's section 4.2.
 *
 * @module
 */

import { checkNumber, checkObject } from "../_validate.ts";
import { resolveInput } from "./_input.ts";
import type { MigrationInput } from "./types.ts";

/** Options for {@linkcode kvmPostcopy}. */
export interface KvmPostcopyOptions {
  /**
   * The guest's pause while the CPU and device state move to the
   * destination, in seconds. The paper measured 34.4-59.5 ms for KVM
   * post-copy (section 3.2.1); the default is the middle of that range.
   *
   * @default {0.047}
   */
  switchoverSeconds?: number;
  /**
   * Pre-copy passes before the switch to post-copy: 0 switches at once (the
   * paper's T = M/B); 1 sends the whole memory first, as QEMU does when
   * `migrate-start-postcopy` comes after the first pass, and then the pages
   * dirtied during it, min(W, p·d·M/B), move in the post-copy phase.
   *
   * @default {0}
   */
  precopyPasses?: 0 | 1;
}

/** The result of {@linkcode kvmPostcopy}. */
export interface KvmPostcopyResult {
  /**
   * The whole migration, in seconds: M/B (plus the re-sent dirty pages after
   * a pre-copy pass), the paper's T_pst; the switchover pause
   * (`downtimeSeconds`) is not added.
   */
  migrationTimeSeconds: number;
  /** Bytes sent. */
  transferredBytes: number;
  /** The guest's pause at the switch, in seconds (the `switchoverSeconds` option). */
  downtimeSeconds: number;
  /** Seconds spent in the pre-copy pass before the switch (0 when switching at once). */
  precopyTimeSeconds: number;
}

/** Fully resolved options, shared with sweep(). */
export interface ResolvedPostcopyOptions {
  switchoverSeconds: number;
  precopyPasses: 0 | 1;
}

/**
 * Checks {@linkcode KvmPostcopyOptions} and fills in the defaults.
 *
 * @param where The calling function's name.
 * @param options The options to check.
 */
export function resolvePostcopyOptions(
  where: string,
  options: KvmPostcopyOptions,
): ResolvedPostcopyOptions {
  const record = checkObject(where, "options", options);
  const { switchoverSeconds = 0.047, precopyPasses = 0 } = record;
  checkNumber(where, "option", "precopyPasses", precopyPasses, "integer>=0");
  if (precopyPasses !== 0 && precopyPasses !== 1) {
    throw new RangeError(
      `${where}: invalid option "precopyPasses", expected 0 or 1 (got ${precopyPasses})`,
    );
  }
  return {
    switchoverSeconds: checkNumber(
      where,
      "option",
      "switchoverSeconds",
      switchoverSeconds,
      "non-negative",
      "seconds",
    ),
    precopyPasses,
  };
}

/**
 * Estimates a KVM post-copy live migration: T_pst = M/B (section 4.2).
 *
 * Post-copy sends every page once: the guest resumes on the destination after
 * a short pause and pulls the rest of its memory, so neither the working set
 * nor the dirty rate changes the time. With `precopyPasses: 1` the whole
 * memory is sent once before the switch and the pages dirtied during that
 * pass, min(W, p·d·M/B), are sent again after it.
 *
 * Cost: O(1).
 *
 * @param input The configuration: M, W, d, B and the page size, in SI units.
 * @param options The pause at the switch and the pre-copy passes.
 * @returns The estimated time, bytes and pause.
 * @throws {TypeError} If a field is missing or not a number.
 * @throws {RangeError} If a field is out of range.
 *
 * @example 1.5 GiB over Gigabit Ethernet
 * ```ts
 * import { kvmPostcopy } from "./kvm_postcopy.ts";
 * import assert from "node:assert/strict";
 * const result = kvmPostcopy({
 *   memoryBytes: 1.5 * 2 ** 30,
 *   wssBytes: 2 ** 30,
 *   dirtyPagesPerSecond: 51200,
 *   bandwidthBytesPerSecond: 125e6,
 * });
 * assert.ok(Math.abs(result.migrationTimeSeconds - 12.884901888) < 1e-9);
 * assert.equal(result.precopyTimeSeconds, 0);
 * assert.equal(result.downtimeSeconds, 0.047);
 * ```
 */
export function kvmPostcopy(
  input: MigrationInput,
  options: KvmPostcopyOptions = {},
): KvmPostcopyResult {
  const { memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes } =
    resolveInput("kvmPostcopy", input);
  const { switchoverSeconds, precopyPasses } = resolvePostcopyOptions("kvmPostcopy", options);
  const transferredBytes = postcopyTransferredBytes(
    memoryBytes,
    wssBytes,
    dirtyPagesPerSecond,
    bandwidthBytesPerSecond,
    pageBytes,
    precopyPasses,
  );
  return {
    migrationTimeSeconds: transferredBytes / bandwidthBytesPerSecond,
    transferredBytes,
    downtimeSeconds: switchoverSeconds,
    precopyTimeSeconds: precopyPasses === 0 ? 0 : memoryBytes / bandwidthBytesPerSecond,
  };
}

/**
 * Bytes a post-copy migration sends, on checked inputs: M, plus the pages
 * dirtied during a first pre-copy pass when there is one. Shared with sweep().
 */
export function postcopyTransferredBytes(
  memoryBytes: number,
  wssBytes: number,
  dirtyPagesPerSecond: number,
  bandwidthBytesPerSecond: number,
  pageBytes: number,
  precopyPasses: 0 | 1,
): number {
  if (precopyPasses === 0) return memoryBytes;
  const firstPassSeconds = memoryBytes / bandwidthBytesPerSecond;
  return memoryBytes + Math.min(wssBytes, pageBytes * dirtyPagesPerSecond * firstPassSeconds);
}
