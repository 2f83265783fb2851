// Small hand-made runs for the tests of the fitting engine's parts (only
// *_test.ts files import this). Synthetic, not measured.
import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { kvmPostcopy } from "../models/kvm_postcopy.ts";
import { type FitData, fitData } from "./_fit_data.ts";
import { type FitContentionOptions, resolveFitOptions } from "./_fit_public.ts";
import type { ResolvedFitOptions } from "./types.ts";

/** A completed Xen pre-copy run at 1 GiB, W 256 MiB, d 5120 pages/s, 10 s; override any field. */
export function testRun(overrides: Partial<MigrationRun> = {}): MigrationRun {
  return {
    method: "xen-precopy",
    contention: "none",
    memoryBytes: 2 ** 30,
    wssBytes: 2 ** 28,
    dirtyPagesPerSecond: 5120,
    pageBytes: 4096,
    migrationTimeSeconds: 10,
    status: "completed",
    extra: { source: "synthetic" },
    ...overrides,
  };
}

/**
 * Xen pre-copy at two working sets in each group, and two KVM post-copy
 * runs in each group, in groups "none" and "cpu" (synthetic, not measured).
 */
export const MIXED_RUNS: readonly MigrationRun[] = [
  ...["none", "cpu"].flatMap((contention) => [
    testRun({ contention }),
    testRun({ contention, wssBytes: 2 ** 27, migrationTimeSeconds: 9 }),
    testRun({ method: "kvm-postcopy", contention, migrationTimeSeconds: 8 }),
    testRun({ method: "kvm-postcopy", contention, wssBytes: 2 ** 29, migrationTimeSeconds: 8.5 }),
  ]),
];

/**
 * Noiseless KVM post-copy runs (T = M/B) at M = 1, 2 and 4 GiB for
 * each group, at B = `bandwidthBytesPerSecond` × the group's factor.
 */
export function postcopyRuns(
  bandwidthBytesPerSecond: number,
  factors: Record<string, number>,
): MigrationRun[] {
  return Object.entries(factors).flatMap(([contention, factor]) =>
    [1, 2, 4].map((gib) => {
      const input = {
        memoryBytes: gib * 2 ** 30,
        wssBytes: 2 ** 28,
        dirtyPagesPerSecond: 5120,
        bandwidthBytesPerSecond: bandwidthBytesPerSecond * factor,
      };
      return testRun({
        method: "kvm-postcopy",
        contention,
        memoryBytes: input.memoryBytes,
        migrationTimeSeconds: kvmPostcopy(input).migrationTimeSeconds,
      });
    })
  );
}

/**
 * The fit data and resolved options of `fitContention(runs, options)` (or
 * of `fitBandwidth` with `grouped: false`), every run used.
 */
export function testData(
  runs: readonly MigrationRun[],
  options: FitContentionOptions = {},
  grouped = true,
): { data: FitData; options: ResolvedFitOptions } {
  const resolved = resolveFitOptions("test", options, grouped);
  return { data: fitData("test", runs, runs.map((_, i) => i), resolved), options: resolved };
}

/** Asserts that `actual` is within `relative` of `expected` (relative to `expected`). */
export function close(actual: number, expected: number, relative = 1e-12, what = ""): void {
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.abs(expected),
    `${what ? `${what}: ` : ""}${actual} is not within ${relative} of ${expected}`,
  );
}
