/**
 * Migration noise on the migrating VM: how much of its work it still gets
 * done while it migrates, as a progress ratio (1 = no slowdown).
 *
 * @module
 */

import { checkNumber, checkObject, showValue } from "../_validate.ts";
import { resolveInput } from "./_input.ts";
import { postcopyProgress } from "./postcopy_progress.ts";
import { resolvePostcopyOptions } from "./kvm_postcopy.ts";
import { kvmPrecopy } from "./kvm_precopy.ts";
import type { MigrationInput, ModelName } from "./types.ts";
import { xenPrecopy } from "./xen_precopy.ts";

/** Options for {@linkcode guestProgress}: the model's three costs. */
export interface GuestProgressOptions {
  /**
   * Pre-copy: seconds the guest loses per tracked write (the trap or slow
   * path of dirty logging on the first write to a page after a bitmap sync),
   * so each page write takes 1/d + this. A fit gives it per method (`fitNoise`).
   *
   * @default {0}
   */
  trackingSeconds?: number;
  /**
   * Post-copy: seconds a fault costs beyond the page's transfer (the request's
   * round trip and the queue ahead of the page), per page the guest touches
   * before it has been copied.
   *
   * @default {0}
   */
  faultSeconds?: number;
  /**
   * Post-copy: the fraction of progress lost on the destination for reasons
   * other than faults (sharing the destination's CPUs with the load), 0 <= it < 1.
   *
   * @default {0}
   */
  destinationSlowdown?: number;
  /**
   * Post-copy: pre-copy passes before the switch (as `kvmPostcopy`'s option).
   *
   * @default {0}
   */
  precopyPasses?: 0 | 1;
}

/** The result of {@linkcode guestProgress}. */
export interface GuestProgressResult {
  /**
   * Work done while the VM runs during the migration over the work at its
   * baseline rate d in the same time (1 = no slowdown; the pause is the
   * downtime's, not counted here).
   */
  progressRatio: number;
  /** The work lost, in seconds of baseline progress: (1 - ratio) × the live time. */
  lostSeconds: number;
  /**
   * The live time the ratio is over, seconds: post-copy's M/B (and the re-sent
   * pages); pre-copy's rounds with the models' default options (Xen's T_pre,
   * KVM's time less its pause).
   */
  liveSeconds: number;
  /** Post-copy: pages the guest had to fetch on demand before it had them all (0 for pre-copy). */
  faultedPages: number;
}

const MODELS: readonly ModelName[] = ["xen-precopy", "kvm-precopy", "kvm-postcopy"];

/**
 * Estimates how much the migrating VM slows down, as the progress ratio of a
 * guest that writes its working set W page after page at d pages/s (the
 * project's dirtier).
 *
 * **Pre-copy** (`"xen-precopy"`, `"kvm-precopy"`): dirty logging costs the
 * guest `trackingSeconds` = c per write to a page not written since the last
 * bitmap sync. A sweeping writer rewrites a page only after W/(p·d) seconds,
 * so (while that is longer than a sync interval) every write is tracked:
 * ratio = 1 / (1 + c·d). It does not depend on B or on the migration's length.
 *
 * **Post-copy** (`"kvm-postcopy"`): after the switch the guest runs on the
 * destination while the rest of its memory, M/B seconds of it, is sent. Its
 * first write to each of the n = W/p pages of its working set that has not
 * arrived yet faults, and the page comes over the link at B. QEMU continues
 * its background copy from the page a fault asked for (`get_queued_page()`,
 * "the guest is likely to want other pages near"), so a sequential writer is
 * fed at the link's rate: each of its first-pass pages takes
 * τ = max(1/d, p/B) + `faultSeconds`, a first pass of t₁ = n·τ; after it the
 * guest has its working set and runs at d. Over the post-copy phase T:
 * work = n + d·(T − t₁) when t₁ < T, else T/τ; ratio = (1 − s)·work/(d·T), with
 * s = `destinationSlowdown`. The writes that fault are the first pass's n of
 * the phase's work; when d·p > B the guest is held to the link's rate for W/B
 * seconds: ratio = 1 − (W/M)(1 − B/(p·d)) with no other costs. With
 * `precopyPasses: 1` the phase starts after a pass of M/B (at the pre-copy
 * ratio with c = 0) and holds only the pages dirtied during it.
 *
 * Where it does not hold: writers that are not sequential (a random writer
 * faults on a shrinking fraction of its writes, not on a first pass), reads
 * (a guest that reads its memory faults too), several vCPUs (a fault blocks
 * one), QEMU's post-copy preemption channel (urgent pages on their own
 * stream), huge pages (a fault moves 2 MiB), and a working set rewritten
 * within one sync interval (fewer tracked writes than d). A guest that writes
 * nothing (W = 0 or d = 0) has no progress to lose: the ratio is 1.
 *
 * Cost: O(1) for post-copy; the pre-copy model's rounds for `liveSeconds`.
 *
 * @param model The model: `"xen-precopy"`, `"kvm-precopy"` or `"kvm-postcopy"`.
 * @param input The configuration: M, W, d (the guest's baseline rate), B and the page size.
 * @param options The tracking and fault costs.
 * @returns The progress ratio, the work lost and the pages faulted.
 * @throws {TypeError} If the model is unknown, a field is missing or not a number, or an option has the wrong type.
 * @throws {RangeError} If a field or option is out of range.
 *
 * @example Post-copy holds a fast writer to the link's rate
 * ```ts
 * import { guestProgress } from "./guest_progress.ts";
 * import assert from "node:assert/strict";
 * const input = {
 *   memoryBytes: 1.5 * 2 ** 30, wssBytes: 2 ** 30,
 *   dirtyPagesPerSecond: 51200, bandwidthBytesPerSecond: 125e6,
 * };
 * const { progressRatio } = guestProgress("kvm-postcopy", input);
 * const expected = 1 - (2 / 3) * (1 - 125e6 / (4096 * 51200));
 * assert.ok(Math.abs(progressRatio - expected) < 1e-12);
 * ```
 *
 * @example Pre-copy: dirty tracking at 2 µs per write
 * ```ts
 * import { guestProgress } from "./guest_progress.ts";
 * import assert from "node:assert/strict";
 * const input = {
 *   memoryBytes: 2 ** 30, wssBytes: 2 ** 28, dirtyPagesPerSecond: 50000,
 *   bandwidthBytesPerSecond: 125e6,
 * };
 * const { progressRatio } = guestProgress("kvm-precopy", input, { trackingSeconds: 2e-6 });
 * assert.ok(Math.abs(progressRatio - 1 / 1.1) < 1e-12);
 * ```
 */
export function guestProgress(
  model: ModelName,
  input: MigrationInput,
  options: GuestProgressOptions = {},
): GuestProgressResult {
  const where = "guestProgress";
  if (!MODELS.includes(model)) {
    throw new TypeError(
      `${where}: invalid model, expected ${MODELS.map((m) => `"${m}"`).join(", ")} (got ${
        showValue(model)
      })`,
    );
  }
  const resolved = resolveInput(where, input);
  const record = checkObject(where, "options", options);
  const { trackingSeconds = 0, faultSeconds = 0, destinationSlowdown = 0 } = record;
  const seconds = (field: string, value: unknown) =>
    checkNumber(where, "option", field, value, "non-negative", "seconds");
  const c = seconds("trackingSeconds", trackingSeconds);
  const fault = seconds("faultSeconds", faultSeconds);
  const slowdown = checkNumber(
    where,
    "option",
    "destinationSlowdown",
    destinationSlowdown,
    "non-negative",
  );
  if (slowdown >= 1) {
    throw new RangeError(
      `${where}: invalid option "destinationSlowdown", expected a fraction >= 0 and < 1 (got ${slowdown})`,
    );
  }
  const { precopyPasses } = resolvePostcopyOptions(where, {
    ...(record.precopyPasses === undefined ? {} : { precopyPasses: record.precopyPasses as 0 | 1 }),
  });
  const { memoryBytes, wssBytes, dirtyPagesPerSecond: d, bandwidthBytesPerSecond: b, pageBytes } =
    resolved;
  if (model !== "kvm-postcopy") {
    const ratio = d === 0 || wssBytes === 0 ? 1 : 1 / (1 + c * d);
    const kvm = model === "kvm-precopy" ? kvmPrecopy(resolved) : null;
    const liveSeconds = kvm === null
      ? xenPrecopy(resolved).precopyTimeSeconds
      : kvm.migrationTimeSeconds - kvm.downtimeSeconds;
    return {
      progressRatio: ratio,
      lostSeconds: (1 - ratio) * liveSeconds,
      liveSeconds,
      faultedPages: 0,
    };
  }
  return postcopyProgress(
    { memoryBytes, wssBytes, dirtyPagesPerSecond: d, bandwidthBytesPerSecond: b, pageBytes },
    { faultSeconds: fault, destinationSlowdown: slowdown, precopyPasses },
  );
}
