// Private: `deno task collect --concurrent SHAPES`: the flags of the
// concurrent mode (`collectConcurrent`), parsed beside main.ts's.

import { parseQuantity } from "../units.ts";
import { collectConcurrent, type CollectConcurrentOptions } from "./collect_concurrent.ts";
import { CONCURRENT_SHAPES, concurrentPlans, type ConcurrentShape } from "./concurrent_plans.ts";
import { COLLECT_METHODS, type CollectMethod } from "./types.ts";

/** The help text of the mode's flags. */
export const CONCURRENT_HELP = `
Concurrent mode (2-3 migrations at once over shared shaped links, three hosts a, b, c):
  --concurrent LIST     plan shapes: shared-uplink (a->b, a->c), shared-downlink (a->c, b->c),
                        three (a->b, a->c, b->c); writes runs.csv (with plan columns),
                        migrations.csv and nodes.csv (plan tables, loadPlans); resumes by plan
  --stagger S           seconds between the starts in a plan (default 4)
  With it: --memory (default 128MiB), --link (every host's up- and downlink, default 100Mbps),
  --wss (one size, default 8MiB), --rates (one rate, default 256), --methods (one method,
  default kvm-precopy), --repeats, --out (default out/collect-concurrent), and the options of
  the guest and the run (--timeout, --hard-timeout, --baseline, --after, --accel, --nice, ...).
`;

type Flags = Record<string, string | boolean | undefined>;

function one(flags: Flags, name: string): string | undefined {
  const text = flags[name];
  if (typeof text !== "string") return undefined;
  const values = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (values.length !== 1) {
    throw new RangeError(
      `collect: invalid --${name} "${text}", expected one value with --concurrent`,
    );
  }
  return values[0];
}

function num(flags: Flags, name: string): number | undefined {
  const text = flags[name];
  if (typeof text !== "string") return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`collect: invalid --${name} "${text}", expected a number >= 0`);
  }
  return value;
}

/** Runs the concurrent mode from main.ts's parsed flags; prints a summary line. */
export async function concurrentMain(flags: Flags, args: readonly string[]): Promise<void> {
  const shapes = String(flags.concurrent).split(",").map((s) => s.trim()).filter((s) => s);
  for (const shape of shapes) {
    if (!(CONCURRENT_SHAPES as readonly string[]).includes(shape)) {
      throw new RangeError(
        `collect: invalid --concurrent shape "${shape}", expected one of ${
          CONCURRENT_SHAPES.join(", ")
        }`,
      );
    }
  }
  const method = one(flags, "methods") ?? "kvm-precopy";
  if (!(COLLECT_METHODS as readonly string[]).includes(method)) {
    throw new RangeError(
      `collect: invalid method "${method}", expected one of ${COLLECT_METHODS.join(", ")}`,
    );
  }
  const wss = one(flags, "wss");
  const rate = one(flags, "rates");
  const plans = concurrentPlans({
    shapes: shapes as ConcurrentShape[],
    staggerSeconds: num(flags, "stagger") ?? 4,
    repeats: num(flags, "repeats") ?? 1,
  });
  // Flags not given are undefined; collectConcurrent takes its defaults for them.
  const options = {
    outDir: typeof flags.out === "string" ? flags.out : "out/collect-concurrent",
    plans,
    method: method as CollectMethod,
    memoryBytes: typeof flags.memory === "string"
      ? parseQuantity(flags.memory, "bytes")
      : undefined,
    linkBandwidthBytesPerSecond: typeof flags.link === "string"
      ? parseQuantity(flags.link, "bytesPerSecond")
      : undefined,
    wssBytes: wss === undefined
      ? undefined
      : /^\d+$/.test(wss)
      ? Number(wss) * 2 ** 20
      : parseQuantity(wss, "bytes"),
    dirtyPagesPerSecond: rate === undefined ? undefined : Number(rate),
    downtimeLimitSeconds: num(flags, "downtime-limit"),
    timeoutSeconds: num(flags, "timeout"),
    hardTimeoutSeconds: num(flags, "hard-timeout"),
    baselineSeconds: num(flags, "baseline"),
    afterSeconds: num(flags, "after"),
    fill: flags["no-fill"] !== true,
    accel: (flags.accel ?? "auto") as "auto" | "kvm" | "tcg",
    postcopySwitch: (flags["postcopy-switch"] ?? "immediate") as "after-first-pass" | "immediate",
    niceness: typeof flags.nice === "string" ? Number(flags.nice) : undefined,
    retryFailed: flags["retry-failed"] === true,
    hostLoadNote: typeof flags["host-load"] === "string" ? flags["host-load"] : "",
    commandLine: ["deno", "task", "collect", ...args],
  };
  const result = await collectConcurrent(options as CollectConcurrentOptions);
  console.error(
    `collect: done: ${result.ran} plans run, ${result.skipped} skipped, ${
      JSON.stringify(result.statuses)
    }, accelerator ${result.accelerator}`,
  );
}
