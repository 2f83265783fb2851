// `deno task collect`: runs real QEMU live migrations and writes a dataset.
// See README.md "Collecting measurements (deno task collect)" and `--help`.

import { parseArgs } from "node:util";
import { parseQuantity } from "../units.ts";
import { collect } from "./collect.ts";
import { PAPER_DIRTY_PAGES_PER_SECOND, PAPER_WSS, planGrid } from "./plan_grid.ts";
import {
  COLLECT_CONTENTIONS,
  COLLECT_METHODS,
  type CollectContention,
  type CollectMethod,
  type GridPoint,
  type RequestedWss,
} from "./types.ts";

const HELP = `deno task collect [options]

Runs real QEMU live migrations (source and destination QEMU in two network
namespaces joined by a tc-shaped veth pair) and writes <out>/runs.csv,
<out>/<name>.meta.json and <out>/traces/*.jsonl.gz (QMP polls, events, and the
progress trace: guest and load progress at 10 Hz and every QEMU thread's CPU time
from /proc at 10 Hz, from --baseline s before migrate to --after s after the end).
Resumes: points already in runs.csv are skipped. Needs root and QEMU >= 9.

  --out DIR             output directory (default out/collect); its name is the dataset name
  --quick               CI grid: 256 MiB VM, WSS 64 MiB, 5120 pages/s, 3 methods + network
                        + a second post-copy repeat
                        contention for pre-copy, 20 s timeout
  --memory SIZE         VM memory (default 1.5GiB)
  --link RATE           link rate (default 1Gbps)
  --downtime-limit S    QEMU downtime limit, seconds (default 0.3)
  --downtime-limits LIST  sweep: run every kvm-precopy point once per limit, seconds,
                        e.g. 0.5,1,1.2,2 (the paper's Figure 3)
  --timeout S           pre-copy non-convergence limit, seconds (default 60)
  --hard-timeout S      any run's limit, seconds (default 300)
  --wss LIST            e.g. 0,64MiB,1GiB,full (default the paper's 0..1024 MiB + full)
  --rates LIST          pages/s, e.g. 1024,51200 (default 1024,5120,15360,51200)
  --contention LIST     none,cpu,network,memory (default all)
  --methods LIST        kvm-precopy,kvm-postcopy,xen-precopy-policy (default all)
  --repeats N           repeats of every point (default 1)
  --max-points N        stop after N points
  --no-fill             leave the guest's free memory untouched (zero pages)
  --accel A             auto|tcg|kvm (default auto: KVM if a guest boots in 20 s, else TCG)
  --postcopy-switch W   immediate|after-first-pass (default immediate: T = M/B as in the paper's model)
  --write-pattern P     sweep|random: the guest dirtier writes round-robin over the WSS (default
                        sweep) or to a uniformly random page each time; random is recorded in
                        the rows (write_pattern), point keys and trace names (_prandom)
  --baseline S          quiet time before each migrate with the load running, seconds: the
                        baseline of the progress ratios (default 10)
  --after S             time recorded after each migration ends, seconds (default 5)
  --nice N              niceness of QEMU and loads (default -10)
  --retry-failed        run again points whose rows are all 'failed'
  --host-load TEXT      note on other load on the machine, for the metadata
`;

function list(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : text.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

function pick<T extends string>(
  what: string,
  values: string[] | undefined,
  allowed: readonly T[],
): T[] | undefined {
  if (values === undefined) return undefined;
  for (const v of values) {
    if (!(allowed as readonly string[]).includes(v)) {
      throw new RangeError(
        `collect: invalid ${what} "${v}", expected one of ${allowed.join(", ")}`,
      );
    }
  }
  return values as T[];
}

const OPTIONS = {
  out: { type: "string" },
  quick: { type: "boolean" },
  memory: { type: "string" },
  link: { type: "string" },
  "downtime-limit": { type: "string" },
  "downtime-limits": { type: "string" },
  timeout: { type: "string" },
  "hard-timeout": { type: "string" },
  wss: { type: "string" },
  rates: { type: "string" },
  contention: { type: "string" },
  methods: { type: "string" },
  repeats: { type: "string" },
  "max-points": { type: "string" },
  "no-fill": { type: "boolean" },
  accel: { type: "string" },
  "postcopy-switch": { type: "string" },
  "write-pattern": { type: "string" },
  baseline: { type: "string" },
  after: { type: "string" },
  nice: { type: "string" },
  "retry-failed": { type: "boolean" },
  "host-load": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>["values"];

/** The points to run: the `--quick` CI grid or the grid the flags ask for. */
function planOf(values: Values): GridPoint[] {
  const quick = values.quick === true;
  const wss: RequestedWss[] | undefined = list(values.wss)?.map((w) =>
    w === "full" ? "full" : /^\d+$/.test(w) ? Number(w) * 2 ** 20 : parseQuantity(w, "bytes")
  );
  const rates = list(values.rates)?.map(Number);
  const contentions = pick<CollectContention>(
    "contention",
    list(values.contention),
    COLLECT_CONTENTIONS,
  );
  const methods = pick<CollectMethod>("method", list(values.methods), COLLECT_METHODS);
  const repeats = values.repeats === undefined ? 1 : Number(values.repeats);
  const limits = list(values["downtime-limits"])?.map(Number);
  return quick
    ? [
      ...planGrid({
        wss: wss ?? [64 * 2 ** 20],
        dirtyPagesPerSecond: rates ?? [5120],
        contentions: contentions ?? ["none"],
        methods: methods ?? COLLECT_METHODS,
        repeats,
      }),
      ...(contentions === undefined
        ? planGrid({
          wss: wss ?? [64 * 2 ** 20],
          dirtyPagesPerSecond: rates ?? [5120],
          contentions: ["network"],
          methods: ["kvm-precopy"],
          repeats,
        })
        : []),
      // A second post-copy repeat, so CI can fit a bandwidth to the rows (a fit needs 2 runs).
      ...planGrid({
        wss: wss ?? [64 * 2 ** 20],
        dirtyPagesPerSecond: rates ?? [5120],
        contentions: ["none"],
        methods: ["kvm-postcopy"],
        repeats: repeats + 1,
      }).filter((point) => point.run === repeats + 1),
    ]
    : planGrid({
      wss: wss ?? PAPER_WSS,
      dirtyPagesPerSecond: rates ?? PAPER_DIRTY_PAGES_PER_SECOND,
      contentions: contentions ?? COLLECT_CONTENTIONS,
      methods: methods ?? COLLECT_METHODS,
      repeats,
      ...(limits === undefined ? {} : { downtimeLimitsSeconds: limits }),
    });
}

/** Parses the command line and runs the collector. */
async function main(): Promise<void> {
  const { values } = parseArgs({ args: Deno.args, options: OPTIONS });
  if (values.help) {
    console.log(HELP);
    Deno.exit(0);
  }
  const quick = values.quick === true;
  const plan = planOf(values);
  const accel = values.accel ?? "auto";
  if (!["auto", "tcg", "kvm"].includes(accel)) {
    throw new RangeError(`collect: invalid accel "${accel}", expected auto, tcg or kvm`);
  }
  const postcopySwitch = values["postcopy-switch"] ?? "immediate";
  if (!["after-first-pass", "immediate"].includes(postcopySwitch)) {
    throw new RangeError(
      `collect: invalid postcopy-switch "${postcopySwitch}", expected after-first-pass or immediate`,
    );
  }
  const writePattern = values["write-pattern"] ?? "sweep";
  if (!["sweep", "random"].includes(writePattern)) {
    throw new RangeError(
      `collect: invalid write-pattern "${writePattern}", expected sweep or random`,
    );
  }
  const seconds = (flag: string, text: string): number => {
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`collect: invalid --${flag} "${text}", expected seconds >= 0`);
    }
    return value;
  };
  const result = await collect({
    outDir: values.out ?? (quick ? "out/collect-quick" : "out/collect"),
    plan: writePattern === "random"
      ? plan.map((point) => ({ ...point, writePattern: "random" as const }))
      : plan,
    memoryBytes: values.memory
      ? parseQuantity(values.memory, "bytes")
      : quick
      ? 256 * 2 ** 20
      : 1.5 * 2 ** 30,
    linkBandwidthBytesPerSecond: values.link ? parseQuantity(values.link, "bytesPerSecond") : 125e6,
    ...(values.baseline === undefined
      ? {}
      : { baselineSeconds: seconds("baseline", values.baseline) }),
    ...(values.after === undefined ? {} : { afterSeconds: seconds("after", values.after) }),
    downtimeLimitSeconds: values["downtime-limit"] ? Number(values["downtime-limit"]) : 0.3,
    timeoutSeconds: values.timeout ? Number(values.timeout) : quick ? 20 : 60,
    hardTimeoutSeconds: values["hard-timeout"] ? Number(values["hard-timeout"]) : quick ? 60 : 300,
    fill: values["no-fill"] !== true,
    accel: accel as "auto" | "tcg" | "kvm",
    postcopySwitch: postcopySwitch as "after-first-pass" | "immediate",
    niceness: values.nice ? Number(values.nice) : -10,
    retryFailed: values["retry-failed"] === true,
    ...(values["max-points"] ? { maxPoints: Number(values["max-points"]) } : {}),
    hostLoadNote: values["host-load"] ?? "",
    commandLine: ["deno", "task", "collect", ...Deno.args],
  });
  console.error(
    `collect: done: ${result.ran} run, ${result.skipped} skipped, ${
      JSON.stringify(result.statuses)
    }, accelerator ${result.accelerator}, ${result.secondsPerPoint.toFixed(1)} s/point`,
  );
}

if (import.meta.main) await main();
