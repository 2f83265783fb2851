// Reads the random-write runs' traces of the downtime-limit sweep (issue #14):
// per run the bitmap syncs (the events' MIGRATION_PASS, QEMU's own clock),
// the new dirty pages QEMU found per >= 1 s period (`dirty-pages-rate` x the
// period, from the sync that ends one to the sync that ends the next, as
// migration_bitmap_sync computes it) against a uniform writer's mean given
// the pending count (the period's mean `remaining` less half the pages sent
// per sync), and QEMU's bandwidth reading (`mbps`, the threshold's scale)
// window to window. The occupancy scatter it prints is the model's
// (newPagesVariance): what a period's count would scatter by with the
// pending count known.
//
//   deno run -A scripts/random_writer_traces.ts [FOLDER]
//
// FOLDER defaults to data/qemu-tcg-1gbit-downtime-limit.
import { gunzipSync } from "node:zlib";
import { parseArgs } from "node:util";
import { loadRuns } from "../src/data/load_runs.ts";
import { median } from "../src/_stats.ts";
import { newPagesVariance } from "../src/models/_random_convergence.ts";

type Json = Record<string, unknown>;

function lines(path: string): Json[] {
  const text = new TextDecoder().decode(gunzipSync(Deno.readFileSync(path)));
  return text.trimEnd().split("\n").map((line) => JSON.parse(line) as Json);
}

interface Sample {
  t: number;
  syncs: number;
  rate: number;
  remainingPages: number;
  transferred: number;
  mbps: number;
}

function samples(path: string): Sample[] {
  const out: Sample[] = [];
  for (const line of lines(path)) {
    const q = line.query_migrate as Json | undefined;
    if (q?.status !== "active") continue;
    const ram = q.ram as Record<string, number>;
    out.push({
      t: line.t_monotonic as number,
      syncs: ram["dirty-sync-count"]!,
      rate: ram["dirty-pages-rate"]!,
      remainingPages: ram.remaining! / 4096,
      transferred: ram.transferred!,
      mbps: ram.mbps!,
    });
  }
  return out;
}

/** The syncs: QEMU's time (s), the collector's time (s), the pass number. */
function syncTimes(path: string): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (const line of lines(path)) {
    const msg = line.msg as Json | undefined;
    if (line.dir !== "event" || msg?.event !== "MIGRATION_PASS") continue;
    const stamp = msg.timestamp as { seconds: number; microseconds: number };
    const pass = (msg.data as { pass: number }).pass;
    out.push([stamp.seconds + stamp.microseconds * 1e-6, line.t as number, pass]);
  }
  return out;
}

const { positionals } = parseArgs({ allowPositionals: true, strict: true });
const folder = positionals[0] ?? "data/qemu-tcg-1gbit-downtime-limit";
const { runs } = await loadRuns(`${folder}/runs.csv`);
const random = runs.filter((r) => (r.writePattern ?? r.extra.write_pattern) === "random");
const pooled = { ratio: [] as number[], residual: [] as number[], occupancy: [] as number[] };
const readings: number[] = [];
console.log(
  "| run | status | syncs | steady gap (s) | periods | new / mean | residual sd (pages) | occupancy sd (pages) | reading sd (%) |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const run of random) {
  const name = String(run.extra.trace_file).replace(".qmp.jsonl.gz", "");
  const wss = run.wssBytes / 4096;
  const d = run.dirtyPagesPerSecond;
  const qmp = samples(`${folder}/traces/${name}.qmp.jsonl.gz`);
  const syncs = syncTimes(`${folder}/traces/${name}.events.jsonl.gz`);
  // The >= 1 s periods of dirty-pages-rate, from the setup sync on.
  const bounds = [syncs[0]!];
  for (const s of syncs.slice(1)) if (s[0] - bounds[bounds.length - 1]![0] > 1) bounds.push(s);
  const ratios: number[] = [];
  const residuals: number[] = [];
  const occupancy: number[] = [];
  for (let k = 2; k < bounds.length; k++) { // from the second period: the first holds the first pass
    const [from, to] = [bounds[k - 1]!, bounds[k]!];
    const nextPass = bounds[k + 1]?.[2] ?? Infinity;
    const after = qmp.find((s) => s.syncs >= to[2] && s.syncs < nextPass);
    const inside = qmp.filter((s) => s.t >= from[1] && s.t <= to[1]);
    if (after === undefined || inside.length < 2) continue;
    const gaps = syncs.filter((s) => s[2] > from[2] && s[2] <= to[2])
      .map((s) => s[0] - syncs[syncs.indexOf(s) - 1]![0]);
    const first = inside[0]!;
    const last = inside[inside.length - 1]!;
    const sentPerSecond = (last.transferred - first.transferred) / 4104 / (last.t - first.t);
    const length = to[0] - from[0];
    const perSync = (sentPerSecond * length) / gaps.length;
    const pending = inside.reduce((a, s) => a + s.remainingPages, 0) / inside.length - perSync / 2;
    const clean = wss - pending;
    const mean = gaps.reduce((a, g) => a + clean * (1 - Math.exp(-d * g / wss)), 0);
    const variance = gaps.reduce((a, g) => a + newPagesVariance(clean, d * g, wss), 0);
    const found = after.rate * length;
    ratios.push(found / mean);
    residuals.push(found - mean);
    occupancy.push(Math.sqrt(variance));
  }
  const steady = qmp.filter((s) => s.syncs >= 3).map((s) => s.mbps);
  const m = median(steady);
  const core = steady.map((x) => x / m - 1).filter((x) => Math.abs(x) < 0.05);
  const sd = (xs: number[]) => {
    const mu = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - mu) ** 2, 0) / Math.max(1, xs.length - 1));
  };
  readings.push(...core);
  const allGaps = syncs.slice(1).map((s, i) => s[0] - syncs[i]![0]);
  pooled.ratio.push(...ratios);
  pooled.residual.push(...residuals);
  pooled.occupancy.push(...occupancy);
  console.log(
    `| ${name} | ${run.status} | ${syncs.length} | ${
      median(allGaps.slice(-10)).toFixed(3)
    } | ${ratios.length} | ${median(ratios).toFixed(4)} | ${sd(residuals).toFixed(0)} | ${
      median(occupancy).toFixed(0)
    } | ${(100 * sd(core)).toFixed(2)} |`,
  );
}
const sdOf = (xs: number[]) => Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / xs.length);
console.log(
  `\npooled: ${pooled.ratio.length} periods; new pages found / the writer's mean: median ${
    median(pooled.ratio).toFixed(4)
  }; residual rms ${sdOf(pooled.residual).toFixed(0)} pages against an occupancy sd of ${
    median(pooled.occupancy).toFixed(0)
  } (median per period); bandwidth reading sd within 5 % of each run's median: ${
    (100 * sdOf(readings)).toFixed(2)
  } % over ${readings.length} samples`,
);
