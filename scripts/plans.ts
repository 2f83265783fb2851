// `deno task plans [--migrations data/g5k-plans/migrations.csv] [--folds 5] [--seed 1]
// [--resamples 200] [--json]`: fits the plan model (usable fraction per link class and a
// per-migration overhead) to measured plans, and compares, cross-validated by plan, its
// per-migration and makespan errors with the mVM scheduler's own model
// (`mvm_planned_duration_seconds`, no fit) and with fitContention's one factor per overlap count.
import {
  crossValidatePlans,
  type ErrorMetrics,
  errorMetrics,
  fitBandwidth,
  fitContention,
  fitPlans,
  type LoadedPlan,
  loadPlans,
  markdownTable,
  type MigrationRun,
  predictRuns,
} from "../mod.ts";
import {
  existingPath,
  flag,
  integer,
  option,
  parseCommandLine,
  runCommand,
} from "../src/cli/mod.ts";

/** The command line of `deno task plans`. */
export const PLANS_COMMAND = {
  name: "plans",
  usage: "deno task plans [options]",
  description: `Fits the plan model (a usable fraction per link class and a per-migration
overhead) to measured plans and compares, cross-validated by plan, its
per-migration and makespan errors with the mVM scheduler's own model and with
fitContention's one factor per overlap count.`,
  options: {
    migrations: option(existingPath("file"), {
      help: "the plans' migrations (CSV)",
      default: "data/g5k-plans/migrations.csv",
    }),
    nodes: option(existingPath("file"), {
      help: "the nodes' link rates (CSV)",
      defaultText: "nodes.csv beside --migrations",
    }),
    folds: option(integer({ min: 2 }), { help: "cross-validation folds (by plan)", default: 5 }),
    seed: option(integer({ min: 0 }), { help: "seed of the bootstrap and folds", default: 1 }),
    resamples: option(integer({ min: 0 }), {
      help: "bootstrap resamples over plans (0: none)",
      default: 200,
    }),
    json: flag("print JSON instead of tables"),
  },
  examples: ["deno task plans", "deno task plans --folds 10 --resamples 0 --json"],
};

interface Row {
  model: string;
  folds: string;
  migrations: ErrorMetrics;
  makespan: ErrorMetrics;
}

/** One run per measured migration, for fitContention; `group` names the overlap column. */
function toRuns(
  plans: LoadedPlan[],
  group: string | null,
): { runs: MigrationRun[]; plan: number[]; start: number[] } {
  const runs: MigrationRun[] = [];
  const plan: number[] = [];
  const start: number[] = [];
  plans.forEach((p, k) => {
    for (const m of p.migrations) {
      if (m.migrationTimeSeconds === undefined) continue;
      runs.push({
        method: m.method,
        contention: group === null ? "none" : m.extra[group]!,
        memoryBytes: m.memoryBytes,
        wssBytes: m.wssBytes,
        dirtyPagesPerSecond: m.dirtyPagesPerSecond,
        pageBytes: 4096,
        linkBandwidthBytesPerSecond: Math.min(
          p.nodes[m.source]!.uplinkBytesPerSecond,
          p.nodes[m.destination]!.downlinkBytesPerSecond,
        ),
        migrationTimeSeconds: m.migrationTimeSeconds,
        status: "completed",
        extra: {},
      });
      plan.push(k);
      start.push(m.startSeconds);
    }
  });
  return { runs, plan, start };
}

/** Makespans (first start to last end) per plan, from per-migration starts and times. */
function makespans(plan: number[], start: number[], seconds: number[]): Map<number, number> {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  plan.forEach((p, i) => {
    first.set(p, Math.min(first.get(p) ?? Infinity, start[i]!));
    last.set(p, Math.max(last.get(p) ?? -Infinity, start[i]! + seconds[i]!));
  });
  return new Map([...first].map(([p, f]) => [p, last.get(p)! - f]));
}

function row(
  model: string,
  folds: string,
  plan: number[],
  start: number[],
  measured: number[],
  estimated: number[],
): Row {
  const m = makespans(plan, start, measured);
  const e = makespans(plan, start, estimated);
  const keys = [...m.keys()];
  return {
    model,
    folds,
    migrations: errorMetrics(measured, estimated),
    makespan: errorMetrics(keys.map((k) => m.get(k)!), keys.map((k) => e.get(k)!)),
  };
}

/** fitContention (or fitBandwidth, one group) trained on the other folds' plans. */
function contentionRow(
  plans: LoadedPlan[],
  group: string | null,
  foldOf: Int32Array,
  folds: number,
): Row {
  const { runs, plan, start } = toRuns(plans, group);
  const estimated = new Array<number>(runs.length);
  for (let fold = 0; fold < folds; fold++) {
    const train = runs.filter((_, i) => foldOf[plan[i]!] !== fold);
    const test = runs.map((_, i) => i).filter((i) => foldOf[plan[i]!] === fold);
    const options = { resamples: 0 } as const;
    const fit = group === null
      ? fitBandwidth(train, options)
      : fitContention(train, { ...options, groupBy: "contention", baseline: "0" });
    const predicted = predictRuns(test.map((i) => runs[i]!), fit);
    test.forEach((i, k) => (estimated[i] = predicted[k]!));
  }
  const name = group === null
    ? "fitBandwidth (one usable fraction, no sharing)"
    : `fitContention, a factor per ${group}`;
  return row(
    name,
    `${folds} by plan`,
    plan,
    start,
    runs.map((r) => r.migrationTimeSeconds),
    estimated,
  );
}

/** The mVM scheduler's own durations: a model value in the data, not fitted. */
function mvmRow(plans: LoadedPlan[]): Row {
  const plan: number[] = [],
    start: number[] = [],
    measured: number[] = [],
    estimated: number[] = [];
  plans.forEach((p, k) =>
    p.migrations.forEach((m) => {
      if (m.migrationTimeSeconds === undefined) return;
      plan.push(k);
      start.push(m.startSeconds);
      measured.push(m.migrationTimeSeconds);
      estimated.push(Number(m.extra.mvm_planned_duration_seconds));
    })
  );
  return row(
    "mVM model (mvm_planned_duration_seconds, no fit)",
    "-",
    plan,
    start,
    measured,
    estimated,
  );
}

function format(rows: Row[]): string {
  return markdownTable(
    rows.map((r) => ({
      model: r.model,
      folds: r.folds,
      "migrations MAPE %": r.migrations.mapePercent.toFixed(2),
      "RMSE s": r.migrations.rmseSeconds.toFixed(2),
      "bias s": r.migrations.biasSeconds.toFixed(2),
      "makespan MAPE %": r.makespan.mapePercent.toFixed(2),
      "makespan RMSE s": r.makespan.rmseSeconds.toFixed(2),
    })),
  );
}

async function main(): Promise<number> {
  const { values: args } = parseCommandLine(PLANS_COMMAND, Deno.args);
  const plans = await loadPlans(
    args.migrations,
    args.nodes === undefined ? {} : { nodesPath: args.nodes },
  );
  const started = performance.now();
  const fit = fitPlans(plans, { resamples: args.resamples, seed: args.seed });
  const fitSeconds = (performance.now() - started) / 1000;
  const cv = crossValidatePlans(plans, { folds: args.folds, seed: args.seed });
  const scenario = (p: unknown) => (p as LoadedPlan).migrations[0]?.extra.scenario ?? "";
  const cvScenario = crossValidatePlans(plans, {
    folds: args.folds,
    seed: args.seed,
    foldBy: scenario,
  });
  const foldOf = new Int32Array(plans.length);
  for (const p of cv.makespans) foldOf[p.planIndex] = p.fold;
  const flow = (name: string, folds: string, result: typeof cv): Row => ({
    model: name,
    folds,
    migrations: result.metrics,
    makespan: result.makespanMetrics,
  });
  const rows = [
    flow("flow model (fitPlans: fraction per link class + overhead)", `${args.folds} by plan`, cv),
    flow(
      "flow model (fitPlans), all repetitions of a scenario held out together",
      `${args.folds} by scenario`,
      cvScenario,
    ),
    mvmRow(plans),
    contentionRow(plans, "n_overlapping_sharing_src_or_dst_node", foldOf, args.folds),
    contentionRow(plans, "n_running_at_start", foldOf, args.folds),
    contentionRow(plans, null, foldOf, args.folds),
  ];
  if (args.json) {
    console.log(
      JSON.stringify({ fit: { ...fit, residuals: undefined }, rows, fitSeconds }, null, 2),
    );
    return 0;
  }
  const estimate = (e: { value: number; low: number; high: number }, digits: number) =>
    `${e.value.toFixed(digits)} [${e.low.toFixed(digits)}, ${e.high.toFixed(digits)}]`;
  console.log(
    `${args.migrations}: ${plans.length} plans, ${fit.migrationsUsed} measured migrations`,
  );
  console.log(
    `fit on all plans (${
      fit.interval.method === "bootstrap"
        ? `${fit.interval.resamples} bootstrap resamples over plans, seed ${fit.interval.seed}, 95 %`
        : "no intervals"
    }; ${fitSeconds.toFixed(1)} s):`,
  );
  for (const [key, value] of Object.entries(fit.linkFractions)) {
    console.log(`  usable fraction of ${key} links: ${estimate(value, 4)}`);
  }
  console.log(`  overhead per migration: ${estimate(fit.overheadSeconds, 3)} s`);
  console.log(
    `  in sample: MAPE ${fit.metrics.mapePercent.toFixed(2)} %, RMSE ${
      fit.metrics.rmseSeconds.toFixed(2)
    } s, converged ${fit.converged}`,
  );
  console.log(
    `\nout of sample (${args.folds} folds, seed ${args.seed}; makespans from the measured start times):\n`,
  );
  console.log(format(rows));
  return 0;
}

if (import.meta.main) await runCommand(main);
