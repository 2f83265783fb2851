// What the sweep writer's stop under QEMU's scattering reading costs (issue #14):
// sweep("kvm-precopy") over one grid with the default `bandwidthReadingQuantiles`
// and with an empty table (every window reads B: the model as before), alternated
// in one run so that both see the same machine. Prints configurations per second
// and the ratio per downtime limit.
//
//   deno run -A bench/stop_reading.ts [--rounds 5]
import { parseArgs } from "node:util";
import { sweep } from "../src/models/sweep.ts";
import { median } from "../src/_stats.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
const rounds = Number(values.rounds);
const grid = {
  memoryBytes: 1.5 * 2 ** 30,
  wssBytes: [0, 2 ** 24, 2 ** 26, 2 ** 27, 2 ** 28, 2 ** 29, 2 ** 30, 1.3e9],
  dirtyPagesPerSecond: [0, 1024, 5120, 15360, 30720, 51200],
  bandwidthBytesPerSecond: [50e6, 75e6, 100e6, 119e6, 125e6],
};
const configurations = 8 * 6 * 5;
console.log("| limit (s) | scatter (conf/s) | reading B (conf/s) | ratio |");
console.log("|---:|---:|---:|---:|");
for (const limit of [0.3, 1, 3, 10]) {
  const times = { scatter: [] as number[], fixed: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    for (
      const kind of r % 2 === 0 ? ["scatter", "fixed"] as const : ["fixed", "scatter"] as const
    ) {
      const options = {
        downtimeLimitSeconds: limit,
        timeoutSeconds: 120,
        includeInputs: false,
        ...(kind === "fixed" ? { bandwidthReadingQuantiles: [] } : {}),
      };
      const start = performance.now();
      let n = 0;
      while (performance.now() - start < 300) {
        sweep("kvm-precopy", grid, options);
        n++;
      }
      times[kind].push((performance.now() - start) / 1000 / n);
    }
  }
  const scatter = configurations / median(times.scatter);
  const fixed = configurations / median(times.fixed);
  console.log(
    `| ${limit} | ${scatter.toFixed(0)} | ${fixed.toFixed(0)} | ${(scatter / fixed).toFixed(2)} |`,
  );
}
