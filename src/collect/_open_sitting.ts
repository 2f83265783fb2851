// Private: the start shared by collect() and collectConcurrent(): the output
// folder's dataset opened (made, checked writable, read to resume), then the
// sitting started on a host checked first, its failures said as one line.

import { readDataset } from "./_dataset_files.ts";
import { checkEnvironment, CollectSetupError, startFailure } from "./_environment.ts";
import { type Sitting, type SittingInput, startSitting } from "./_sitting.ts";
import type { RunRow } from "./types.ts";

/** The resolved options a sitting takes as they are (the rest comes from the dataset). */
export type SittingSettings = Omit<
  SittingInput,
  | "work"
  | "name"
  | "metaPath"
  | "previousMeta"
  | "rows"
  | "downtimeLimitsSeconds"
  | "createNetwork"
  | "notes"
>;

/** An output folder's dataset, opened to resume. */
export interface OpenDataset {
  /** The dataset's name: the folder's base name. */
  name: string;
  /** `<outDir>/runs.csv`. */
  csvPath: string;
  /** `<outDir>/<name>.meta.json`. */
  metaPath: string;
  /** The rows already there (appended to as points run). */
  rows: RunRow[];
  /** The metadata already there, or `{}`. */
  meta: Record<string, unknown>;
}

/**
 * Makes `<outDir>/traces`, checks that the folder can be written, and reads
 * the dataset there to resume (`readDataset`).
 *
 * @throws {CollectSetupError} If the folder cannot be made or written, or its metadata has
 * another VM size, link, downtime limit or fill setting.
 */
export async function openDataset(
  o: SittingSettings,
  columns?: readonly string[],
): Promise<OpenDataset> {
  const { outDir } = o;
  const name = outDir.replace(/\/+$/, "").split("/").at(-1) ?? "dataset";
  try {
    await Deno.mkdir(`${outDir}/traces`, { recursive: true });
    await Deno.remove(await Deno.makeTempFile({ dir: outDir, prefix: ".write-check-" }));
  } catch (error) {
    throw new CollectSetupError(
      `collect: cannot write the output folder "${outDir}", expected a folder this user can write (choose another with --out, or run it with sudo) (got ${
        error instanceof Error ? error.message : String(error)
      })`,
      { cause: error },
    );
  }
  const csvPath = `${outDir}/runs.csv`;
  const metaPath = `${outDir}/${name}.meta.json`;
  try {
    const { rows, meta } = await readDataset(csvPath, metaPath, {
      memoryBytes: o.memoryBytes,
      linkBitsPerSecond: o.linkBandwidthBytesPerSecond * 8,
      downtimeLimitSeconds: o.downtimeLimitSeconds,
      fill: o.fill,
    }, columns);
    return { name, csvPath, metaPath, rows, meta };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new CollectSetupError(
      `${error.message}; resume with the same settings, or choose another folder with --out`,
      { cause: error },
    );
  }
}

/**
 * Starts a sitting on `dataset`: checks the host first (root, the tools, QEMU
 * >= 9), then `startSitting`; a host command that fails there (`ip netns`,
 * `tc`, the guest build) is one line naming what is missing.
 *
 * @throws {CollectSetupError} If the host cannot run the collector.
 */
export async function beginSitting(
  o: SittingSettings,
  dataset: OpenDataset,
  work: string,
  extra: Pick<SittingInput, "downtimeLimitsSeconds" | "createNetwork" | "notes">,
): Promise<Sitting> {
  await checkEnvironment();
  try {
    return await startSitting({
      ...o,
      work,
      name: dataset.name,
      metaPath: dataset.metaPath,
      previousMeta: dataset.meta,
      rows: dataset.rows,
      ...extra,
    });
  } catch (error) {
    throw startFailure(error) ?? error;
  }
}
