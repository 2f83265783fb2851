/**
 * A decision map's data: pre-copy or post-copy over WSS × dirty rate, from
 * the models.
 *
 * @module
 */

import { checkObject, showValue } from "../_validate.ts";
import type { KvmPostcopyOptions } from "../models/kvm_postcopy.ts";
import type { KvmPrecopyOptions } from "../models/kvm_precopy.ts";
import { paperTimeSeconds, sweep } from "../models/sweep.ts";
import type { XenPrecopyOptions } from "../models/xen_precopy.ts";
import {
  type DecisionCell,
  type DecisionMap,
  DECISIONS,
  DOWNTIME_BAND_EDGES_SECONDS,
  DOWNTIME_BANDS,
} from "../plot/figure_decision_map_spec.ts";
import { bytesToMib } from "../units.ts";
import { resolveVmAndLink } from "./_vm_and_link.ts";

/** Options for {@linkcode decisionMap}. */
export interface DecisionMapOptions {
  /**
   * M, bytes.
   *
   * @default {1610612736 (1.5 GiB)}
   */
  memoryBytes?: number;
  /**
   * B available to the migration (after contention), bytes/s.
   *
   * @default {125e6}
   */
  bandwidthBytesPerSecond?: number;
  /**
   * The pre-copy model compared with KVM post-copy.
   *
   * @default {"kvm-precopy"}
   */
  precopy?: "kvm-precopy" | "xen-precopy";
  /**
   * WSS values, bytes (rows of the map; each <= memoryBytes).
   *
   * @default {40 values from 0 to memoryBytes}
   */
  wssBytes?: readonly number[];
  /**
   * Dirty rates, pages/s (columns of the map).
   *
   * @default {48 values spaced evenly in log from 256 to 262144}
   */
  dirtyPagesPerSecond?: readonly number[];
  /**
   * Options of the KVM pre-copy model (downtime limit, timeout).
   *
   * @default {{}}
   */
  kvmPrecopy?: KvmPrecopyOptions;
  /**
   * Options of the Xen pre-copy model.
   *
   * @default {{}}
   */
  xenPrecopy?: XenPrecopyOptions;
  /**
   * Options of the KVM post-copy model (switchover pause).
   *
   * @default {{}}
   */
  kvmPostcopy?: KvmPostcopyOptions;
}

/**
 * Runs the models over WSS × dirty rate for one memory size and bandwidth
 * and decides each cell: which method migrates faster (pre-copy, post-copy,
 * or pre-copy does not converge at all), and the band of the pause
 * pre-copy gives. All numbers come from {@linkcode sweep} over the grid;
 * each cell also carries its edges (geometric midpoints in the dirty rate,
 * arithmetic in the WSS) so that `figureDecisionMapSpec` can tile it.
 * With KVM pre-copy under QEMU's rule each cell also says whether QEMU's
 * first 100 ms window decides the stop (`precopyFirstWindow`); where it goes
 * either way (`"either"`: the pause is nearly the whole memory or what a
 * later stop leaves, depending on the machine), the cell's pause is the
 * outcome at `socketBufferBytes` and `otherPrecopyDowntimeSeconds`,
 * `otherPrecopySeconds` and `otherPrecopyConverged` are the other's.
 *
 * Cost: O(n·N) for n cells and N pre-copy rounds each.
 *
 * @param options Memory, bandwidth, grids and model options.
 * @returns The map: its cells, grids and the model options that matter for the caption.
 * @throws {TypeError} If an option has the wrong type.
 * @throws {RangeError} If a value is out of range (W > M, fewer than 2 grid values).
 *
 * @example Heavy writers favour post-copy
 * ```ts
 * import { decisionMap } from "./decision_map.ts";
 * import assert from "node:assert/strict";
 * const { cells } = decisionMap();
 * const heavy = cells.find((c) => c.wssBytes === 1.5 * 2 ** 30 && c.dirtyPagesPerSecond > 1e5)!;
 * assert.equal(heavy.decision, "pre-copy does not converge");
 * ```
 */
export function decisionMap(options: DecisionMapOptions = {}): DecisionMap {
  const where = "decisionMap";
  checkObject(where, "options", options);
  const { memoryBytes, bandwidthBytesPerSecond } = resolveVmAndLink(where, options);
  const precopy = options.precopy ?? "kvm-precopy";
  if (precopy !== "kvm-precopy" && precopy !== "xen-precopy") {
    throw new RangeError(
      `${where}: invalid option "precopy", expected "kvm-precopy" or "xen-precopy" (got ${
        showValue(precopy)
      })`,
    );
  }
  const wss = [
    ...(options.wssBytes ?? Array.from({ length: 40 }, (_, i) => (memoryBytes * i) / 39)),
  ].sort((a, b) => a - b);
  const rates = [
    ...(options.dirtyPagesPerSecond ??
      Array.from({ length: 48 }, (_, i) => 256 * 2 ** ((10 * i) / 47))),
  ].sort((a, b) => a - b);
  for (const [name, values] of [["wssBytes", wss], ["dirtyPagesPerSecond", rates]] as const) {
    if (values.length < 2) {
      throw new RangeError(
        `${where}: invalid option "${name}", expected at least 2 values (got ${showValue(values)})`,
      );
    }
  }
  const grid = {
    memoryBytes,
    wssBytes: wss,
    dirtyPagesPerSecond: rates,
    bandwidthBytesPerSecond,
  };
  const pre = sweep(precopy, grid, {
    ...(precopy === "kvm-precopy" ? options.kvmPrecopy : options.xenPrecopy),
    includeInputs: false,
  });
  const post = sweep("kvm-postcopy", grid, { ...options.kvmPostcopy, includeInputs: false });

  // Cell edges: geometric midpoints in x, arithmetic in y.
  const xEdges = edges(rates, true);
  const yEdges = edges(wss.map(bytesToMib), false);
  const cells: DecisionCell[] = [];
  let i = 0;
  for (let w = 0; w < wss.length; w++) {
    for (let d = 0; d < rates.length; d++, i++) {
      const precopySeconds = paperTimeSeconds(pre)[i]!;
      const postcopySeconds = post.migrationTimeSeconds[i]!;
      const converged = precopy === "xen-precopy" ||
        pre.stopReasons[pre.stopCode[i]!] === "converged";
      const precopyDowntimeSeconds = pre.downtimeSeconds[i]!;
      const firstWindow = pre.firstWindow === undefined
        ? null
        : pre.firstWindowOutcomes![pre.firstWindow[i]!]!;
      const either = firstWindow === "either";
      cells.push({
        wssBytes: wss[w]!,
        wssMib: bytesToMib(wss[w]!),
        dirtyPagesPerSecond: rates[d]!,
        x1: Math.log2(xEdges[d]!),
        x2: Math.log2(xEdges[d + 1]!),
        y1: yEdges[w]!,
        y2: yEdges[w + 1]!,
        precopySeconds,
        postcopySeconds,
        precopyDowntimeSeconds,
        postcopyDowntimeSeconds: post.downtimeSeconds[i]!,
        precopyConverged: converged,
        decision: !converged
          ? DECISIONS[2]!
          : precopySeconds <= postcopySeconds
          ? DECISIONS[0]!
          : DECISIONS[1]!,
        downtimeBand: DOWNTIME_BANDS[
          DOWNTIME_BAND_EDGES_SECONDS.filter((edge) => precopyDowntimeSeconds >= edge).length
        ]!,
        precopyFirstWindow: firstWindow,
        otherPrecopyDowntimeSeconds: either ? pre.otherDowntimeSeconds![i]! : null,
        otherPrecopySeconds: either ? pre.otherMigrationTimeSeconds![i]! : null,
        otherPrecopyConverged: either
          ? pre.stopReasons[pre.otherStopCode![i]!] === "converged"
          : null,
      });
    }
  }
  return {
    memoryBytes,
    bandwidthBytesPerSecond,
    precopy,
    wssBytes: wss,
    dirtyPagesPerSecond: rates,
    downtimeLimitSeconds: options.kvmPrecopy?.downtimeLimitSeconds ?? 0.3,
    timeoutSeconds: options.kvmPrecopy?.timeoutSeconds ?? 600,
    cells,
  };
}

/** Cell edges around sorted centres: midpoints (geometric when `log`), ends mirrored. */
function edges(centres: readonly number[], log: boolean): number[] {
  const f = log ? Math.log : (v: number) => v;
  const g = log ? Math.exp : (v: number) => v;
  const c = centres.map(f);
  const out = [c[0]! - (c[1]! - c[0]!) / 2];
  for (let k = 1; k < c.length; k++) out.push((c[k - 1]! + c[k]!) / 2);
  out.push(c[c.length - 1]! + (c[c.length - 1]! - c[c.length - 2]!) / 2);
  return out.map(g);
}
