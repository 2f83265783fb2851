// Private: `deno task collect --concurrent SHAPES`: the concurrent mode
// (`collectConcurrent`) from main.ts's checked command line.

import { UsageError } from "../cli/mod.ts";
import { collectConcurrent, type CollectConcurrentOptions } from "./collect_concurrent.ts";
import { concurrentPlans, type ConcurrentShape } from "./concurrent_plans.ts";
import type { Values } from "./main.ts";

/** What the concurrent mode reads of the command line (one WSS, rate and method). */
export const CONCURRENT_HELP =
  `With --concurrent: --memory (default 128MiB), --link (every host's up- and
downlink, default 100Mbps), --wss (one size, default 8MiB), --rates (one rate,
default 256), --methods (one method, default kvm-precopy), --repeats, --out
(default out/collect-concurrent), and the guest and run options (--timeout,
--hard-timeout, --baseline, --after, --accel, --nice, ...).`;

function one<T>(flag: string, values: readonly T[] | undefined): T | undefined {
  if (values === undefined) return undefined;
  if (values.length !== 1) {
    throw new UsageError(
      `collect: invalid ${flag}, expected one value with --concurrent (got ${values.length})`,
      { flag },
    );
  }
  return values[0];
}

/** Runs the concurrent mode; prints a summary line. */
export async function concurrentMain(values: Values, args: readonly string[]): Promise<void> {
  const wss = one("--wss", values.wss);
  if (wss === "full") {
    throw new UsageError(`collect: invalid --wss, expected a size with --concurrent (got "full")`, {
      flag: "--wss",
    });
  }
  const rate = one("--rates", values.rates);
  const method = one("--methods", values.methods);
  const plans = concurrentPlans({
    shapes: values.concurrent as ConcurrentShape[],
    staggerSeconds: values.stagger ?? 4,
    repeats: values.repeats,
  });
  // Options not given stay out; collectConcurrent takes its defaults for them.
  const given = <K extends keyof CollectConcurrentOptions>(
    key: K,
    value: CollectConcurrentOptions[K] | undefined,
  ) => (value === undefined ? {} : { [key]: value });
  const options: CollectConcurrentOptions = {
    outDir: values.out ?? "out/collect-concurrent",
    plans,
    ...given("method", method),
    ...given("memoryBytes", values.memory),
    ...given("linkBandwidthBytesPerSecond", values.link),
    ...given("wssBytes", wss),
    ...given("dirtyPagesPerSecond", rate),
    ...given("downtimeLimitSeconds", values["downtime-limit"]),
    ...given("timeoutSeconds", values.timeout),
    ...given("hardTimeoutSeconds", values["hard-timeout"]),
    ...given("baselineSeconds", values.baseline),
    ...given("afterSeconds", values.after),
    fill: !values["no-fill"],
    accel: values.accel,
    postcopySwitch: values["postcopy-switch"],
    niceness: values.nice,
    retryFailed: values["retry-failed"],
    hostLoadNote: values["host-load"] ?? "",
    commandLine: ["deno", "task", "collect", ...args],
  };
  const result = await collectConcurrent(options);
  console.error(
    `collect: done: ${result.ran} plans run, ${result.skipped} skipped, ${
      JSON.stringify(result.statuses)
    }, accelerator ${result.accelerator}`,
  );
}
