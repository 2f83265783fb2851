import {
  buildGuest,
  cleanupAll,
  cleanupSync,
  createLink,
  removeStaleNamespaces,
  run,
  spawn,
} from "./_host.ts";
import { type CollectSession, datasetMetadata } from "./_dataset_metadata.ts";
import { readDataset } from "./_dataset_files.ts";
import { migrateOnce, type MigrationSession } from "./_migrate.ts";
import { nowSeconds } from "./_qmp.ts";
import { baseRow, wssArg } from "./_run_row.ts";
import { MIB } from "../units.ts";
import { bootGuest, type GuestConfig, probeAccelerator, stopVm, type Vm } from "./_vm.ts";
import { formatRunsCsv, RUN_COLUMNS } from "./format_runs_csv.ts";
import { pendingPoints } from "./pending_points.ts";
import type { GridPoint, RunRow } from "./types.ts";
import { writeTextAtomic } from "./write_text_atomic.ts";

/** Options for {@linkcode collect}. */
export interface CollectOptions {
  /** Output directory; its base name is the dataset name (`<dir>/<name>.meta.json`). */
  outDir: string;
  /** The points to run, in order (see `planGrid`); points already in `runs.csv` are skipped. */
  plan: readonly GridPoint[];
  /**
   * The VM's memory, bytes (a whole number of MiB).
   *
   * @default {1610612736}
   */
  memoryBytes?: number;
  /**
   * The shaped link's rate, bits/s (tc tbf on both veth ends).
   *
   * @default {1e9}
   */
  linkBitsPerSecond?: number;
  /**
   * QEMU's downtime limit for `kvm-precopy` and `kvm-postcopy`, seconds.
   *
   * @default {0.3}
   */
  downtimeLimitSeconds?: number;
  /**
   * A `kvm-precopy` run still iterating after this many seconds is cancelled and recorded as `non-convergent`.
   *
   * @default {60}
   */
  timeoutSeconds?: number;
  /**
   * Any run still going after this many seconds is ended and recorded as `failed`.
   *
   * @default {300}
   */
  hardTimeoutSeconds?: number;
  /**
   * Fill the guest's free memory with non-zero data before migrating.
   *
   * @default {true}
   */
  fill?: boolean;
  /**
   * Accelerator: `auto` tries KVM with a short boot timeout and falls back to TCG.
   *
   * @default {"auto"}
   */
  accel?: "auto" | "kvm" | "tcg";
  /**
   * When `kvm-postcopy` runs switch to post-copy: after the first pre-copy pass, or at once.
   *
   * @default {"immediate"}
   */
  postcopySwitch?: "after-first-pass" | "immediate";
  /**
   * Niceness of the QEMU processes and contention loads (negative: ahead of other work).
   *
   * @default {-10}
   */
  niceness?: number;
  /**
   * Run again points whose rows are all `failed`.
   *
   * @default {false}
   */
  retryFailed?: boolean;
  /**
   * Stop after this many points (for trials); all pending points when undefined.
   *
   * @default {undefined}
   */
  maxPoints?: number;
  /**
   * Free text for the metadata: other load on the machine during collection.
   *
   * @default {""}
   */
  hostLoadNote?: string;
  /**
   * The command line, for the metadata.
   *
   * @default {[]}
   */
  commandLine?: readonly string[];
  /**
   * Progress lines (stderr by default).
   *
   * @default {console.error}
   */
  log?: (line: string) => void;
}

/** What {@linkcode collect} did. */
export interface CollectResult {
  /** Points run in this session. */
  ran: number;
  /** Points skipped because `runs.csv` held them. */
  skipped: number;
  /** Rows by status, this session. */
  statuses: Record<string, number>;
  /** The accelerator used. */
  accelerator: string;
  /** Mean wall time per point this session, seconds. */
  secondsPerPoint: number;
}

/**
 * Runs real QEMU live migrations over a shaped link and writes one row per
 * migration to `<outDir>/runs.csv` (the run schema, atomically rewritten after
 * every point), the dataset's `<name>.meta.json` and a gzipped JSON Lines QMP
 * trace per run under `<outDir>/traces/`. Needs root, QEMU >= 9, busybox-static,
 * a kernel in /boot, gcc, iproute2 and iperf3.
 *
 * See the README section "Collecting measurements" for the method.
 *
 * @param options See {@linkcode CollectOptions}.
 * @returns A summary of the session.
 * @throws {RangeError} If an option is out of range or the output directory holds a dataset
 * with another VM size, link or downtime limit.
 *
 * @example Resuming with nothing left to run touches no hypervisor
 * ```ts
 * import { collect } from "./collect.ts";
 * import assert from "node:assert/strict";
 *
 * const outDir = await Deno.makeTempDir();
 * const result = await collect({ outDir, plan: [], log: () => {} });
 * assert.deepEqual(result, { ran: 0, skipped: 0, statuses: {}, accelerator: "", secondsPerPoint: 0 });
 * await Deno.remove(outDir, { recursive: true });
 * ```
 */
export async function collect(options: CollectOptions): Promise<CollectResult> {
  const {
    outDir,
    plan,
    memoryBytes = 1.5 * 1024 * MIB,
    linkBitsPerSecond = 1e9,
    downtimeLimitSeconds = 0.3,
    timeoutSeconds = 60,
    hardTimeoutSeconds = 300,
    fill = true,
    accel = "auto",
    postcopySwitch = "immediate",
    niceness = -10,
    retryFailed = false,
    maxPoints,
    hostLoadNote = "",
    commandLine = [],
    log = (line: string) => console.error(line),
  } = options;
  if (!Number.isInteger(memoryBytes / MIB) || memoryBytes < 64 * MIB) {
    throw new RangeError(
      `collect: invalid option "memoryBytes", expected a whole number of MiB >= 64 MiB (got ${memoryBytes})`,
    );
  }
  for (const point of plan) {
    if (point.wss !== "full" && (!Number.isInteger(point.wss / MIB) || point.wss >= memoryBytes)) {
      throw new RangeError(
        `collect: invalid working set, expected a whole number of MiB below the VM's memory (got ${point.wss})`,
      );
    }
  }
  const memoryMib = memoryBytes / MIB;
  const name = outDir.replace(/\/+$/, "").split("/").at(-1) ?? "dataset";
  await Deno.mkdir(`${outDir}/traces`, { recursive: true });
  const work = await Deno.makeTempDir({ prefix: "collect-" });
  const csvPath = `${outDir}/runs.csv`;
  const metaPath = `${outDir}/${name}.meta.json`;
  const dataset = await readDataset(csvPath, metaPath, {
    memoryBytes,
    linkBitsPerSecond,
    downtimeLimitSeconds,
    fill,
  });
  const rows = dataset.rows;
  let meta = dataset.meta;
  const pending = pendingPoints(plan, rows, { retryFailed });
  const todo = maxPoints === undefined ? pending : pending.slice(0, maxPoints);
  const skipped = plan.length - pending.length;
  log(
    `collect: ${plan.length} points planned, ${skipped} already in ${csvPath}, ${todo.length} to run`,
  );
  const statuses: Record<string, number> = {};
  const sessionStart = new Date().toISOString();
  let accelerator = accel === "auto" ? "" : accel;
  let ran = 0;
  const t0 = nowSeconds();

  // Set on Ctrl-C/TERM: the run in progress is then broken by the cleanup, not by
  // the method, so its row must not be written.
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    log("collect: interrupted, cleaning up");
    cleanupAll()
      .then(() => Deno.remove(work, { recursive: true }))
      .catch(() => {})
      .finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  globalThis.addEventListener("unload", cleanupSync);

  try {
    if (todo.length === 0) return { ran: 0, skipped, statuses, accelerator, secondsPerPoint: 0 };
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
    const link = await createLink(linkBitsPerSecond);
    for (const [i, ns] of link.ns.entries()) {
      spawn(
        ["ip", "netns", "exec", ns, "iperf3", "-s", "-p", "5201"],
        `${work}/iperf3-server-${i}.log`,
      );
    }
    const session: MigrationSession = {
      work,
      link,
      guest,
      memoryMib,
      fill,
      niceness,
      outDir,
      memoryBytes,
      linkBitsPerSecond,
      downtimeLimitSeconds,
      timeoutSeconds,
      hardTimeoutSeconds,
      postcopySwitch,
      accelerator,
    };
    if (session.accelerator === "") {
      log("collect: trying KVM (20 s boot timeout)");
      session.accelerator = accelerator = await probeAccelerator(session);
      log(`collect: accelerator ${accelerator}`);
    }

    const downtimeLimitsSeconds = [...new Set(plan.flatMap((p) => p.downtimeLimitSeconds ?? []))]
      .sort((a, b) => a - b);
    const sitting: CollectSession = {
      started: sessionStart,
      updated: sessionStart,
      command_line: commandLine.join(" "),
      accelerator,
      qemu_version: qemuVersion,
      host_cpu: (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ??
        "",
      host_cpus: navigator.hardwareConcurrency,
      host_kernel: (await run(["uname", "-sr"])).trim(),
      host_load: hostLoadNote,
      points_run: 0,
    };
    const writeMeta = async () => {
      const now = new Date();
      sitting.updated = now.toISOString();
      sitting.points_run = ran;
      meta = datasetMetadata({
        ...session,
        name,
        tcCommand: link.tcCommand,
        previous: meta,
        session: sitting,
        rows,
        now,
        downtimeLimitsSeconds,
      });
      await writeTextAtomic(metaPath, JSON.stringify(meta, null, 2) + "\n");
    };
    await writeMeta();
    // loadRuns finds `<name>.meta.json` beside `runs.csv` by its folder's name: no link needed.

    let vm: Vm | undefined;
    let vmConfig = "";
    let vmReady: Record<string, number> = {};
    for (const [index, point] of todo.entries()) {
      const cfg: GuestConfig = {
        wssArg: wssArg(point.wss),
        rate: point.dirtyPagesPerSecond,
      };
      const cfgKey = `${cfg.wssArg}|${cfg.rate}`;
      const started = nowSeconds();
      let row: RunRow;
      let ready: Record<string, number> = {};
      try {
        if (vm === undefined || vmConfig !== cfgKey) {
          await stopVm(vm);
          vm = undefined;
          log(`collect: booting guest wss=${cfg.wssArg} MiB rate=${cfg.rate} pages/s`);
          ({ vm, ready: vmReady } = await bootGuest(session, cfg, accelerator));
          vmConfig = cfgKey;
        }
        ready = vmReady;
        const result = await migrateOnce(session, point, vm, ready);
        row = result.row;
        vm = result.vm;
        if (vm === undefined) vmConfig = "";
      } catch (error) {
        row = baseRow(point, ready, session);
        row.status = "failed";
        row.migration_time_seconds = Math.round((nowSeconds() - started) * 1000) / 1000;
        row.message = `collector: ${(error as Error).message}`.slice(0, 500);
        await stopVm(vm);
        vm = undefined;
        vmConfig = "";
      }
      if (interrupted) {
        await new Promise(() => {}); // the signal handler exits the process
      }
      rows.push(row);
      await writeTextAtomic(csvPath, formatRunsCsv(rows, RUN_COLUMNS));
      ran++;
      statuses[String(row.status)] = (statuses[String(row.status)] ?? 0) + 1;
      await writeMeta();
      const elapsed = nowSeconds() - t0;
      const per = elapsed / ran;
      const left = (todo.length - index - 1) * per;
      log(
        `collect: [${
          index + 1
        }/${todo.length}] ${point.method} ${point.contention} wss=${cfg.wssArg}MiB d=${cfg.rate} run=${point.run}${
          point.downtimeLimitSeconds === undefined ? "" : ` limit=${point.downtimeLimitSeconds}s`
        }: ${row.status} ${row.migration_time_seconds} s` +
          ` | point ${(nowSeconds() - started).toFixed(0)} s, elapsed ${
            (elapsed / 60).toFixed(1)
          } min, ETA ${(left / 60).toFixed(0)} min` +
          (row.message ? ` | ${row.message}` : ""),
      );
    }
    await stopVm(vm);
    return {
      ran,
      skipped,
      statuses,
      accelerator,
      secondsPerPoint: ran > 0 ? (nowSeconds() - t0) / ran : 0,
    };
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
    await cleanupAll();
    globalThis.removeEventListener("unload", cleanupSync);
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}
