// Private: Figure 3's workloads when there is no measured sweep, chosen from the dataset.
import { upperMedian } from "../_stats.ts";
import type { MigrationRun } from "../data/types.ts";
import { binRuns } from "../plot/bin_runs.ts";
import type {
  DowntimeLimitMeasurement,
  DowntimeLimitWorkload,
} from "../plot/figure_downtime_limit_spec.ts";
import { bytesToMib } from "../units.ts";

/** Figure 3's columns from a dataset, the runs to draw in them, and how they were chosen. */
export interface DatasetWorkloads {
  /** M, bytes (the upper median of the runs used). */
  memoryBytes: number;
  /** One to three workloads, smallest WSS first. */
  workloads: DowntimeLimitWorkload[];
  /** The dataset's runs of those workloads with a downtime limit (completed or not converged). */
  measured: DowntimeLimitMeasurement[];
  /** When the runs were cancelled, seconds (upper median of their `timeoutSeconds`), if they say. */
  timeoutSeconds?: number;
  /** One sentence for the caption: how the columns were chosen. */
  note: string;
}

const DRAWN = new Set(["completed", "non-convergent"]);

/**
 * Figure 3's workloads from a dataset without a sweep: its KVM pre-copy runs
 * (else all its runs) that completed or did not converge, binned as Figure 5
 * bins them, and of those the uncontended ones (`none`) when there are any; at the highest dirty rate bin, every WSS bin when there are at
 * most 3, else the smallest, the middle and the largest. Each workload runs
 * the model at the upper median of its runs' achieved WSS and rate.
 * Undefined when no run completed or did not converge.
 */
export function datasetWorkloads(runs: readonly MigrationRun[]): DatasetWorkloads | undefined {
  const drawn = runs.filter((run) => DRAWN.has(run.status));
  const kvm = drawn.filter((run) => run.method === "kvm-precopy");
  const methodRuns = kvm.length > 0 ? kvm : drawn;
  if (methodRuns.length === 0) return undefined;
  // Binned over all the method's runs (as Figure 5 bins its rows); the model
  // runs at the baseline B, so the columns take the uncontended runs when there are any.
  const bins = binRuns(methodRuns);
  const rates = bins.rates;
  const wss = { labels: bins.wssLabels, sizes: bins.wssSizes };
  const uncontended = methodRuns.some((run) => run.contention === "none");
  const used = methodRuns.flatMap((run, i) =>
    !uncontended || run.contention === "none" ? [{ run, rate: rates[i]!, i }] : []
  );
  const memoryBytes = upperMedian(used.map(({ run }) => run.memoryBytes));
  const top = Math.max(...used.map(({ rate }) => rate));
  const groups = new Map<string, { size: number; runs: MigrationRun[] }>();
  for (const { run, rate, i } of used) {
    if (rate !== top) continue;
    const group = groups.get(wss.labels[i]!) ?? { size: wss.sizes[i]!, runs: [] };
    group.runs.push(run);
    groups.set(wss.labels[i]!, group);
  }
  const ordered = [...groups.entries()].sort((a, b) => a[1].size - b[1].size);
  const chosen = ordered.length <= 3
    ? ordered
    : [ordered[0]!, ordered[Math.floor((ordered.length - 1) / 2)]!, ordered.at(-1)!];
  const workloads: DowntimeLimitWorkload[] = [];
  const measured: DowntimeLimitMeasurement[] = [];
  chosen.forEach(([label, group], i) => {
    const wssBytes = Math.min(memoryBytes, upperMedian(group.runs.map((run) => run.wssBytes)));
    const wssText = label === "Full" ? `Full (${bytesToMib(wssBytes).toFixed(0)} MiB)` : label;
    const workload = `(${String.fromCharCode(97 + i)}) WSS ${wssText}, ${top} pages/s`;
    workloads.push({
      label: workload,
      wssBytes,
      dirtyPagesPerSecond: upperMedian(group.runs.map((run) => run.dirtyPagesPerSecond)),
    });
    for (const run of group.runs) {
      const limit = run.downtimeLimitSeconds ?? Number.NaN;
      if (run.method !== "kvm-precopy" || !(limit > 0) || !(run.migrationTimeSeconds > 0)) continue;
      const converged = run.status === "completed";
      measured.push({
        workload,
        limitSeconds: limit,
        timeSeconds: run.migrationTimeSeconds,
        ...(converged && run.downtimeSeconds !== undefined
          ? { downtimeSeconds: run.downtimeSeconds }
          : {}),
        outcome: converged ? "converged" : "did not converge",
      });
    }
  });
  const timeouts = used.map(({ run }) => run.timeoutSeconds ?? Number.NaN).filter((t) => t > 0);
  const which = ordered.length <= 3
    ? `${ordered.length === 1 ? "the one WSS" : `all ${ordered.length} WSS`}`
    : `the smallest, middle and largest of ${ordered.length} WSS`;
  return {
    memoryBytes,
    workloads,
    measured,
    ...(timeouts.length > 0 ? { timeoutSeconds: upperMedian(timeouts) } : {}),
    note: `Columns: no downtime limit sweep was given, so ${which} of the dataset's ${
      uncontended ? "uncontended " : ""
    }${kvm.length > 0 ? "KVM pre-copy runs" : "runs"} at its highest dirty rate (${top} pages/s)${
      measured.length > 0 ? ", drawn at their downtime limit" : ""
    }.`,
  };
}
