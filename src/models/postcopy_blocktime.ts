/**
 * The time the vCPU of a post-copy migration waits on pages it does not
 * have yet (QEMU's `postcopy-blocktime`).
 *
 * @module
 */

import { checkNumber, checkObject } from "../_validate.ts";
import { resolveInput } from "./_input.ts";
import { resolvePostcopyOptions } from "./kvm_postcopy.ts";
import { postcopyBlockedSeconds } from "./postcopy_progress.ts";
import type { MigrationInput } from "./types.ts";

/** Options for {@linkcode postcopyBlocktime}. */
export interface PostcopyBlocktimeOptions {
  /**
   * Seconds a working-set fault costs beyond the page's transfer (as
   * `guestProgress`'s `faultSeconds`).
   *
   * @default {0}
   */
  faultSeconds?: number;
  /**
   * Bytes: the faults outside the working set (the guest's kernel and
   * program pages not copied yet) times the bytes queued ahead of each on
   * the migration's stream, so that they wait this over B in all.
   *
   * @default {0}
   */
  backgroundFaultBytes?: number;
  /**
   * Pre-copy passes before the switch (as `kvmPostcopy`'s option).
   *
   * @default {0}
   */
  precopyPasses?: 0 | 1;
}

/**
 * Estimates the summed time the vCPU is blocked on missing pages during a
 * post-copy migration, with the fault model of `guestProgress`: a guest that
 * writes its working set W page after page at d pages/s faults on each of
 * its n = W/p pages not copied yet; QEMU streams the pages after a faulted
 * one, so each first-pass page takes τ = max(1/d, p/B) + `faultSeconds`,
 * of which τ − 1/d is waiting (none from the link when d·p < B). Faults
 * outside the working set (kernel, program, page tables) wait for what is
 * queued ahead of them on the stream, a time proportional to 1/B:
 * `backgroundFaultBytes`/B in all. Blocktime = n·(τ − 1/d) + K/B (only the
 * pages faulted within the phase when the first pass does not end in it).
 *
 * Where it does not hold: as `guestProgress`'s post-copy (random writers,
 * reads, several vCPUs, huge pages, the preemption channel), and a queue
 * ahead of a fault that is not the link's (a destination too busy to load
 * pages).
 *
 * Cost: O(1).
 *
 * @param input The configuration: M, W, d, B and the page size.
 * @param options The fault cost, the background faults' bytes, the pre-copy passes.
 * @returns The blocked time, seconds.
 * @throws {TypeError} If a field or option has the wrong type.
 * @throws {RangeError} If a field or option is out of range.
 *
 * @example A guest slower than the link waits only for its background faults
 * ```ts
 * import { postcopyBlocktime } from "./postcopy_blocktime.ts";
 * import assert from "node:assert/strict";
 * const seconds = postcopyBlocktime({
 *   memoryBytes: 1.5 * 2 ** 30, wssBytes: 2 ** 28, dirtyPagesPerSecond: 5120,
 *   bandwidthBytesPerSecond: 120e6,
 * }, { backgroundFaultBytes: 84e6 });
 * assert.ok(Math.abs(seconds - 0.7) < 1e-12);
 * ```
 *
 * @example A guest faster than the link waits W/B − n/d for it
 * ```ts
 * import { postcopyBlocktime } from "./postcopy_blocktime.ts";
 * import assert from "node:assert/strict";
 * const seconds = postcopyBlocktime({
 *   memoryBytes: 1.5 * 2 ** 30, wssBytes: 2 ** 30, dirtyPagesPerSecond: 51200,
 *   bandwidthBytesPerSecond: 125e6,
 * });
 * assert.ok(Math.abs(seconds - (2 ** 30 / 125e6 - 2 ** 18 / 51200)) < 1e-9);
 * ```
 */
export function postcopyBlocktime(
  input: MigrationInput,
  options: PostcopyBlocktimeOptions = {},
): number {
  const where = "postcopyBlocktime";
  const resolved = resolveInput(where, input);
  const record = checkObject(where, "options", options);
  const { faultSeconds = 0, backgroundFaultBytes = 0 } = record;
  const fault = checkNumber(
    where,
    "option",
    "faultSeconds",
    faultSeconds,
    "non-negative",
    "seconds",
  );
  const background = checkNumber(
    where,
    "option",
    "backgroundFaultBytes",
    backgroundFaultBytes,
    "non-negative",
    "bytes",
  );
  const { precopyPasses } = resolvePostcopyOptions(where, {
    ...(record.precopyPasses === undefined ? {} : { precopyPasses: record.precopyPasses as 0 | 1 }),
  });
  return postcopyBlockedSeconds(resolved, {
    faultSeconds: fault,
    backgroundFaultBytes: background,
    precopyPasses,
  });
}
