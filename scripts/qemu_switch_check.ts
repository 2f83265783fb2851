// Checks kvmPrecopy's QEMU rule against measured downtime-limit sweeps
// (issue #14): per working set, the measured bracket (the largest limit that
// did not converge below the smallest that did) against the model's switch,
// and per converged run the model's pause against the guest-visible pause.
//
//   deno run -A scripts/qemu_switch_check.ts [FOLDER...] [--bandwidth run|FIXED_BYTES_PER_S]
//     [--socket-buffer BYTES] [--grid data/qemu-tcg-1gbit/runs.csv]
//
// FOLDER defaults to data/qemu-tcg-1gbit-downtime-limit. B is each run's
// measured throughput (`throughput_bytes_per_second`) unless a fixed value is
// given. Z is the run's `zero_pages` x page size.
import { loadRuns } from "../src/data/load_runs.ts";
import { crossValidate } from "../src/fit/cross_validate.ts";
import { fitContention } from "../src/fit/fit_contention.ts";
import type { MigrationRun } from "../src/data/types.ts";
import { kvmPrecopy, type KvmPrecopyOptions } from "../src/models/kvm_precopy.ts";
import { kvmSwitchLimit } from "../src/models/kvm_switch_limit.ts";

/** One converged run's pause, measured and modelled. */
export interface PauseCheck {
  wssBytes: number;
  limitSeconds: number;
  run: number;
  measuredSeconds: number;
  modelSeconds: number;
  /** Within 10 % or 100 ms. */
  ok: boolean;
}

/** One working set's switch, measured and modelled. */
export interface SwitchCheck {
  wssBytes: number;
  writePattern: string;
  runs: number;
  /** The largest limit at which a run did not converge (null: all converged). */
  stuckSeconds: number | null;
  /** The smallest limit at which a run converged, above every stuck one (null: none). */
  convergedSeconds: number | null;
  /** Limits with both outcomes measured (repeats that disagree). */
  mixedSeconds: number[];
  /** The model's switch (null: it never converges in the range). */
  modelSeconds: number | null;
  /** Whether the model's switch lies in (stuckSeconds, convergedSeconds]. */
  inside: boolean;
  /** Runs whose outcome the model calls right. */
  callsRight: number;
}

/** Options of {@linkcode checkSwitch}. */
export interface CheckSwitchOptions {
  /** A fixed B in bytes/s; otherwise each run's measured throughput. */
  bandwidthBytesPerSecond?: number;
  /** The model's options (the limit comes from each run). */
  model?: KvmPrecopyOptions;
}

function field(run: MigrationRun, name: string): number | undefined {
  const raw = run.extra?.[name];
  const value = typeof raw === "number" ? raw : raw === undefined || raw === "" ? NaN : Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** The model's input for a measured run. */
export function runInput(run: MigrationRun, bandwidth?: number) {
  const b = bandwidth ?? field(run, "throughput_bytes_per_second") ??
    run.linkBandwidthBytesPerSecond ?? 125e6;
  const zeroPages = field(run, "zero_pages") ?? 0;
  return {
    memoryBytes: run.memoryBytes,
    wssBytes: run.wssBytes,
    dirtyPagesPerSecond: run.wssBytes > 0 ? run.dirtyPagesPerSecond : 0,
    bandwidthBytesPerSecond: b,
    pageBytes: run.pageBytes,
    zeroBytes: Math.min(zeroPages * run.pageBytes, run.memoryBytes - run.wssBytes),
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/**
 * Compares the model with every `kvm-precopy` run that has a downtime limit.
 * The switch is found at the group's median B, Z and d (the runs of a working
 * set differ in them by a few per cent).
 */
export function checkSwitch(
  runs: readonly MigrationRun[],
  options: CheckSwitchOptions = {},
): { switches: SwitchCheck[]; pauses: PauseCheck[] } {
  const model = options.model ?? {};
  const sweep = runs.filter((run) =>
    run.method === "kvm-precopy" && field(run, "downtime_limit_seconds") !== undefined &&
    (run.status === "completed" || run.status === "non-convergent")
  );
  const groups = new Map<string, MigrationRun[]>();
  for (const run of sweep) {
    const pattern = String(run.extra?.write_pattern ?? model.writePattern ?? "sweep");
    // One group per requested working set (the measured WSS differs by a few pages).
    const key = `${run.extra?.requested_wss ?? run.wssBytes}|${pattern}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const switches: SwitchCheck[] = [];
  const pauses: PauseCheck[] = [];
  for (const [key, group] of [...groups].sort((a, b) => a[1][0]!.wssBytes - b[1][0]!.wssBytes)) {
    group.sort((a, b) => a.wssBytes - b.wssBytes);
    const writePattern = key.split("|")[1]! as "sweep" | "random";
    const options2 = { ...model, writePattern };
    const limit = (run: MigrationRun) => field(run, "downtime_limit_seconds")!;
    const stuck = group.filter((r) => r.status !== "completed").map(limit);
    const done = group.filter((r) => r.status === "completed").map(limit);
    const stuckSeconds = stuck.length > 0 ? Math.max(...stuck) : null;
    const above = done.filter((l) => stuckSeconds === null || l > stuckSeconds);
    const convergedSeconds = above.length > 0 ? Math.min(...above) : null;
    const inputs = group.map((run) => runInput(run, options.bandwidthBytesPerSecond));
    const typical = {
      ...inputs[0]!,
      bandwidthBytesPerSecond: median(inputs.map((i) => i.bandwidthBytesPerSecond)),
      zeroBytes: median(inputs.map((i) => i.zeroBytes)),
      dirtyPagesPerSecond: median(inputs.map((i) => i.dirtyPagesPerSecond)),
    };
    const timeoutSeconds = median(group.map((r) => field(r, "timeout_seconds") ?? 600));
    const found = kvmSwitchLimit(typical, {
      ...options2,
      timeoutSeconds,
      lowSeconds: 0.01,
      highSeconds: 30,
      toleranceSeconds: 0.002,
    });
    const modelSeconds = found.limitSeconds;
    const inside = modelSeconds !== null &&
      (stuckSeconds === null || modelSeconds > stuckSeconds) &&
      (convergedSeconds === null || modelSeconds <= convergedSeconds);
    let callsRight = 0;
    group.forEach((run, k) => {
      const result = kvmPrecopy(inputs[k]!, {
        ...options2,
        timeoutSeconds,
        downtimeLimitSeconds: limit(run),
      });
      if (result.converged === (run.status === "completed")) callsRight++;
      if (run.status === "completed" && run.downtimeSeconds !== undefined) {
        const error = Math.abs(result.downtimeSeconds - run.downtimeSeconds);
        pauses.push({
          wssBytes: run.wssBytes,
          limitSeconds: limit(run),
          run: run.run ?? 0,
          measuredSeconds: run.downtimeSeconds,
          modelSeconds: result.downtimeSeconds,
          ok: error <= 0.1 || error <= 0.1 * run.downtimeSeconds,
        });
      }
    });
    const limits = new Set(group.map(limit));
    const mixedSeconds = [...limits].filter((l) => stuck.includes(l) && done.includes(l));
    switches.push({
      wssBytes: group[0]!.wssBytes,
      writePattern,
      runs: group.length,
      stuckSeconds,
      convergedSeconds,
      mixedSeconds,
      modelSeconds,
      inside,
      callsRight,
    });
  }
  return { switches, pauses };
}

/** KVM pre-copy on a grid dataset under one switch rule: out-of-sample time error and outcome calls. */
export interface GridCheck {
  /** 5-fold cross-validated time MAPE over the completed runs, %, as `deno task reproduce`. */
  mapePercent: number;
  /** B fitted on all runs (the baseline group), bytes/s. */
  bandwidthBytesPerSecond: number;
  /** Runs (completed or non-convergent) whose outcome the model at the fitted B calls right. */
  callsRight: number;
  runs: number;
  /** Mean |model - measured| / measured pause over the completed runs, %. */
  downtimeMapePercent: number;
}

/** Cross-validates and fits `kvm-precopy` with the given model options (zero pages from the runs). */
export function checkGrid(runs: readonly MigrationRun[], model: KvmPrecopyOptions): GridCheck {
  const modelOptions = { kvmPrecopy: model };
  const cv = crossValidate(runs, { method: "kvm-precopy", folds: 5, seed: 1, modelOptions });
  const fit = fitContention(runs, { method: "kvm-precopy", resamples: 0, seed: 1, modelOptions });
  const efficiency = fit.efficiencyByMethod?.["kvm-precopy"]?.value ?? fit.efficiency?.value;
  const absolute = fit.bandwidthByMethod?.["kvm-precopy"]?.value ?? fit.bandwidthBytesPerSecond;
  const link = (run: MigrationRun) => run.linkBandwidthBytesPerSecond ?? 125e6;
  const baselineOf = (run: MigrationRun) =>
    fit.scale === "efficiency" ? efficiency! * link(run) : absolute!;
  const baseline = baselineOf(runs.find((run) => run.method === "kvm-precopy")!);
  let callsRight = 0;
  let count = 0;
  const errors: number[] = [];
  for (const run of runs) {
    if (run.method !== "kvm-precopy") continue;
    if (run.status !== "completed" && run.status !== "non-convergent") continue;
    const b = baselineOf(run) * (fit.factors[run.contention]?.value ?? 1);
    const result = kvmPrecopy(runInput(run, b), {
      ...model,
      downtimeLimitSeconds: field(run, "downtime_limit_seconds") ?? 0.3,
      timeoutSeconds: field(run, "timeout_seconds") ?? 600,
    });
    count++;
    if (result.converged === (run.status === "completed")) callsRight++;
    if (run.status === "completed" && run.downtimeSeconds !== undefined) {
      errors.push(Math.abs(result.downtimeSeconds / run.downtimeSeconds - 1));
    }
  }
  return {
    mapePercent: cv.metrics.mapePercent,
    bandwidthBytesPerSecond: baseline,
    callsRight,
    runs: count,
    downtimeMapePercent: (100 * errors.reduce((a, e) => a + e, 0)) / errors.length,
  };
}

if (import.meta.main) {
  const args = [...Deno.args];
  const at = args.indexOf("--bandwidth");
  const bandwidth = at >= 0 && args[at + 1] !== "run" ? Number(args[at + 1]) : undefined;
  if (at >= 0) args.splice(at, 2);
  const g = args.indexOf("--grid");
  const gridFile = g >= 0 ? args[g + 1] : undefined;
  if (g >= 0) args.splice(g, 2);
  const sb = args.indexOf("--socket-buffer");
  const socketBufferBytes = sb >= 0 ? Number(args[sb + 1]) : 0;
  if (sb >= 0) args.splice(sb, 2);
  const folders = args.length > 0 ? args : ["data/qemu-tcg-1gbit-downtime-limit"];
  const runs: MigrationRun[] = [];
  for (const folder of folders) {
    runs.push(...(await loadRuns(`${folder}/runs.csv`)).runs);
  }
  const { switches, pauses } = checkSwitch(runs, {
    ...(bandwidth === undefined ? {} : { bandwidthBytesPerSecond: bandwidth }),
    model: { socketBufferBytes },
  });
  const mib = (b: number) => (b / 2 ** 20).toFixed(0);
  const s = (v: number | null) => (v === null ? "-" : v.toFixed(3));
  console.log(
    `B: ${
      bandwidth === undefined ? "each run's throughput" : `${bandwidth} bytes/s`
    }; socket buffer ${socketBufferBytes} bytes`,
  );
  console.log(
    "| WSS (MiB) | pattern | runs | stuck at (s) | converged at (s) | model switch (s) | inside | calls right | mixed limits |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const c of switches) {
    console.log(
      `| ${mib(c.wssBytes)} | ${c.writePattern} | ${c.runs} | ${s(c.stuckSeconds)} | ${
        s(c.convergedSeconds)
      } | ${s(c.modelSeconds)} | ${c.inside ? "yes" : "NO"} | ${c.callsRight}/${c.runs} | ${
        c.mixedSeconds.join(" ")
      } |`,
    );
  }
  console.log(
    "\n| WSS (MiB) | limit (s) | run | measured pause (s) | model (s) | error (s) | ok |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const p of pauses) {
    console.log(
      `| ${mib(p.wssBytes)} | ${p.limitSeconds} | ${p.run} | ${p.measuredSeconds.toFixed(3)} | ${
        p.modelSeconds.toFixed(3)
      } | ${(p.modelSeconds - p.measuredSeconds).toFixed(3)} | ${p.ok ? "yes" : "NO"} |`,
    );
  }
  const bad = pauses.filter((p) => !p.ok).length;
  console.log(
    `\n${
      switches.filter((c) => c.inside).length
    }/${switches.length} switches inside their bracket; ${
      pauses.length - bad
    }/${pauses.length} pauses within 10 % or 100 ms`,
  );
  if (gridFile !== undefined) {
    const { runs: grid } = await loadRuns(gridFile);
    console.log(
      "\n| KVM pre-copy on the grid | CV time MAPE (%) | B (MB/s) | calls right | pause MAPE (%) |",
    );
    console.log("|---|---|---|---|---|");
    for (const rule of ["between-rounds", "qemu"] as const) {
      for (
        const writePattern of rule === "qemu" ? ["sweep", "random"] as const : ["sweep"] as const
      ) {
        const c = checkGrid(grid, { switchRule: rule, writePattern });
        console.log(
          `| ${rule}${rule === "qemu" ? `, ${writePattern}` : ""} | ${c.mapePercent.toFixed(3)} | ${
            (c.bandwidthBytesPerSecond / 1e6).toFixed(2)
          } | ${c.callsRight}/${c.runs} | ${c.downtimeMapePercent.toFixed(1)} |`,
        );
      }
    }
  }
}
