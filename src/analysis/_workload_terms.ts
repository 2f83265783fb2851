// Private: where a run sits on the workload figures (its nominal WSS and rate)
// and the schema's orders of methods and contentions, for the three-cost
// analyses (the plot layer's own helpers are private to it).
import { CONTENTIONS, METHODS } from "../data/schema.ts";
import type { MigrationRun } from "../data/types.ts";
import { bytesToMib } from "../units.ts";

/** A run's nominal workload: the requested WSS and rate when the dataset has them, else its own. */
export interface NominalWorkload {
  /** d, pages/s. */
  rate: number;
  /** "Full" when W = M, else "64 MiB". */
  wss: string;
  /** W, bytes (Infinity for "Full", so that it sorts last). */
  wssSize: number;
  /** W, bytes. */
  wssBytes: number;
}

/** The nominal workload of a run (the collector's `requested_*` columns, else the run's values). */
export function nominalOf(run: MigrationRun): NominalWorkload {
  const requested = run.requestedDirtyPagesPerSecond;
  const rate = requested !== undefined && Number.isFinite(requested) && requested > 0
    ? requested
    : run.dirtyPagesPerSecond;
  const wssBytes = run.requestedWssBytes !== undefined && Number.isFinite(run.requestedWssBytes)
    ? run.requestedWssBytes
    : run.wssBytes;
  const full = wssBytes === run.memoryBytes;
  const mib = bytesToMib(wssBytes);
  return {
    rate,
    wss: full ? "Full" : `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`,
    wssSize: full ? Infinity : wssBytes,
    wssBytes,
  };
}

function inOrder(labels: Iterable<string>, known: readonly string[]): string[] {
  const set = new Set(labels);
  return [...known.filter((k) => set.has(k)), ...[...set].filter((k) => !known.includes(k)).sort()];
}

/** Methods in the schema's order (METHODS), unknown ones after, sorted. */
export function orderMethods(labels: Iterable<string>): string[] {
  return inOrder(labels, METHODS.map((m) => m.name));
}

/** Contentions in the paper's order (CONTENTIONS), unknown ones after, sorted. */
export function orderContentions(labels: Iterable<string>): string[] {
  return inOrder(labels, CONTENTIONS.map((c) => c.name));
}
