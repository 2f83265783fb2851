// Lab tool (issue #13): the objective of reproduce's one-method fits at the
// optimum of each search, against a dense scan of each contention group's
// level s_g = ln B + ln f_g. With one method, one B and no extra term the
// objective is a sum over groups of functions of s_g alone, so the scan is
// exact per group.
//
//   deno run --allow-read bench/objective_scan.ts [data/qemu-tcg-1gbit] [points] [halfWidth]
import { loadDatasetFolder } from "../src/data/load_dataset_folder.ts";
import { cellStart } from "../src/fit/_cell_start.ts";
import { createSolver, lossFor } from "../src/fit/_coordinate_search.ts";
import { evaluatePlan } from "../src/fit/_evaluate.ts";
import { fitData } from "../src/fit/_fit_data.ts";
import { layoutParams } from "../src/fit/_fit_params.ts";
import { resolveFitOptions } from "../src/fit/_fit_public.ts";
import { checkRuns, selectRuns } from "../src/fit/_runs.ts";

const folder = Deno.args[0] ?? "data/qemu-tcg-1gbit";
const points = Number(Deno.args[1] ?? 2000);
const halfWidth = Number(Deno.args[2] ?? 0.05);
const methods = Deno.args[3]?.split(",") ?? ["xen-precopy-policy", "kvm-precopy", "kvm-postcopy"];
const runs = checkRuns("scan", (await loadDatasetFolder(folder)).runs);

for (const method of methods) {
  // As fitMethods: groups with fewer than 2 completed runs are left out.
  const completed = new Map<string, number>();
  for (const r of runs) {
    if (r.method === method && r.status === "completed") {
      completed.set(r.contention, (completed.get(r.contention) ?? 0) + 1);
    }
  }
  const small = [...completed].filter(([, n]) => n < 2).map(([g]) => g);
  const input = runs.filter((r) => !(r.method === method && small.includes(r.contention)));
  const solutions: Record<string, Float64Array> = {};
  let perGroup: ((g: string, s: number) => number) | null = null;
  let groupNames: readonly string[] = [];
  const ms: Record<string, number> = {};
  for (const bandwidthPer of ["all", "method"] as const) {
    const options = resolveFitOptions("scan", { method, bandwidthPer, resamples: 0 }, true);
    const selected = selectRuns("scan", input, options.method);
    const data = fitData("scan", input, selected.indices, options);
    // "method": the coupled layout (a level and a factor per non-baseline group).
    const layout = layoutParams(data, options, bandwidthPer === "all");
    const loss = lossFor(options.objective);
    const t0 = performance.now();
    const solve = createSolver(data, layout, options, loss);
    const start = bandwidthPer === "method" ? cellStart(data, layout, options, loss) : null;
    const theta = solve(null, start).theta;
    ms[bandwidthPer] = performance.now() - t0;
    // Each group's level s_g.
    const s: Record<string, number> = {};
    for (let p = 0; p < data.groups.length; p++) {
      const level = theta[layout.levelOf[p]!]!;
      const factor = layout.factorOf[p]! >= 0 ? theta[layout.factorOf[p]!]! : 0;
      s[data.groups[p]!] = level + factor;
    }
    solutions[bandwidthPer] = Float64Array.from(data.groupNames, (g) => s[g]!);
    if (bandwidthPer === "all") {
      groupNames = data.groupNames;
      perGroup = (g: string, x: number) => {
        const param = layout.params.find((q) => q.name === g)!;
        const bw = Float64Array.from(param.positions, (p) => data.link[p]! * Math.exp(x));
        const est = evaluatePlan(param.plan, bw, new Float64Array(bw.length));
        let sum = 0;
        param.positions.forEach((p, j) => sum += loss(data.measured[p]!, est[j]!));
        return sum;
      };
    }
  }
  console.log(
    `\n${method}: separable ${ms.all!.toFixed(0)} ms, coupled ${ms.method!.toFixed(0)} ms`,
  );
  let totals = { all: 0, method: 0, scan: 0 };
  groupNames.forEach((g, k) => {
    const xs = solutions.all![k]!;
    const xc = solutions.method![k]!;
    const fs = perGroup!(g, xs);
    const fc = perGroup!(g, xc);
    let best = Infinity;
    let bestX = NaN;
    for (let i = 0; i < points; i++) {
      const x = xs - halfWidth + (2 * halfWidth * i) / (points - 1);
      const f = perGroup!(g, x);
      if (f < best) [best, bestX] = [f, x];
    }
    totals = { all: totals.all + fs, method: totals.method + fc, scan: totals.scan + best };
    console.log(
      `  ${g.padEnd(8)} separable s=${xs.toFixed(7)} f=${fs.toPrecision(10)} | coupled s=${
        xc.toFixed(7)
      } f=${fc.toPrecision(10)} | scan min f=${best.toPrecision(10)} at s=${bestX.toFixed(7)} (${
        (bestX - xs).toExponential(2)
      } from separable)`,
    );
  });
  console.log(
    `  total    separable ${totals.all.toPrecision(10)} | coupled ${
      totals.method.toPrecision(10)
    } | scan ${totals.scan.toPrecision(10)}`,
  );
  const factor = (sol: Float64Array) =>
    groupNames.map((g, k) =>
      `${g} ${Math.exp(sol[k]! - sol[groupNames.indexOf("none")]!).toFixed(5)}`
    ).join(", ");
  console.log(`  factors separable: ${factor(solutions.all!)}`);
  console.log(`  factors coupled:   ${factor(solutions.method!)}`);
}
