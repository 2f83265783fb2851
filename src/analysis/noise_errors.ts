/**
 * The noise models' parameters and errors per method, for the report: the
 * guest's progress fitted on the measured ratio against the dirty-rate
 * proxy, the co-located load, and post-copy's blocktime, each in sample and
 * cross-validated.
 *
 * @module
 */
import type { MigrationRun } from "../data/types.ts";
import { median, quantileSorted } from "../_stats.ts";
import type { NoiseFitResult } from "../fit/cost_types.ts";
import { crossValidate } from "../fit/cross_validate.ts";
import { DEFAULT_FOLDS, DEFAULT_RESAMPLES, DEFAULT_SEED } from "../fit/defaults.ts";
import { fitBlocktime } from "../fit/fit_blocktime.ts";
import { fitColocated } from "../fit/fit_colocated.ts";
import {
  fitNoise,
  MAX_PROGRESS_RATIO,
  MIN_MEASURED_PROGRESS_RUNS,
  type ProgressSource,
} from "../fit/fit_noise.ts";
import type { Estimate, FitResult, RunResidual } from "../fit/types.ts";

/** In-sample and cross-validated errors of one fit (NaN and `cvFailed` when the CV could not run). */
export interface FitErrors {
  /** Runs fitted. */
  runs: number;
  /** Mean absolute error in sample, in the quantity's unit. */
  maeIn: number;
  /** Cross-validated mean absolute error. */
  maeCv: number;
  /** 90th percentile of the absolute error in sample. */
  p90In: number;
  /** 90th percentile of the absolute error, cross-validated. */
  p90Cv: number;
  /** Why the cross-validation did not run, if it did not. */
  cvFailed?: string;
}

/** One method's guest progress fit on the measured ratio and on the proxy. */
export interface GuestNoiseErrors {
  /** The method. */
  method: string;
  /** Runs with a measured ratio among those with a ratio or a proxy. */
  measuredRuns: number;
  /** Runs with only the proxy. */
  proxyOnlyRuns: number;
  /** What the figure's line is fitted on. */
  fittedOn: "measured" | "measured + proxy";
  /** The fit the figure uses (`progressSource: "auto"`): parameters and errors. */
  auto: { parameters: string } & FitErrors;
  /** The proxy fit (every run's achieved / requested rate): parameters, errors, and its error against the measured ratios. */
  proxy: { parameters: string; maeOnMeasured: number } & FitErrors;
}

/** One method's co-located fit: parameters and errors per contention. */
export interface ColocatedErrors {
  /** The method. */
  method: string;
  /** The parameters that apply under each contention, as text. */
  parameters: Record<string, string>;
  /** The errors per contention. */
  byContention: ({ contention: string } & FitErrors)[];
}

/** The noise models' errors for the report. */
export interface NoiseErrors {
  /** The guest's progress per method. */
  guest: GuestNoiseErrors[];
  /** The co-located load per method. */
  colocated: ColocatedErrors[];
  /**
   * The post-copy blocktime per post-copy method, and beside it the medians
   * of the guest's lost seconds and of the blocktime over the runs that
   * measured both (`pairedRuns`).
   */
  blocktime: ({
    method: string;
    parameters: string;
    pairedRuns: number;
    medianLostSeconds: number;
    medianBlocktimeSeconds: number;
  } & FitErrors)[];
  /** Fits that failed, by "what method", with the message. */
  failed: Record<string, string>;
}

const f3 = (x: number) => Number.isFinite(x) ? String(Number(x.toPrecision(3))) : "n/a";

/** "value [low, high] unit", scaled. */
function showEstimate(e: Estimate | null | undefined, scale = 1, unit = ""): string {
  if (!e) return "n/a";
  const interval = Number.isFinite(e.low) ? ` [${f3(e.low * scale)}, ${f3(e.high * scale)}]` : "";
  return `${f3(e.value * scale)}${interval}${unit ? ` ${unit}` : ""}`;
}

function p90(rows: readonly { measuredSeconds: number; estimatedSeconds: number }[]): number {
  const errors = rows.map((r) => Math.abs(r.measuredSeconds - r.estimatedSeconds)).sort((a, b) =>
    a - b
  );
  return errors.length === 0 ? Number.NaN : quantileSorted(errors, 0.9);
}

function noiseParameters(fit: NoiseFitResult, method: string): string {
  const { noise } = fit;
  const tracking = noise.trackingSeconds[method];
  if (tracking) return `c = ${showEstimate(tracking, 1e6, "µs")} per tracked write`;
  const slowdowns = Object.entries(noise.destinationSlowdown)
    .map(([g, e]) => `${g} ${showEstimate(e, 100, "%")}`).join(", ");
  return `fault ${showEstimate(noise.faultSeconds, 1e6, "µs")}; destination slowdown ${slowdowns}`;
}

/**
 * Fits the three noise models per method on the runs, given each method's
 * bandwidth fit, and cross-validates them (`folds` folds, B refitted per
 * fold): `fitNoise` with `progressSource: "auto"` (what the noise figure
 * draws) and `"proxy"` (and the proxy fit's error against the measured
 * ratios), `fitColocated` (errors per contention), and `fitBlocktime` for
 * post-copy methods with a measured blocktime. Intervals: 200 resamples. A
 * fit or cross-validation that throws a RangeError or TypeError is recorded
 * in `failed` or `cvFailed`, not raised.
 *
 * Cost: per method, 4-7 fits and their cross-validations (a few hundred ms on
 * the measured grids).
 *
 * @param runs The runs, as `loadRuns` gives them.
 * @param fits One `fitContention` result per method.
 * @param folds Folds of the cross-validations.
 * @returns The parameters (as text) and errors per method.
 *
 * @example No fits, nothing to report
 * ```ts
 * import { noiseErrors } from "./noise_errors.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(noiseErrors([], {}), { guest: [], colocated: [], blocktime: [], failed: {} });
 * ```
 */
export function noiseErrors(
  runs: readonly MigrationRun[],
  fits: Readonly<Record<string, FitResult>>,
  folds = DEFAULT_FOLDS,
): NoiseErrors {
  return stagedNoiseErrors(runs, fits, folds).finish();
}

/** {@linkcode noiseErrors} in two stages: the in-sample fits now, the cross-validations in `finish`. */
export interface StagedNoiseErrors {
  /** What each method's guest line is fitted on (the noise figure's caption needs it). */
  fittedOn: Pick<GuestNoiseErrors, "method" | "fittedOn">[];
  /** Runs the cross-validations and gives what {@linkcode noiseErrors} gives; once. */
  finish: () => NoiseErrors;
}

/**
 * {@linkcode noiseErrors} with the in-sample fits done at once and the
 * cross-validations left to `finish()`, so that the noise figure can be
 * drawn (and rendered) before them. The result is the same.
 */
export function stagedNoiseErrors(
  runs: readonly MigrationRun[],
  fits: Readonly<Record<string, FitResult>>,
  folds = DEFAULT_FOLDS,
): StagedNoiseErrors {
  const out: NoiseErrors = { guest: [], colocated: [], blocktime: [], failed: {} };
  const attempt = <T>(what: string, run: () => T): T | null => {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
      out.failed[what] = error.message;
      return null;
    }
  };
  const fittedOn: StagedNoiseErrors["fittedOn"] = [];
  const later: (() => void)[] = [];
  for (const [method, fit] of Object.entries(fits)) {
    const own = runs.filter((r) =>
      r.method === method && (fit.groupBy === null || fit.factors[r.contention] !== undefined)
    );
    const context: MethodContext = { method, fit, own, folds, attempt };
    const guest = guestErrors(context);
    if (guest) fittedOn.push({ method, fittedOn: guest.fittedOn });
    const colocated = colocatedErrors(context);
    const blocktime = blocktimeErrors(context);
    later.push(() => {
      if (guest) out.guest.push(guest.finish());
      if (colocated) out.colocated.push(colocated());
      if (blocktime) out.blocktime.push(blocktime());
    });
  }
  return {
    fittedOn,
    finish: () => {
      for (const step of later.splice(0)) step();
      return out;
    },
  };
}

/** What each method's part needs. */
interface MethodContext {
  method: string;
  fit: FitResult;
  own: MigrationRun[];
  folds: number;
  attempt: <T>(what: string, run: () => T) => T | null;
}

const COMMON = { resamples: DEFAULT_RESAMPLES, seed: DEFAULT_SEED };

/** MAE and p90 in sample and of the cross-validation `cv` runs (NaN and why, if it throws). */
function errorsOf(
  residuals: readonly RunResidual[],
  cv: () => { predictions: RunResidual[] },
): FitErrors {
  const mae = (rows: readonly RunResidual[]) =>
    rows.reduce((s, r) => s + Math.abs(r.residualSeconds), 0) / rows.length;
  let predictions: RunResidual[] | null = null;
  let cvFailed: string | undefined;
  try {
    predictions = cv().predictions;
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    cvFailed = error.message.replace(/^crossValidate: /, "");
  }
  return {
    runs: residuals.length,
    maeIn: mae(residuals),
    p90In: p90(residuals),
    maeCv: predictions ? mae(predictions) : Number.NaN,
    p90Cv: predictions ? p90(predictions) : Number.NaN,
    ...(cvFailed ? { cvFailed } : {}),
  };
}

/** The guest's progress: the figure's fit against the proxy's. */
function guestErrors(
  { method, fit, own, folds, attempt }: MethodContext,
): { fittedOn: GuestNoiseErrors["fittedOn"]; finish: () => GuestNoiseErrors } | null {
  const guest = (source: ProgressSource) =>
    attempt(
      `guest ${source} ${method}`,
      () => fitNoise(own, { fit, method, ...COMMON, progressSource: source }),
    );
  const auto = guest("auto");
  const proxy = guest("proxy");
  if (!auto || !proxy) return null;
  const measuredRuns = auto.measuredByMethod[method]?.guestProgressRatio ?? 0;
  // The measured ratios as the fits take them (over the live time, disturbed baselines out).
  let measuredAt = new Map<number, number>();
  try {
    const measured = fitNoise(own, { fit, method, resamples: 0, progressSource: "measured" });
    measuredAt = new Map(measured.residuals.map((r) => [r.index, r.measuredSeconds]));
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
  }
  const onMeasured = proxy.residuals.flatMap((r) => {
    const m = measuredAt.get(r.index);
    return m === undefined ? [] : [Math.abs(m - r.estimatedSeconds)];
  });
  const cvOf = (source: ProgressSource) => () =>
    crossValidate(own, {
      method,
      folds,
      seed: DEFAULT_SEED,
      quantity: "guestProgressRatio",
      progressSource: source,
    });
  const fittedOn = auto.measuredOnly.includes(method) ? "measured" : "measured + proxy";
  return {
    fittedOn,
    finish: () => ({
      method,
      measuredRuns,
      proxyOnlyRuns: proxy.runsUsed - measuredRuns,
      fittedOn,
      auto: {
        parameters: noiseParameters(auto, method),
        ...errorsOf(auto.residuals, cvOf("auto")),
      },
      proxy: {
        parameters: noiseParameters(proxy, method),
        ...errorsOf(proxy.residuals, cvOf("proxy")),
        maeOnMeasured: onMeasured.length === 0
          ? Number.NaN
          : onMeasured.reduce((s, e) => s + e, 0) / onMeasured.length,
      },
    }),
  };
}

/** The co-located load: κ, C and the errors per contention. */
function colocatedErrors(
  { method, fit, own, folds, attempt }: MethodContext,
): (() => ColocatedErrors) | null {
  const colocated = attempt(
    `colocated ${method}`,
    () => fitColocated(own, { fit, method, ...COMMON }),
  );
  if (!colocated) return null;
  const cpu = colocated.colocated.migrationCpu[method];
  const cpuModel = cpu
    ? ` (m = ${f3(cpu.cpuSecondsPerByte * 1e9)} CPU s/GB + ${
      f3(cpu.cpuSecondsPerSecond)
    } CPU s/s, MAE ${f3(cpu.maeCpuSeconds)} CPU s on ${cpu.runs} runs)`
    : "";
  return () => {
    let cvFailed = "";
    let cv: { predictions: RunResidual[] } | null = null;
    try {
      cv = crossValidate(own, {
        method,
        folds,
        seed: DEFAULT_SEED,
        quantity: "colocatedProgressRatio",
      });
    } catch (error) {
      if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
      cvFailed = error.message;
    }
    return {
      method,
      parameters: {
        cpu: `κ = ${
          showEstimate(colocated.colocated.cpuLossPerCpuSecond)
        } CPU s lost per migration CPU s${cpuModel}`,
        network: `C = ${showEstimate(colocated.colocated.linkBytesPerSecond, 1e-6, "MB/s")}`,
        memory: "none (ratio 1)",
      },
      byContention: Object.keys(colocated.metricsByGroup).map((contention) => ({
        contention,
        ...errorsOf(colocated.residuals.filter((r) => r.group === contention), () => {
          if (!cv) throw new RangeError(cvFailed);
          return { predictions: cv.predictions.filter((r) => r.group === contention) };
        }),
      })),
    };
  };
}

/** Post-copy's blocktime, for a method whose runs measured it. */
function blocktimeErrors(
  { method, fit, own, folds, attempt }: MethodContext,
): (() => NoiseErrors["blocktime"][number]) | null {
  const measured = (r: MigrationRun) =>
    r.postcopyBlocktimeSeconds !== undefined ||
    (r.extra.postcopy_blocktime_seconds ?? "") !== "";
  if (!own.some(measured)) return null;
  const blocktime = attempt(
    `blocktime ${method}`,
    () => fitBlocktime(own, { fit, method, ...COMMON }),
  );
  if (!blocktime) return null;
  const { backgroundFaultBytes, faultSeconds } = blocktime.blocktime;
  const paired = blocktime.residuals.flatMap((r) => {
    const lost = own[r.index]!.guestLostSeconds;
    return lost === undefined ? [] : [[lost, r.measuredSeconds] as const];
  });
  return () => ({
    method,
    pairedRuns: paired.length,
    medianLostSeconds: paired.length ? median(paired.map((p) => p[0])) : Number.NaN,
    medianBlocktimeSeconds: paired.length ? median(paired.map((p) => p[1])) : Number.NaN,
    parameters: `K = ${showEstimate(backgroundFaultBytes, 1e-6, "MB")} (waits K/B), fault ${
      showEstimate(faultSeconds, 1e6, "µs")
    }`,
    ...errorsOf(
      blocktime.residuals,
      () =>
        crossValidate(own, {
          method,
          folds,
          seed: DEFAULT_SEED,
          quantity: "postcopyBlocktimeSeconds",
        }),
    ),
  });
}

/** The rule that picks the measured ratio or the proxy, in the report's and caption's words. */
export const MEASURED_RULE =
  `a method is fitted on its measured guest_progress_ratio alone when it has at least ${MIN_MEASURED_PROGRESS_RUNS} runs with one (MIN_MEASURED_PROGRESS_RUNS), else on the measured ratio where a run has it and the dirty-rate proxy elsewhere; the measured ratio is fitted over the time the guest runs (× T/(T − downtime), since it does no work in its pause), and ratios above ${MAX_PROGRESS_RATIO} (a disturbed baseline) are left out`;
