// Private: the options of figureEstimatedVsMeasuredSpec, resolved, and its caption.
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { bytesPerSecondToMbps } from "../units.ts";
import type { ArrangedRuns } from "./_measured_points.ts";
import { isDrawn, statusText } from "./_measured_points.ts";
import { binningSentence } from "./_bins.ts";
import { formatBandwidth, methodName, orderContentions, sourceSentence } from "./_style.ts";
import type {
  FigureEstimatedVsMeasuredOptions,
  FittedSummary,
} from "./figure_estimated_vs_measured_spec.ts";

/** The options, checked, with their defaults. */
export interface Resolved {
  source: { description: string; synthetic: boolean };
  title: string;
  fitted: readonly FittedSummary[];
  note: string;
  widthPixels: number;
  rowHeightPixels: number;
}

export function resolveOptions(where: string, options: FigureEstimatedVsMeasuredOptions): Resolved {
  const record = checkObject(where, "options", options);
  const source = checkObject(where, 'option "source"', record.source);
  if (typeof source.description !== "string" || typeof source.synthetic !== "boolean") {
    throw new TypeError(
      `${where}: invalid option "source", expected { description: string, synthetic: boolean } (got ${
        showValue(record.source)
      })`,
    );
  }
  const {
    title = "Estimated and measured migration time",
    fitted = [],
    note = "",
    widthPixels = 1100,
    rowHeightPixels = 230,
  } = options;
  if (!Array.isArray(fitted)) {
    throw new TypeError(
      `${where}: invalid option "fitted", expected an array (got ${showValue(fitted)})`,
    );
  }
  fitted.forEach((fit, i) => {
    checkObject(where, `option "fitted[${i}]"`, fit);
    checkNumber(
      where,
      "option",
      `fitted[${i}].bandwidthBytesPerSecond`,
      fit.bandwidthBytesPerSecond,
      "positive",
      "bytes/s",
    );
    const interval = fit.bandwidthIntervalBytesPerSecond;
    if (interval !== undefined && (!Array.isArray(interval) || interval.length !== 2)) {
      throw new TypeError(
        `${where}: invalid option "fitted[${i}].bandwidthIntervalBytesPerSecond", expected [low, high] (got ${
          showValue(interval)
        })`,
      );
    }
  });
  return {
    source: { description: source.description, synthetic: source.synthetic },
    title: String(title),
    fitted,
    note: String(note),
    widthPixels: checkNumber(where, "option", "widthPixels", widthPixels, "positive", "pixels"),
    rowHeightPixels: checkNumber(
      where,
      "option",
      "rowHeightPixels",
      rowHeightPixels,
      "positive",
      "pixels",
    ),
  };
}

function fitSentence(resolved: Resolved): string {
  return resolved.fitted.map((fit) => {
    const interval = fit.bandwidthIntervalBytesPerSecond;
    const b = `${fit.label}: fitted B = ${formatBandwidth(fit.bandwidthBytesPerSecond)}${
      interval && Number.isFinite(interval[0]) && Number.isFinite(interval[1])
        ? `, 95 % interval ${bytesPerSecondToMbps(interval[0]).toFixed(1)}–${
          bytesPerSecondToMbps(interval[1]).toFixed(1)
        } Mbit/s`
        : ""
    }`;
    const all = fit.factors ?? {};
    const factors = orderContentions(Object.keys(all)).map((group) => [group, all[group]!] as const)
      .map(([group, f]) =>
        Number.isFinite(f.low) && Number.isFinite(f.high)
          ? `${group} ${f.value.toFixed(3)} [${f.low.toFixed(3)}, ${f.high.toFixed(3)}]`
          : `${group} ${f.value.toFixed(3)}`
      );
    return factors.length > 0
      ? `${b}; contention factors (B_group = B × factor, 95 % interval): ${factors.join(", ")}.`
      : `${b}.`;
  }).join(" ");
}

/** The caption: data source, marks, fitted parameters, residuals, nudging, binning, runs left out, note. */
export function captionText(
  resolved: Resolved,
  arranged: ArrangedRuns,
  runs: readonly MigrationRun[],
): string {
  const { points, methods, stuck } = arranged;
  const repeatsMax = Math.max(...points.map((p) => p.repeats));
  const repeatsMin = Math.min(...points.map((p) => p.repeats));
  const notConverged = statusText(runs, (run) => run.status !== "completed" && isDrawn(run));
  const stuckText = stuck.length === 0
    ? ""
    : `Crosses: ${
      stuck.length === 1 ? "a run" : `${stuck.length} runs`
    } that did not converge (${notConverged}), drawn at the time ${
      stuck.length === 1 ? "it was" : "they were"
    } cancelled; no estimate or residual.`;
  const leftOut = statusText(runs, (run) => !isDrawn(run));
  const captionParts = [
    sourceSentence(resolved.source),
    `Dots: mean of ${
      repeatsMin === repeatsMax ? repeatsMin : `${repeatsMin}–${repeatsMax}`
    } repeat(s) per configuration; bars: min–max of the repeats; lines: the model's estimate (${
      methods.map(methodName).join(", ")
    }).`,
    stuckText,
    fitSentence(resolved),
    "Residual = measured − estimated, per run (percent of the measured time).",
    `Points at one dirty rate are nudged sideways by WSS so they do not hide each other.`,
    binningSentence(arranged.rateBins, arranged.wssBins),
    leftOut.length > 0 ? `Left out (not completed): ${leftOut}.` : "",
    resolved.note,
  ];
  return captionParts.filter((part) => part.length > 0).join(" ");
}
