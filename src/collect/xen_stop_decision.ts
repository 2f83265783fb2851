/** Why the Xen policy forces the switch to stop-and-copy. */
export type XenPolicyStopReason = "max-iterations" | "transfer-limit" | "few-dirty-pages";

/** Options for {@linkcode xenStopDecision}: Xen's stop rules. */
export interface XenStopDecisionOptions {
  /**
   * Rounds after which Xen stops (the paper's 30).
   *
   * @default {30}
   */
  maxIterations?: number;
  /**
   * Multiple of the VM's RAM that may be sent before Xen stops (the paper's 3).
   *
   * @default {3}
   */
  maxTransferFactor?: number;
  /**
   * Xen stops when fewer than this many pages remain dirty (the paper's 50).
   *
   * @default {50}
   */
  minDirtyPages?: number;
}

/**
 * Applies Xen's pre-copy stop rules (paper section 2.2) to one QEMU
 * `query-migrate` reply of a running pre-copy migration: stop when the rounds
 * (`ram.dirty-sync-count`) reach 30, when the bytes sent (`ram.transferred`)
 * exceed 3x the VM's RAM (`ram.total`), or when fewer than 50 pages
 * (`ram.remaining / ram.page-size`) are dirty. The collector's
 * `xen-precopy-policy` method polls `query-migrate` and, on a stop, raises
 * QEMU's downtime limit so that QEMU switches to stop-and-copy at once.
 *
 * Rules are checked in the order above; the first that holds is the reason.
 * A reply that is not an active pre-copy (no `ram`, another status) never
 * stops.
 *
 * @param reply The `return` object of `query-migrate`.
 * @param options Xen's limits, see {@linkcode XenStopDecisionOptions}.
 * @returns The reason to stop, or `undefined` to keep iterating.
 * @throws {TypeError} If `reply` is not an object.
 *
 * @example The 31st round stops
 * ```ts
 * import { xenStopDecision } from "./xen_stop_decision.ts";
 * import assert from "node:assert/strict";
 *
 * const reply = {
 *   status: "active",
 *   ram: { total: 1.5 * 2 ** 30, transferred: 2e9, remaining: 4e8, "page-size": 4096, "dirty-sync-count": 30 },
 * };
 * assert.equal(xenStopDecision(reply), "max-iterations");
 * assert.equal(xenStopDecision({ ...reply, ram: { ...reply.ram, "dirty-sync-count": 3 } }), undefined);
 * ```
 */
export function xenStopDecision(
  reply: unknown,
  options: XenStopDecisionOptions = {},
): XenPolicyStopReason | undefined {
  const { maxIterations = 30, maxTransferFactor = 3, minDirtyPages = 50 } = options;
  if (typeof reply !== "object" || reply === null || Array.isArray(reply)) {
    throw new TypeError(
      `xenStopDecision: invalid reply, expected a query-migrate object (got ${
        JSON.stringify(reply)
      })`,
    );
  }
  const r = reply as { status?: unknown; ram?: Record<string, unknown> };
  if (r.status !== "active" || typeof r.ram !== "object" || r.ram === null) return undefined;
  const num = (key: string): number | undefined => {
    const v = r.ram![key];
    return typeof v === "number" && Number.isFinite(v) ? v : undefined;
  };
  const rounds = num("dirty-sync-count");
  const transferred = num("transferred");
  const total = num("total");
  const remaining = num("remaining");
  const pageBytes = num("page-size") ?? 4096;
  if (rounds !== undefined && rounds >= maxIterations) return "max-iterations";
  if (transferred !== undefined && total !== undefined && transferred > maxTransferFactor * total) {
    return "transfer-limit";
  }
  // remaining is only meaningful once the first pass has ended (round 2 onwards).
  if (rounds !== undefined && rounds >= 2 && remaining !== undefined) {
    if (remaining / pageBytes < minDirtyPages) return "few-dirty-pages";
  }
  return undefined;
}
