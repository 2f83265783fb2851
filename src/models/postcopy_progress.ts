// The post-copy branch of guestProgress on checked inputs, shared with the
// noise fit: a first pass over the pages not yet copied at max(1/d, p/B) plus
// the fault cost per page, then the baseline rate.
import type { GuestProgressOptions, GuestProgressResult } from "./guest_progress.ts";
import { postcopyTransferredBytes } from "./kvm_postcopy.ts";
import type { MigrationInput } from "./types.ts";

/** The input of {@linkcode postcopyProgress}: a checked `MigrationInput` with its page size. */
export type PostcopyProgressInput = Required<Omit<MigrationInput, "zeroBytes">>;

/** The options of {@linkcode postcopyProgress}: `guestProgress`'s post-copy costs, checked. */
export type PostcopyProgressOptions = Pick<
  GuestProgressOptions,
  "faultSeconds" | "destinationSlowdown" | "precopyPasses"
>;

/**
 * The post-copy branch of `guestProgress`, on checked inputs (no check here:
 * the caller has resolved the input and options).
 *
 * @param input M, W, d, B and p, in SI units.
 * @param options The fault cost (seconds), the destination's slowdown (a
 * fraction) and the pre-copy passes; each defaults to 0.
 * @returns The progress ratio, the lost and live seconds, the faulted pages.
 *
 * @example A first pass longer than the phase
 * ```ts
 * import assert from "node:assert/strict";
 * import { postcopyProgress } from "./postcopy_progress.ts";
 *
 * const input = {
 *   memoryBytes: 1000,
 *   wssBytes: 100,
 *   dirtyPagesPerSecond: 10,
 *   bandwidthBytesPerSecond: 100,
 *   pageBytes: 1,
 * };
 * assert.equal(postcopyProgress(input, { faultSeconds: 0.1 }).progressRatio, 0.5);
 * ```
 */
export function postcopyProgress(
  input: PostcopyProgressInput,
  options: PostcopyProgressOptions = {},
): GuestProgressResult {
  const {
    memoryBytes,
    wssBytes,
    dirtyPagesPerSecond: d,
    bandwidthBytesPerSecond: b,
    pageBytes,
  } = input;
  const { faultSeconds = 0, destinationSlowdown = 0, precopyPasses = 0 } = options;
  const precopySeconds = precopyPasses === 0 ? 0 : memoryBytes / b;
  const sentBytes = postcopyTransferredBytes(memoryBytes, wssBytes, d, b, pageBytes, precopyPasses);
  const phaseSeconds = sentBytes / b - precopySeconds;
  const liveSeconds = precopySeconds + phaseSeconds;
  if (d === 0 || wssBytes === 0 || phaseSeconds <= 0) {
    return { progressRatio: 1, lostSeconds: 0, liveSeconds, faultedPages: 0 };
  }
  // Pages not at the destination at the switch: the working set, or what a pass left dirty.
  const pages = (precopyPasses === 0 ? wssBytes : Math.min(wssBytes, sentBytes - memoryBytes)) /
    pageBytes;
  const perPage = Math.max(1 / d, pageBytes / b) + faultSeconds;
  const firstPass = pages * perPage;
  const work = firstPass < phaseSeconds
    ? pages + d * (phaseSeconds - firstPass)
    : phaseSeconds / perPage;
  const faultedPages = Math.min(pages, phaseSeconds / perPage);
  const phaseRatio = (1 - destinationSlowdown) * work / (d * phaseSeconds);
  const progressRatio = (precopySeconds + phaseRatio * phaseSeconds) / liveSeconds;
  return {
    progressRatio,
    lostSeconds: (1 - progressRatio) * liveSeconds,
    liveSeconds,
    faultedPages,
  };
}

/**
 * The seconds the vCPU waits on faults in the post-copy phase, on checked
 * inputs (as {@linkcode postcopyProgress}): the working set's first-pass
 * faults, each waiting max(1/d, p/B) + the fault cost − 1/d beyond the
 * guest's own pace, plus the faults outside the working set,
 * `backgroundFaultBytes`/B (each waits for the bytes queued ahead of it).
 *
 * @param input M, W, d, B and p, in SI units.
 * @param options The fault cost (seconds), the background faults' bytes and
 * the pre-copy passes; each defaults to 0.
 * @returns The blocked time, seconds.
 *
 * @example Only background faults
 * ```ts
 * import assert from "node:assert/strict";
 * import { postcopyBlockedSeconds } from "./postcopy_progress.ts";
 *
 * const input = {
 *   memoryBytes: 1000, wssBytes: 0, dirtyPagesPerSecond: 0, bandwidthBytesPerSecond: 100,
 *   pageBytes: 1,
 * };
 * assert.equal(postcopyBlockedSeconds(input, { backgroundFaultBytes: 50 }), 0.5);
 * ```
 */
export function postcopyBlockedSeconds(
  input: PostcopyProgressInput,
  options: Pick<PostcopyProgressOptions, "faultSeconds" | "precopyPasses"> & {
    backgroundFaultBytes?: number;
  } = {},
): number {
  const { wssBytes, dirtyPagesPerSecond: d, bandwidthBytesPerSecond: b, pageBytes } = input;
  const { faultSeconds = 0, backgroundFaultBytes = 0, precopyPasses = 0 } = options;
  const background = backgroundFaultBytes / b;
  if (d === 0 || wssBytes === 0) return background;
  const { faultedPages } = postcopyProgress(input, { faultSeconds, precopyPasses });
  const wait = Math.max(1 / d, pageBytes / b) + faultSeconds - 1 / d;
  return background + faultedPages * wait;
}
