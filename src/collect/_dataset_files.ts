// Private: the dataset directory a collector resumes: its runs.csv rows and
// metadata, checked against the settings of this sitting.

import { RUN_COLUMNS } from "./format_runs_csv.ts";
import { parseRunsCsv } from "./parse_runs_csv.ts";
import type { RunRow } from "./types.ts";

/** Settings a resumed dataset must share with the new sitting. */
export interface FixedSettings {
  /** The VM's memory, bytes. */
  memoryBytes: number;
  /** The link's rate, bits/s. */
  linkBitsPerSecond: number;
  /** QEMU's downtime limit, seconds. */
  downtimeLimitSeconds: number;
  /** Fill setting. */
  fill: boolean;
}

/**
 * Reads `csvPath` and `metaPath` if they exist (else no rows and `{}`).
 * Throws a RangeError if the metadata's setup differs from `settings`, so that
 * one dataset never mixes VM sizes, links or downtime limits.
 */
export async function readDataset(
  csvPath: string,
  metaPath: string,
  settings: FixedSettings,
  columns: readonly string[] = RUN_COLUMNS,
): Promise<{ rows: RunRow[]; meta: Record<string, unknown> }> {
  const rows = parseRunsCsv(await readIfThere(csvPath) ?? "", csvPath, { columns });
  // Rows written before the dirty_rate_source column carried the guest's rate.
  for (const row of rows) {
    if (row.dirty_rate_source === undefined) {
      row.dirty_rate_source = row.dirty_pages_per_second === "" ? "" : "guest";
    }
  }
  const metaText = await readIfThere(metaPath);
  const meta: Record<string, unknown> = metaText === undefined ? {} : JSON.parse(metaText);
  const setup = meta.setup as Record<string, unknown> | undefined;
  for (
    const [key, value] of [
      ["vm_memory_bytes", settings.memoryBytes],
      ["link_rate_bits_per_second", settings.linkBitsPerSecond],
      ["downtime_limit_seconds", settings.downtimeLimitSeconds],
      ["fill", settings.fill],
    ] as const
  ) {
    if (setup !== undefined && setup[key] !== value) {
      throw new RangeError(
        `collect: invalid option for "${metaPath}", expected ${key} ${
          setup[key]
        } as in its metadata (got ${value})`,
      );
    }
  }
  return { rows, meta };
}

async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
