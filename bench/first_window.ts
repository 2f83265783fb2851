// What the first window's two outcomes cost the scalar model (issue #14):
// kvmPrecopy (QEMU's rule) over one grid with the default
// `socketBufferRangeBytes` (a second decision run where the other end of the
// range may change the first check) and with the range collapsed to
// `socketBufferBytes` (one run: the model as before), alternated in one run so
// that both see the same machine. `sweep` does not compute the other outcome,
// so its throughput is unchanged. Prints configurations per second and the
// ratio per downtime limit (each side 1 s per round).
//
//   deno run -A bench/first_window.ts [--rounds 5]
import { parseArgs } from "node:util";
import { KVM_PRECOPY_DEFAULTS, kvmPrecopy } from "../src/models/kvm_precopy.ts";
import { median } from "../src/_stats.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
const rounds = Number(values.rounds);
const memoryBytes = 1.5 * 2 ** 30;
const inputs = [0, 2 ** 24, 2 ** 27, 2 ** 29, 1.3e9].flatMap((wssBytes) =>
  [0, 5120, 51200].flatMap((dirtyPagesPerSecond) =>
    [100e6, 119e6, 125e6].map((bandwidthBytesPerSecond) => ({
      memoryBytes,
      wssBytes,
      dirtyPagesPerSecond,
      bandwidthBytesPerSecond,
    }))
  )
);
const single = KVM_PRECOPY_DEFAULTS.socketBufferBytes;
console.log("| limit (s) | two outcomes (conf/s) | one outcome (conf/s) | ratio | either |");
console.log("|---:|---:|---:|---:|---:|");
for (const limit of [0.3, 3, 10, 12, 13, 14]) {
  const times = { two: [] as number[], one: [] as number[] };
  let either = 0;
  for (let r = 0; r < rounds; r++) {
    for (const kind of r % 2 === 0 ? ["two", "one"] as const : ["one", "two"] as const) {
      const options = {
        downtimeLimitSeconds: limit,
        timeoutSeconds: 120,
        ...(kind === "one" ? { socketBufferRangeBytes: [single, single] as const } : {}),
      };
      const start = performance.now();
      let n = 0;
      while (performance.now() - start < 1000) {
        let found = 0;
        for (const input of inputs) {
          if (kvmPrecopy(input, options).firstWindow === "either") found++;
        }
        if (kind === "two") either = found;
        n++;
      }
      times[kind].push((performance.now() - start) / 1000 / n);
    }
  }
  const two = inputs.length / median(times.two);
  const one = inputs.length / median(times.one);
  console.log(
    `| ${limit} | ${two.toFixed(0)} | ${one.toFixed(0)} | ${
      (two / one).toFixed(2)
    } | ${either}/${inputs.length} |`,
  );
}
