// The co-located load's fit: per method the source's migration CPU model
// m = a·bytes + e·T (least squares on the measured CPU seconds), then in
// closed form the hog's loss κ per migration CPU second (CPU contention) and
// the load's link rate C (network contention), given the bandwidth model's
// migration time and bytes; intervals by a bootstrap within contention.
import type { MigrationRun } from "../data/types.ts";
import { bootstrapSamples, percentileEstimate } from "./_bootstrap.ts";
import { measuredColumn } from "./_quantity.ts";
import type { FittedColocated, MigrationCpuModel } from "./cost_types.ts";
import { predictRuns } from "./predict_runs.ts";
import type { Estimate, FittedModel } from "./types.ts";

/**
 * Per method, m = a·bytes + e·T fitted (least squares, a, e >= 0) to the
 * completed runs' `sourceMigrationCpuSeconds` at their measured bytes and time.
 *
 * @param runs The runs (checked).
 * @param methods The methods wanted.
 */
export function migrationCpuModels(
  runs: readonly MigrationRun[],
  methods: readonly string[],
): Record<string, MigrationCpuModel> {
  const out: Record<string, MigrationCpuModel> = {};
  for (const method of methods) {
    const rows = runs.flatMap((run) => {
      if (run.method !== method || run.status !== "completed") return [];
      const cpu = measuredColumn(run, "sourceMigrationCpuSeconds", "source_migration_cpu_seconds");
      const bytes = run.transferredBytes;
      if (!("value" in cpu) || bytes === undefined || !(bytes > 0)) return [];
      return [{ x: bytes, t: run.migrationTimeSeconds, m: cpu.value }];
    });
    if (rows.length < 2) continue;
    const [a, e] = nonNegativeLeastSquares2(rows);
    const mae = rows.reduce((s, r) => s + Math.abs(r.m - a * r.x - e * r.t), 0) / rows.length;
    out[method] = {
      cpuSecondsPerByte: a,
      cpuSecondsPerSecond: e,
      runs: rows.length,
      maeCpuSeconds: mae,
    };
  }
  return out;
}

/** min Σ (m − a·x − e·t)² over a, e >= 0 (the unconstrained solution, else the better edge). */
function nonNegativeLeastSquares2(rows: { x: number; t: number; m: number }[]): [number, number] {
  let xx = 0, tt = 0, xt = 0, xm = 0, tm = 0;
  for (const { x, t, m } of rows) {
    xx += x * x;
    tt += t * t;
    xt += x * t;
    xm += x * m;
    tm += t * m;
  }
  const det = xx * tt - xt * xt;
  if (det > 0) {
    const a = (xm * tt - tm * xt) / det;
    const e = (tm * xx - xm * xt) / det;
    if (a >= 0 && e >= 0) return [a, e];
  }
  const loss = (a: number, e: number) =>
    rows.reduce((s, r) => s + (r.m - a * r.x - e * r.t) ** 2, 0);
  const onlyA: [number, number] = [Math.max(0, xm / xx), 0];
  const onlyE: [number, number] = [0, Math.max(0, tm / tt)];
  return loss(...onlyA) <= loss(...onlyE) ? onlyA : onlyE;
}

/**
 * Fits κ and C on the runs of `indices` (contention cpu, network or memory,
 * measured ratios in `measured`), given the bandwidth fit.
 *
 * @param runs All runs (checked).
 * @param indices The runs used.
 * @param measured Their measured co-located ratios.
 * @param fit The bandwidth fit.
 * @param resamples Bootstrap resamples (0: none).
 * @param seed The bootstrap's seed.
 */
export function colocatedModel(
  runs: readonly MigrationRun[],
  indices: readonly number[],
  measured: readonly number[],
  fit: FittedModel,
  resamples: number,
  seed: number,
): FittedColocated {
  const selected = indices.map((i) => runs[i]!);
  const seconds = predictRuns(selected, fit);
  const bytes = predictRuns(selected, fit, { quantity: "transferredBytes" });
  const cpuRuns = selected.filter((r) => r.contention === "cpu");
  const migrationCpu = migrationCpuModels(runs, [...new Set(cpuRuns.map((r) => r.method))].sort());
  // Per run: u = the migration's share of the core (cpu), v = its rate (network).
  const u = selected.map((run, p) => {
    const cpu = migrationCpu[run.method];
    return cpu === undefined
      ? Number.NaN
      : (cpu.cpuSecondsPerByte * bytes[p]! + cpu.cpuSecondsPerSecond * seconds[p]!) / seconds[p]!;
  });
  const v = selected.map((_, p) => bytes[p]! / seconds[p]!);
  const cpuAt = positions(selected, (r, p) => r.contention === "cpu" && Number.isFinite(u[p]!));
  const netAt = positions(selected, (r) => r.contention === "network");
  // theta = [κ, 1/C]: least squares of 1 − ratio = κ·u (cpu) and = v·(1/C) (network), >= 0.
  const solve = (weights: Float64Array): Float64Array => {
    const slope = (at: number[], x: readonly number[]) => {
      let num = 0, den = 0;
      for (const p of at) {
        num += weights[p]! * (1 - measured[p]!) * x[p]!;
        den += weights[p]! * x[p]! * x[p]!;
      }
      return den > 0 ? Math.max(0, num / den) : Number.NaN;
    };
    return Float64Array.of(slope(cpuAt, u), slope(netAt, v));
  };
  const point = solve(new Float64Array(selected.length).fill(1));
  const strata = new Map<string, number[]>();
  selected.forEach((r, p) => strata.set(r.contention, [...(strata.get(r.contention) ?? []), p]));
  const samples = bootstrapSamples([...strata.values()], selected.length, resamples, seed, solve);
  const estimate = (k: number, map: (x: number) => number): Estimate | null =>
    Number.isFinite(point[k]!)
      ? percentileEstimate(point, samples, (theta) => map(theta[k]!))
      : null;
  return {
    ...fit,
    colocated: {
      cpuLossPerCpuSecond: cpuAt.length > 0 ? estimate(0, (x) => x) : null,
      linkBytesPerSecond: netAt.length > 0 ? estimate(1, (x) => 1 / x) : null,
      migrationCpu,
    },
  };
}

function positions(
  runs: readonly MigrationRun[],
  test: (run: MigrationRun, p: number) => boolean,
): number[] {
  const out: number[] = [];
  runs.forEach((r, p) => {
    if (test(r, p)) out.push(p);
  });
  return out;
}
