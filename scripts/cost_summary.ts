// Prints the downtime and noise numbers of issue #13 for a measured dataset:
// per method the fitted switchover cost with its interval, the downtime MAE and
// 90th-percentile error (in sample and cross-validated), the noise model's
// parameters with intervals and its errors, and the median measured progress
// (the proxy) per method and contention.
//
//   deno run --allow-read scripts/cost_summary.ts [data/qemu-tcg-1gbit/runs.csv]
import { median } from "../src/_stats.ts";
import { CONTENTIONS } from "../src/data/schema.ts";
import { loadRuns } from "../src/data/load_runs.ts";
import { measuredProgress } from "../src/fit/_quantity.ts";
import { crossValidate } from "../src/fit/cross_validate.ts";
import { downtimeErrors } from "../src/fit/downtime_errors.ts";
import { fitContention } from "../src/fit/fit_contention.ts";
import { fitNoise } from "../src/fit/fit_noise.ts";
import { predictRuns } from "../src/fit/predict_runs.ts";
import type { Estimate } from "../src/fit/types.ts";

const path = Deno.args[0] ?? "data/qemu-tcg-1gbit/runs.csv";
const { runs } = await loadRuns(path);
const ms = (s: number) => (s * 1e3).toFixed(1);
const interval = (e: Estimate, f: (x: number) => string) =>
  `${f(e.value)} [${f(e.low)}, ${f(e.high)}]`;

console.log(`# ${path}: ${runs.length} runs\n`);
console.log("## Downtime against the guest-visible pause (ms)\n");
console.log(
  "| method | runs | switchover cost [95 %] | median pause | MAE in / CV | p90 in / CV |",
);
console.log("|---|---|---|---|---|---|");
for (const [method, row] of Object.entries(downtimeErrors(runs))) {
  console.log(
    `| ${method} | ${row.inSample.count} | ${interval(row.switchoverSeconds, ms)} | ${
      ms(row.inSample.medianMeasuredSeconds)
    } | ${ms(row.inSample.maeSeconds)} / ${ms(row.crossValidated.maeSeconds)} | ${
      ms(row.inSample.p90AbsoluteErrorSeconds)
    } / ${ms(row.crossValidated.p90AbsoluteErrorSeconds)} |`,
  );
}

const fit = fitContention(runs, { bandwidthPer: "method", resamples: 0 });
const noise = fitNoise(runs, { fit });
const cv = crossValidate(runs, { bandwidthPer: "method", quantity: "guestProgressRatio" });
const us = (s: number) => (s * 1e6).toFixed(3);
const pct = (x: number) => (x * 100).toFixed(2);
console.log(
  `\n## Noise: progress ratio of the migrating VM (measured by ${
    JSON.stringify(noise.measuredBy)
  })\n`,
);
for (const [m, e] of Object.entries(noise.noise.trackingSeconds)) {
  console.log(`- ${m}: tracking cost ${interval(e, us)} µs per write`);
}
if (noise.noise.faultSeconds !== null) {
  console.log(
    `- kvm-postcopy: fault cost beyond the transfer ${interval(noise.noise.faultSeconds, us)} µs`,
  );
}
for (const [g, e] of Object.entries(noise.noise.destinationSlowdown)) {
  console.log(`- kvm-postcopy: destination slowdown under ${g}: ${interval(e, pct)} %`);
}
console.log(
  `- converged: ${noise.converged}; excluded: ${JSON.stringify(noise.excluded.byReason)}`,
);
console.log("\n| method | runs | ratio MAE in / CV | ratio RMSE in / CV |");
console.log("|---|---|---|---|");
for (const [m, metrics] of Object.entries(noise.metricsByMethod)) {
  const rows = cv.predictions.filter((p) => p.method === m);
  const mae = rows.reduce((s, p) => s + Math.abs(p.residualSeconds), 0) / rows.length;
  const rmse = Math.sqrt(rows.reduce((s, p) => s + p.residualSeconds ** 2, 0) / rows.length);
  console.log(
    `| ${m} | ${metrics.count} | ${metrics.maeSeconds.toFixed(4)} / ${mae.toFixed(4)} | ${
      metrics.rmseSeconds.toFixed(4)
    } / ${rmse.toFixed(4)} |`,
  );
}

// Two references for the post-copy rows: no slowdown at all (ratio 1), and the
// link-rate physics alone (fault cost and destination slowdown 0).
const post = noise.residuals.filter((r) => r.method === "kvm-postcopy");
if (post.length > 0) {
  const physics = predictRuns(post.map((r) => runs[r.index]!), {
    ...noise,
    noise: {
      ...noise.noise,
      faultSeconds: { value: 0, low: 0, high: 0 },
      destinationSlowdown: Object.fromEntries(
        Object.keys(noise.noise.destinationSlowdown).map((g) => [g, { value: 0, low: 0, high: 0 }]),
      ),
    },
  }, { quantity: "guestProgressRatio" });
  const mae = (e: (p: number) => number) =>
    post.reduce((s, r, p) => s + Math.abs(r.measuredSeconds - e(p)), 0) / post.length;
  console.log(
    `\nkvm-postcopy references (in sample): ratio 1 MAE ${
      mae(() => 1).toFixed(4)
    }; link-rate physics alone MAE ${mae((p) => physics[p]!).toFixed(4)}`,
  );
}

console.log("\n## Median measured progress ratio (proxy: achieved / requested dirty rate)\n");
const contentions = CONTENTIONS.map((c) => c.name as string);
console.log(`| method | ${contentions.join(" | ")} |`);
console.log(`|---|${contentions.map(() => "---").join("|")}|`);
const methods = [...new Set(runs.map((r) => r.method))].sort();
for (const m of methods) {
  const cells = contentions.map((c) => {
    const values = runs.filter((r) =>
      r.method === m && r.contention === c && r.status === "completed"
    )
      .map((r) => measuredProgress(r)).flatMap((v) => "value" in v ? [v.value] : []);
    return values.length === 0 ? "-" : `${median(values).toFixed(3)} (${values.length})`;
  });
  console.log(`| ${m} | ${cells.join(" | ")} |`);
}
