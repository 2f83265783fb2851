// Private: the start of a collector sitting: checks QEMU, builds the guest,
// creates the shaped link, picks the accelerator, and writes the sitting's
// metadata (again after every point).

import { buildGuest, createLink, type Link, removeStaleNamespaces, run, spawn } from "./_host.ts";
import { type CollectSession, datasetMetadata, type MetadataNotes } from "./_dataset_metadata.ts";
import type { MigrationSession } from "./_migrate.ts";
import { parseLoadAverage } from "./_proc.ts";
import { nowSeconds } from "./_qmp.ts";
import { probeAccelerator } from "./_vm.ts";
import type { RunRow } from "./types.ts";
import { writeTextAtomic } from "./write_text_atomic.ts";
import { bytesToMib } from "../units.ts";

/** What {@linkcode startSitting} needs: the resolved collector options and the dataset. */
export interface SittingInput {
  outDir: string;
  work: string;
  name: string;
  metaPath: string;
  previousMeta: Record<string, unknown>;
  rows: readonly RunRow[];
  downtimeLimitsSeconds: readonly number[];
  memoryBytes: number;
  linkBandwidthBytesPerSecond: number;
  downtimeLimitSeconds: number;
  timeoutSeconds: number;
  hardTimeoutSeconds: number;
  baselineSeconds: number;
  afterSeconds: number;
  fill: boolean;
  accel: "auto" | "kvm" | "tcg";
  postcopySwitch: "after-first-pass" | "immediate";
  niceness: number;
  hostLoadNote: string;
  commandLine: readonly string[];
  log: (line: string) => void;
  /**
   * Builds the network instead of the two-namespace link (and its iperf3
   * servers): a plan topology, whose `Link` is what the metadata records.
   */
  createNetwork?: () => Promise<Link>;
  /** The metadata's words for that network. */
  notes?: MetadataNotes;
}

/** A started sitting. */
export interface Sitting {
  /** The testbed and settings every migration of the sitting shares. */
  session: MigrationSession;
  /** When the sitting started, collector seconds. */
  startedSeconds: number;
  /** Rewrites the dataset's metadata with `pointsRun` points run so far. */
  writeMeta(pointsRun: number): Promise<void>;
}

/** Interval of the CPU sampler, seconds (10 Hz). */
const CPU_INTERVAL_SECONDS = 0.1;

/**
 * Checks QEMU (>= 9), builds the guest, creates the link with an iperf3
 * server on each side, probes the accelerator when `accel` is `auto`, and
 * writes the metadata with this sitting.
 *
 * @throws {RangeError} If QEMU is older than 9.
 */
export async function startSitting(input: SittingInput): Promise<Sitting> {
  const { log, work } = input;
  const startedSeconds = nowSeconds();
  const sessionStart = new Date().toISOString();
  await removeStaleNamespaces();
  const qemuVersion = (await run(["qemu-system-x86_64", "--version"])).split("\n")[0] ?? "";
  const major = Number(/version (\d+)/.exec(qemuVersion)?.[1] ?? "0");
  if (major < 9) {
    throw new RangeError(
      `collect: QEMU too old, expected version >= 9 (7.2 loses dirty pages under TCG) (got "${qemuVersion}")`,
    );
  }
  log("collect: building the guest");
  const guest = await buildGuest(work);
  const link = input.createNetwork
    ? await input.createNetwork()
    : await createLink(input.linkBandwidthBytesPerSecond * 8);
  const helperPids: number[] = [];
  for (const [i, ns] of input.createNetwork ? [] : link.ns.entries()) {
    const server = spawn(
      ["ip", "netns", "exec", ns, "iperf3", "-s", "-p", "5201"],
      `${work}/iperf3-server-${i}.log`,
    );
    helperPids.push(server.pid);
  }
  const hostCpu = (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ??
    "";
  const session: MigrationSession = {
    work,
    link,
    guest,
    memoryMib: bytesToMib(input.memoryBytes),
    fill: input.fill,
    niceness: input.niceness,
    outDir: input.outDir,
    memoryBytes: input.memoryBytes,
    linkBandwidthBytesPerSecond: input.linkBandwidthBytesPerSecond,
    downtimeLimitSeconds: input.downtimeLimitSeconds,
    timeoutSeconds: input.timeoutSeconds,
    hardTimeoutSeconds: input.hardTimeoutSeconds,
    postcopySwitch: input.postcopySwitch,
    accelerator: input.accel === "auto" ? "" : input.accel,
    hostCpu,
    baselineSeconds: input.baselineSeconds,
    afterSeconds: input.afterSeconds,
    cpuIntervalSeconds: CPU_INTERVAL_SECONDS,
    helperPids,
    clockTicksPerSecond: Number((await run(["getconf", "CLK_TCK"])).trim()),
  };
  if (session.accelerator === "") {
    log("collect: trying KVM (20 s boot timeout)");
    session.accelerator = await probeAccelerator(session);
    log(`collect: accelerator ${session.accelerator}`);
  }
  const sitting: CollectSession = {
    started: sessionStart,
    updated: sessionStart,
    command_line: input.commandLine.join(" "),
    accelerator: session.accelerator,
    qemu_version: qemuVersion,
    host_cpu: hostCpu,
    host_cpus: navigator.hardwareConcurrency,
    host_kernel: (await run(["uname", "-sr"])).trim(),
    host_load: input.hostLoadNote,
    host_load_average_at_start:
      parseLoadAverage(await Deno.readTextFile("/proc/loadavg")).oneMinute,
    points_run: 0,
  };
  let meta = input.previousMeta;
  const writeMeta = async (pointsRun: number) => {
    const now = new Date();
    sitting.updated = now.toISOString();
    sitting.points_run = pointsRun;
    meta = datasetMetadata({
      ...session,
      name: input.name,
      tcCommand: link.tcCommand,
      previous: meta,
      session: sitting,
      rows: input.rows,
      now,
      downtimeLimitsSeconds: input.downtimeLimitsSeconds,
      ...(input.notes === undefined ? {} : { notes: input.notes }),
    });
    await writeTextAtomic(input.metaPath, JSON.stringify(meta, null, 2) + "\n");
  };
  await writeMeta(0);
  // loadRuns finds `<name>.meta.json` beside `runs.csv` by its folder's name: no link needed.
  return { session, startedSeconds, writeMeta };
}
