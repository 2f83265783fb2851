// Private: which measured datasets reproduce fits for time (split from
// reproduce_project.ts).
import type { DatasetFolder } from "../data/load_dataset_folder.ts";

/**
 * The datasets whose times the fits use, or null for all of them. Datasets
 * measured with the progress trace (a run with `guestProgressRatio`) are a
 * different measurement: the trace's 10 Hz sampling, the guest's reports and
 * the longer runs load the host, and on the project's 2-core host their
 * pre-copy times at the same points run longer. So when datasets without it
 * exist, those alone are fitted for time, and the traced ones give the costs
 * (downtime, noise, Figures 1, 2, 4); said in `messages`.
 */
export function timeDatasets(
  measured: readonly DatasetFolder[],
  messages: string[],
): DatasetFolder[] | null {
  const traced = (d: DatasetFolder) => d.runs.some((r) => r.guestProgressRatio !== undefined);
  const plain = measured.filter((d) => !traced(d));
  if (plain.length === 0 || plain.length === measured.length) return null;
  for (const d of measured.filter(traced)) {
    messages.push(
      `${d.name}: measured with the progress trace, so its runs give the costs (downtime, noise, Figures 1, 2 and 4) and are not pooled into the time fits of ${
        plain.map((p) => p.name).join(", ")
      } (a different measurement: the trace's sampling loads the host)`,
    );
  }
  return plain;
}
