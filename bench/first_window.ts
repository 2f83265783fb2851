// What the first window's two outcomes cost (issue #14): kvmPrecopy (QEMU's
// rule) and sweep over one set of configurations with the default
// `socketBufferRangeBytes` (a second decision run where the other end of the
// range may change the first check) and with the range collapsed to
// `socketBufferBytes` (one run: the model's outcome at that buffer alone),
// alternated in one run so that both see the same machine. Prints
// configurations per second and the ratio per downtime limit (each side 1 s
// per round).
//
//   deno run -A bench/first_window.ts [--rounds 5]
import { parseArgs } from "node:util";
import { KVM_PRECOPY_DEFAULTS, kvmPrecopy } from "../src/models/kvm_precopy.ts";
import { sweep } from "../src/models/sweep.ts";
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
const columns = {
  memoryBytes,
  wssBytes: inputs.map((input) => input.wssBytes),
  dirtyPagesPerSecond: inputs.map((input) => input.dirtyPagesPerSecond),
  bandwidthBytesPerSecond: inputs.map((input) => input.bandwidthBytesPerSecond),
};
const single = KVM_PRECOPY_DEFAULTS.socketBufferBytes;
const KINDS = ["two", "one"] as const;

/** Seconds per call of `f`, median over rounds, the two kinds alternated. */
function secondsPerCall(f: (kind: (typeof KINDS)[number]) => void): { two: number; one: number } {
  const times = { two: [] as number[], one: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    for (const kind of r % 2 === 0 ? KINDS : [...KINDS].reverse()) {
      const start = performance.now();
      let n = 0;
      while (performance.now() - start < 1000) {
        f(kind);
        n++;
      }
      times[kind].push((performance.now() - start) / 1000 / n);
    }
  }
  return { two: median(times.two), one: median(times.one) };
}

console.log(
  "| limit (s) | kvmPrecopy two / one (conf/s) | ratio | sweep two / one (conf/s) | ratio | either |",
);
console.log("|---:|---:|---:|---:|---:|---:|");
for (const limit of [0.3, 3, 10, 12, 13, 14]) {
  const optionsOf = (kind: (typeof KINDS)[number]) => ({
    downtimeLimitSeconds: limit,
    timeoutSeconds: 120,
    ...(kind === "one" ? { socketBufferRangeBytes: [single, single] as const } : {}),
  });
  const scalar = secondsPerCall((kind) => {
    const options = optionsOf(kind);
    for (const input of inputs) kvmPrecopy(input, options);
  });
  const swept = secondsPerCall((kind) => {
    sweep("kvm-precopy", columns, { ...optionsOf(kind), layout: "columns", includeInputs: false });
  });
  const codes = sweep("kvm-precopy", columns, { ...optionsOf("two"), layout: "columns" });
  const either = codes.firstWindow!.filter((code) => code === 2).length;
  const rate = (seconds: number) => (inputs.length / seconds).toFixed(0);
  console.log(
    `| ${limit} | ${rate(scalar.two)} / ${rate(scalar.one)} | ${
      (scalar.one / scalar.two).toFixed(2)
    } | ${rate(swept.two)} / ${rate(swept.one)} | ${
      (swept.one / swept.two).toFixed(2)
    } | ${either}/${inputs.length} |`,
  );
}
