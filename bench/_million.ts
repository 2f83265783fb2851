// A SYNTHETIC many-run dataset in the run schema, the shape a user's own
// cluster would give: KVM post-copy and Xen pre-copy runs mixed, 4 contention
// groups, 4 memory sizes, working sets on the paper's grid, achieved dirty
// rates that vary run to run (90-100 % of the requested rate), one 10 Gbit/s
// link, model times at a known efficiency × factor with 5 % log-normal seeded
// noise, and 1 % failed runs. Made here by the models, not measured.
//
// `deno run --allow-write bench/_million.ts [ROWS] [PATH]` writes
// out/synthetic_million_runs.csv (1,000,000 rows, about 75 MB) by default.
import { kvmPostcopy, xenPrecopy } from "../mod.ts";
import { seededUniform } from "./cases/load.ts";

/** The synthetic truth: usable fraction of the link and the factor of each group. */
export const MILLION_TRUTH = {
  linkBandwidthBytesPerSecond: 1.25e9,
  efficiency: 0.9,
  factors: { none: 1, cpu: 0.95, network: 0.35, memory: 0.85 } as Readonly<
    Record<string, number>
  >,
} as const;

/** The columns written, in order (a subset of the run schema). */
export const MILLION_COLUMNS = [
  "method",
  "contention",
  "memory_bytes",
  "wss_bytes",
  "dirty_pages_per_second",
  "page_bytes",
  "link_bandwidth_bytes_per_second",
  "migration_time_seconds",
  "status",
] as const;

const MEMORY_GIB = [1, 2, 4, 8];
const WSS_MIB = [0, 64, 128, 256, 512, 1024];
const RATES = [1024, 5120, 15360, 51200];

/** Options of {@linkcode millionCsvChunks}. */
export interface MillionOptions {
  /** Rows to write. @default {1_000_000} */
  rows?: number;
  /** Seed of the draws. @default {16} */
  seed?: number;
  /** Fraction of the runs that are KVM post-copy (the rest Xen pre-copy). @default {0.98} */
  postcopyFraction?: number;
  /** Rows per chunk. @default {50_000} */
  chunkRows?: number;
}

/**
 * The synthetic CSV in chunks of text (header in the first), so that a
 * million rows never sit in one string.
 */
export function* millionCsvChunks(options: MillionOptions = {}): Generator<string> {
  const { rows = 1_000_000, seed = 16, postcopyFraction = 0.98, chunkRows = 50_000 } = options;
  const random = seededUniform(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const groups = Object.keys(MILLION_TRUTH.factors);
  const link = MILLION_TRUTH.linkBandwidthBytesPerSecond;
  let lines: string[] = [MILLION_COLUMNS.join(",")];
  for (let i = 0; i < rows; i++) {
    const postcopy = random() < postcopyFraction;
    const contention = groups[Math.floor(random() * groups.length)]!;
    const memoryBytes = pick(MEMORY_GIB) * 2 ** 30;
    const wssBytes = Math.min(memoryBytes, pick(WSS_MIB) * 2 ** 20);
    const dirtyPagesPerSecond = Math.round(pick(RATES) * (0.9 + 0.1 * random()) * 10) / 10;
    const input = {
      memoryBytes,
      wssBytes,
      dirtyPagesPerSecond,
      bandwidthBytesPerSecond: link * MILLION_TRUTH.efficiency *
        MILLION_TRUTH.factors[contention]!,
    };
    const seconds = postcopy
      ? kvmPostcopy(input).migrationTimeSeconds
      : xenPrecopy(input).precopyTimeSeconds;
    lines.push([
      postcopy ? "kvm-postcopy" : "xen-precopy",
      contention,
      memoryBytes,
      wssBytes,
      dirtyPagesPerSecond,
      4096,
      link,
      (seconds * Math.exp(0.05 * gauss())).toPrecision(6),
      random() < 0.01 ? "failed" : "completed",
    ].join(","));
    if (lines.length >= chunkRows) {
      yield lines.join("\n") + "\n";
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join("\n") + "\n";
}

/**
 * Writes the synthetic CSV to `path`.
 *
 * @returns The bytes written.
 */
export async function writeMillionCsv(path: string, options: MillionOptions = {}): Promise<number> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let bytes = 0;
  try {
    for (const chunk of millionCsvChunks(options)) {
      const data = encoder.encode(chunk);
      bytes += data.length;
      let written = 0;
      while (written < data.length) written += await file.write(data.subarray(written));
    }
  } finally {
    file.close();
  }
  return bytes;
}

if (import.meta.main) {
  const rows = Deno.args[0] === undefined ? 1_000_000 : Number(Deno.args[0]);
  if (!Number.isInteger(rows) || rows < 1) {
    throw new RangeError(`_million: invalid ROWS, expected an integer >= 1 (got ${Deno.args[0]})`);
  }
  const path = Deno.args[1] ?? "out/synthetic_million_runs.csv";
  await Deno.mkdir("out", { recursive: true });
  const bytes = await writeMillionCsv(path, { rows });
  console.error(
    `_million: wrote ${rows} SYNTHETIC rows (${(bytes / 1e6).toFixed(1)} MB) to ${path}`,
  );
}
