import {
  buildGuest,
  cleanupAll,
  cleanupSync,
  createLink,
  kill,
  removeStaleNamespaces,
  run,
  spawn,
} from "./_host.ts";
import { connectQmp, nowSeconds, type QmpClient, type QmpTraceEntry, sleep } from "./_qmp.ts";
import { connectSerial, type Serial } from "./_serial.ts";
import { formatRunsCsv, RUN_COLUMNS } from "./format_runs_csv.ts";
import { parseRunsCsv } from "./parse_runs_csv.ts";
import { pendingPoints } from "./pending_points.ts";
import type { GridPoint, RunRow } from "./types.ts";
import { writeTextAtomic } from "./write_text_atomic.ts";
import { xenStopDecision } from "./xen_stop_decision.ts";

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

interface Vm {
  side: 0 | 1;
  child: Deno.ChildProcess;
  qmp: QmpClient;
  serial: Serial;
  name: string;
}

interface GuestConfig {
  wssArg: string;
  rate: number;
}

const MIB = 1024 * 1024;
const MIGRATION_PORT = 4444;

function num(obj: unknown, ...path: string[]): number | undefined {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === "number" && Number.isFinite(cur) ? cur : undefined;
}

async function gzipLines(path: string, lines: unknown[]): Promise<void> {
  const text = lines.map((line) => JSON.stringify(line)).join("\n") + "\n";
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  const temp = `${path}.tmp`;
  await Deno.writeFile(temp, bytes);
  await Deno.rename(temp, path);
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
  let rows: RunRow[] = [];
  try {
    rows = parseRunsCsv(await Deno.readTextFile(csvPath));
    // Rows written before the dirty_rate_source column carried the guest's rate.
    for (const row of rows) {
      if (row.dirty_rate_source === undefined) {
        row.dirty_rate_source = row.dirty_pages_per_second === "" ? "" : "guest";
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  let meta: Record<string, unknown> = {};
  try {
    meta = JSON.parse(await Deno.readTextFile(metaPath));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const setup = meta.setup as Record<string, unknown> | undefined;
  if (setup !== undefined) {
    for (
      const [key, value] of [
        ["vm_memory_bytes", memoryBytes],
        ["link_rate_bits_per_second", linkBitsPerSecond],
        ["downtime_limit_seconds", downtimeLimitSeconds],
        ["fill", fill],
      ] as const
    ) {
      if (setup[key] !== value) {
        throw new RangeError(
          `collect: invalid option for "${outDir}", expected ${key} ${
            setup[key]
          } as in its metadata (got ${value})`,
        );
      }
    }
  }
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
    let counter = 0;
    const startVm = async (
      side: 0 | 1,
      cfg: GuestConfig,
      incoming: boolean,
      accelName: string,
      mib = memoryMib,
    ): Promise<Vm> => {
      const id = `vm${++counter}-${side}`;
      const qmpPath = `${work}/${id}.qmp`;
      const serialPath = `${work}/${id}.serial`;
      const append =
        `console=ttyS0 quiet loglevel=1 panic=1 lm_wss=${cfg.wssArg} lm_rate=${cfg.rate} lm_fill=${
          fill ? 1 : 0
        }`;
      const cmd = [
        "ip",
        "netns",
        "exec",
        link.ns[side],
        "nice",
        "-n",
        String(niceness),
        "qemu-system-x86_64",
        "-accel",
        accelName,
        "-m",
        String(mib),
        "-smp",
        "1",
        "-nodefaults",
        "-display",
        "none",
        "-no-reboot",
        "-kernel",
        guest.kernel,
        "-initrd",
        guest.initrd,
        "-append",
        append,
        "-chardev",
        `socket,id=ser0,path=${serialPath},server=on,wait=off`,
        "-serial",
        "chardev:ser0",
        "-qmp",
        `unix:${qmpPath},server=on,wait=off`,
        ...(incoming ? ["-incoming", "defer"] : []),
      ];
      const child = spawn(cmd, `${work}/${id}.qemu.log`);
      const serial = await connectSerial(serialPath, `${work}/${id}.console.log`);
      const qmp = await connectQmp(qmpPath, id);
      return { side, child, qmp, serial, name: id };
    };
    const stopVm = async (vm: Vm | undefined) => {
      if (vm === undefined) return;
      try {
        if (!vm.qmp.closed()) await Promise.race([vm.qmp.execute("quit"), sleep(2000)]);
      } catch { /* exiting */ }
      vm.qmp.close();
      vm.serial.close();
      await kill(vm.child);
    };

    if (accelerator === "") {
      log("collect: trying KVM (20 s boot timeout)");
      let vm: Vm | undefined;
      try {
        vm = await startVm(0, { wssArg: "0", rate: 0 }, false, "kvm", 256);
        const ok = await vm.serial.waitFor(/^BOOTED/, 20);
        accelerator = ok ? "kvm" : "tcg";
      } catch {
        accelerator = "tcg";
      } finally {
        await stopVm(vm);
      }
      log(`collect: accelerator ${accelerator}`);
    }

    const hostCpu =
      (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ?? "";
    const hostKernel = (await run(["uname", "-sr"])).trim();
    const writeMeta = async () => {
      const sessions = (meta.sessions as unknown[] | undefined) ?? [];
      const counts: Record<string, number> = {};
      for (const row of rows) counts[String(row.status)] = (counts[String(row.status)] ?? 0) + 1;
      const session = {
        started: sessionStart,
        updated: new Date().toISOString(),
        command_line: commandLine.join(" "),
        accelerator,
        qemu_version: qemuVersion,
        host_cpu: hostCpu,
        host_cpus: navigator.hardwareConcurrency,
        host_kernel: hostKernel,
        host_load: hostLoadNote,
        points_run: ran,
      };
      const previous = sessions.filter((s) => (s as { started?: string }).started !== sessionStart);
      meta = {
        name,
        description:
          "Real QEMU live migrations on one host: source and destination QEMU in two network namespaces joined by a veth pair shaped with tc tbf; one row per migration in the run schema.",
        measured: true,
        synthetic: false,
        host_cpu: hostCpu,
        link: `${
          linkBitsPerSecond / 1e9
        } Gbit/s: veth pair between two network namespaces on one host, tc tbf on both ends`,
        guest:
          `${memoryMib} MiB, 1 vCPU, ${accelerator.toUpperCase()}, Debian kernel ${guest.kernelRelease}, busybox initramfs + C dirtier`,
        date: `${
          String((sessions[0] as { started?: string } | undefined)?.started ?? sessionStart).slice(
            0,
            10,
          )
        } to ${new Date().toISOString().slice(0, 10)}`,
        measured_by: "deno task collect (src/collect/ of this toolkit)",
        source: "measured on the project's build machine; see sessions",
        hypervisor: "QEMU",
        hypervisor_version: qemuVersion,
        accelerator,
        memory_meaning:
          "memory_bytes is the VM's configured RAM; with fill=true the guest's free memory holds non-zero data, so QEMU sends nearly all of it as normal pages (see ram_total_bytes, zero_pages, normal_pages per row)",
        setup: {
          vm_memory_bytes: memoryBytes,
          vcpus: 1,
          link_rate_bits_per_second: linkBitsPerSecond,
          link: `veth pair between two network namespaces, ${link.tcCommand} on both ends`,
          qemu_max_bandwidth: "unlimited (1e11 B/s): the shaped link limits",
          downtime_limit_seconds: downtimeLimitSeconds,
          timeout_seconds: timeoutSeconds,
          hard_timeout_seconds: hardTimeoutSeconds,
          fill,
          postcopy_switch: postcopySwitch,
          niceness,
          poll_interval_seconds: 0.2,
          guest_kernel: `${guest.kernelRelease} (Debian linux-image-amd64, from /boot)`,
          guest_userland:
            "busybox-static initramfs + src/collect/guest/dirtier.c compiled with gcc -O2 -static",
          compiler: guest.compiler,
        },
        methods: {
          "kvm-precopy":
            "QEMU pre-copy with the downtime limit above; cancelled at timeout_seconds and recorded non-convergent",
          "kvm-postcopy": postcopySwitch === "immediate"
            ? "QEMU post-copy (postcopy-ram) switched at once: migrate-start-postcopy right after migrate, as in the paper's model T = M/B; postcopy_switched says whether QEMU entered postcopy-active"
            : "QEMU post-copy (postcopy-ram); migrate-start-postcopy when ram.dirty-sync-count reaches 2 (after the first pre-copy pass); postcopy_switched says whether it took effect before pre-copy completed",
          "xen-precopy-policy":
            "QEMU pre-copy driven by Xen's stop rules (not Xen): downtime limit 1 ms so QEMU keeps iterating, query-migrate polled every 0.2 s, and when dirty-sync-count >= 30, transferred > 3 x ram.total, or remaining < 50 pages the downtime limit is raised to 2000 s so QEMU stops and copies at once (xen_stop_reason)",
        },
        contention: {
          none: "no other load from the collector",
          cpu:
            "a busy loop (sh while-true) pinned with the source QEMU (all threads) to CPU 0, same niceness",
          network:
            "iperf3 TCP bulk transfer from the source namespace to the destination over the same shaped link, same direction, started 2 s before the migration",
          memory:
            "a second dirtier process on the source side (host process, not a guest): WSS = the VM's memory, 51200 pages/s, started 2 s before the migration",
        },
        columns: {
          dirty_pages_per_second:
            "the rate the guest's dirtier achieved during the migration (its own 1 s reports), pages/s",
          requested_dirty_pages_per_second: "the rate asked for",
          wss_bytes:
            "the working set the dirtier allocated (requested_wss 'full' = all memory left after a 40 MiB margin)",
          downtime_seconds:
            "guest pause from QMP events: source STOP to destination RESUME (downtime_source 'events'); QMP's own downtime is qmp_downtime_seconds",
          migration_time_seconds: "QMP total-time of the source",
          throughput_bytes_per_second: "transferred_bytes / migration_time_seconds",
          verify:
            "the dirtier's check after migration: filler checksum (8 words per page) and every working-set page holding its last written sequence number; a failed check is status corrupt",
          trace_file:
            "traces/<file>.qmp.jsonl.gz: one line per query-migrate poll of the source {t_monotonic, t_since_run_start, query_migrate}, last line the destination's reply; <file>.events.jsonl.gz: every other QMP command, reply and event of both QEMUs and the guest's console lines during the run",
        },
        other_load:
          "The 2-core machine ran other (niced, nice 19) work during collection: tests and builds of other developers. QEMU ran at nice -10, but TCG is CPU-bound, so times are noisier than on a dedicated host.",
        sessions: [...previous, session],
        row_counts: counts,
      };
      await writeTextAtomic(metaPath, JSON.stringify(meta, null, 2) + "\n");
    };
    await writeMeta();
    // The toolkit's loader finds `runs.meta.json` beside `runs.csv`: point it at the metadata.
    if (name !== "runs") {
      try {
        await Deno.lstat(`${outDir}/runs.meta.json`);
      } catch {
        await Deno.symlink(`${name}.meta.json`, `${outDir}/runs.meta.json`);
      }
    }

    const baseRow = (point: GridPoint, readyInfo: Record<string, number>): RunRow => {
      const downtimeLimit = point.method === "xen-precopy-policy" ? 0.001 : downtimeLimitSeconds;
      return {
        method: point.method,
        contention: point.contention,
        memory_bytes: memoryBytes,
        // Required cells are never empty: until the guest reports, the requested values stand
        // in, flagged by dirty_rate_source (failed rows only; see the metadata).
        wss_bytes: readyInfo.wss_bytes ?? point.wss,
        dirty_pages_per_second: point.dirtyPagesPerSecond,
        dirty_rate_source: "requested",
        page_bytes: 4096,
        link_bandwidth_bytes_per_second: linkBitsPerSecond / 8,
        status: "failed",
        run: point.run,
        requested_wss: String(point.wss),
        requested_dirty_pages_per_second: point.dirtyPagesPerSecond,
        downtime_limit_seconds: downtimeLimit,
        accelerator,
        filler_bytes: readyInfo.filler_bytes ?? "",
        postcopy_switch: point.method === "kvm-postcopy" ? postcopySwitch : "",
        timeout_seconds: point.method === "kvm-precopy" ? timeoutSeconds : hardTimeoutSeconds,
        started_at: new Date().toISOString(),
      };
    };

    const startContention = async (point: GridPoint, src: Vm): Promise<() => Promise<void>> => {
      const ns = link.ns[src.side];
      const peer = link.addr[src.side === 0 ? 1 : 0];
      const nice = ["nice", "-n", String(niceness)];
      if (point.contention === "cpu") {
        const busy = spawn([
          "ip",
          "netns",
          "exec",
          ns,
          ...nice,
          "taskset",
          "-c",
          "0",
          "sh",
          "-c",
          "while :; do :; done",
        ]);
        await run(["taskset", "-a", "-p", "-c", "0", String(src.child.pid)]);
        await sleep(1000);
        return async () => {
          await kill(busy);
          await run([
            "taskset",
            "-a",
            "-p",
            "-c",
            `0-${navigator.hardwareConcurrency - 1}`,
            String(src.child.pid),
          ], {
            allowFail: true,
          });
        };
      }
      if (point.contention === "network") {
        const client = spawn(
          [
            "ip",
            "netns",
            "exec",
            ns,
            ...nice,
            "iperf3",
            "-c",
            peer,
            "-p",
            "5201",
            "-t",
            "3600",
            "-i",
            "5",
          ],
          `${work}/iperf3-client.log`,
        );
        await sleep(2000);
        return async () => {
          await kill(client);
          await sleep(500);
        };
      }
      if (point.contention === "memory") {
        const logPath = `${work}/memory-dirtier-${Date.now()}.log`;
        const dirtier = spawn([
          "ip",
          "netns",
          "exec",
          ns,
          ...nice,
          guest.hostDirtier,
          String(memoryMib),
          "51200",
          "0",
        ], logPath);
        const end = nowSeconds() + 60;
        while (nowSeconds() < end) {
          const text = await Deno.readTextFile(logPath).catch(() => "");
          if (/READY/.test(text)) break;
          if (/ERROR/.test(text)) throw new Error(`memory contention dirtier: ${text.trim()}`);
          await sleep(200);
        }
        await sleep(2000);
        return async () => {
          await kill(dirtier);
        };
      }
      return async () => {};
    };

    const migrateOnce = async (
      point: GridPoint,
      src: Vm,
      readyInfo: Record<string, number>,
    ): Promise<{ row: RunRow; vm: Vm | undefined }> => {
      const dstSide: 0 | 1 = src.side === 0 ? 1 : 0;
      const dst = await startVm(
        dstSide,
        { wssArg: vmConfig.split("|")[0]!, rate: point.dirtyPagesPerSecond },
        true,
        accelerator,
      );
      try {
        return await migrateTo(point, src, dst, readyInfo);
      } catch (error) {
        // The caller records the failure and stops the source; the destination goes here.
        await stopVm(dst);
        throw error;
      }
    };

    const migrateTo = async (
      point: GridPoint,
      src: Vm,
      dst: Vm,
      readyInfo: Record<string, number>,
    ): Promise<{ row: RunRow; vm: Vm | undefined }> => {
      const row = baseRow(point, readyInfo);
      const dstSide = dst.side;
      const trace: QmpTraceEntry[] = [];
      src.qmp.trace = trace;
      dst.qmp.trace = trace;
      const srcEvents0 = src.qmp.events.length;
      const postcopy = point.method === "kvm-postcopy";
      const xen = point.method === "xen-precopy-policy";
      const caps = (on: boolean) => [
        { capability: "events", state: true },
        { capability: "postcopy-ram", state: on },
      ];
      await dst.qmp.execute("migrate-set-capabilities", {
        capabilities: [
          ...caps(postcopy),
          ...(postcopy ? [{ capability: "postcopy-blocktime", state: true }] : []),
        ],
      });
      await src.qmp.execute("migrate-set-capabilities", { capabilities: caps(postcopy) });
      const uri = `tcp:${link.addr[dstSide]}:${MIGRATION_PORT}`;
      await dst.qmp.execute("migrate-incoming", { uri });
      const limitMs = Math.round(Number(row.downtime_limit_seconds) * 1000);
      await src.qmp.execute("migrate-set-parameters", {
        "downtime-limit": limitMs,
        "max-bandwidth": 1e11,
      });
      const stopContention = await startContention(point, src);
      const samples: unknown[] = [];
      const serialFrom = nowSeconds() - 3;
      const tStart = nowSeconds();
      const tMono0 = performance.now() / 1000;
      let status = "";
      let last: Record<string, unknown> = {};
      // A cancelled or failed migration's final reply has no statistics: use the last that had.
      let lastWithRam: Record<string, unknown> = {};
      let switchedRequested = false;
      let sawPostcopy = false;
      let xenReason = "";
      let outcome: "completed" | "non-convergent" | "failed" = "failed";
      let message = "";
      let guestLost = false;
      let tEnd = tStart;
      try {
        await src.qmp.execute("migrate", { uri });
        if (postcopy && postcopySwitch === "immediate") {
          switchedRequested = true;
          await src.qmp.execute("migrate-start-postcopy").catch((e) => {
            message = `migrate-start-postcopy: ${(e as Error).message}`;
          });
        }
        let cancelled = false;
        let cancelledAt = 0;
        while (true) {
          await sleep(200);
          if (src.qmp.closed()) {
            message = "source QEMU exited during migration";
            guestLost = true;
            break;
          }
          let reply: Record<string, unknown>;
          try {
            reply = (await src.qmp.execute("query-migrate")) as Record<string, unknown>;
          } catch (error) {
            message = `query-migrate failed: ${(error as Error).message}`;
            guestLost = true;
            break;
          }
          const tm = performance.now() / 1000;
          samples.push({ t_monotonic: tm, t_since_run_start: tm - tMono0, query_migrate: reply });
          last = reply;
          if (typeof reply.ram === "object" && reply.ram !== null) lastWithRam = reply;
          status = String(reply.status ?? "");
          const elapsed = nowSeconds() - tStart;
          if (status === "postcopy-active") sawPostcopy = true;
          if (status === "completed") {
            outcome = "completed";
            break;
          }
          if (status === "failed" || status === "cancelled") {
            outcome = cancelled ? "non-convergent" : "failed";
            if (!cancelled) message = `QEMU status ${status}: ${String(reply["error-desc"] ?? "")}`;
            if (sawPostcopy) guestLost = true;
            break;
          }
          if (postcopy && !switchedRequested && status === "active") {
            const rounds = num(reply, "ram", "dirty-sync-count") ?? 0;
            if (postcopySwitch === "immediate" || rounds >= 2) {
              switchedRequested = true;
              await src.qmp.execute("migrate-start-postcopy").catch((e) => {
                message = `migrate-start-postcopy: ${(e as Error).message}`;
              });
            }
          }
          if (xen && xenReason === "" && status === "active") {
            const reason = xenStopDecision(reply);
            if (reason !== undefined) {
              xenReason = reason;
              await src.qmp.execute("migrate-set-parameters", { "downtime-limit": 2000000 });
            }
          }
          if (
            !cancelled && status === "active" && point.method === "kvm-precopy" &&
            elapsed > timeoutSeconds
          ) {
            cancelled = true;
            cancelledAt = elapsed;
            const remaining = num(reply, "ram", "remaining");
            message = `did not converge within ${timeoutSeconds} s (${
              remaining ?? "?"
            } bytes remaining); cancelled`;
            await src.qmp.execute("migrate_cancel");
          } else if (elapsed > hardTimeoutSeconds && !cancelled) {
            message = `hard timeout ${hardTimeoutSeconds} s in status ${status}`;
            if (status === "active") {
              cancelled = true;
              cancelledAt = elapsed;
              await src.qmp.execute("migrate_cancel");
            } else {
              guestLost = true;
              break;
            }
          }
          if (cancelled && elapsed > cancelledAt + 60) {
            message += "; cancel did not finish";
            guestLost = true;
            break;
          }
        }
        tEnd = nowSeconds();
      } finally {
        await stopContention();
      }
      if (outcome === "non-convergent" && message.startsWith("hard timeout")) outcome = "failed";

      if (last.ram === undefined) last = lastWithRam;
      const ram = (last.ram ?? {}) as Record<string, unknown>;
      const totalMs = num(last, "total-time");
      row.migration_time_seconds = totalMs !== undefined
        ? totalMs / 1000
        : Math.round((tEnd - tStart) * 1000) / 1000;
      const transferred = num(ram, "transferred");
      if (transferred !== undefined) row.transferred_bytes = transferred;
      const rounds = num(ram, "dirty-sync-count");
      if (rounds !== undefined) row.iterations = rounds;
      const total = num(ram, "total");
      if (total !== undefined) row.ram_total_bytes = total;
      const dup = num(ram, "duplicate");
      if (dup !== undefined) row.zero_pages = dup;
      const normal = num(ram, "normal");
      if (normal !== undefined) row.normal_pages = normal;
      if (transferred !== undefined && Number(row.migration_time_seconds) > 0) {
        row.throughput_bytes_per_second = Math.round(
          transferred / Number(row.migration_time_seconds),
        );
      }
      const setupMs = num(last, "setup-time");
      if (setupMs !== undefined) row.setup_time_seconds = setupMs / 1000;
      const qmpDowntime = num(last, "downtime");
      if (qmpDowntime !== undefined) row.qmp_downtime_seconds = qmpDowntime / 1000;
      if (postcopy) row.postcopy_switched = sawPostcopy;
      if (xen) row.xen_stop_reason = xenReason || (outcome === "completed" ? "qemu-1ms-limit" : "");

      // The guest's achieved dirty rate over the run, from its 1 s reports on both consoles.
      const rates = [...src.serial.lines, ...dst.serial.lines]
        .filter((l) => l.t >= serialFrom && l.t <= tEnd + 1 && l.text.startsWith("RATE "))
        .map((l) => {
          const m = /t=([\d.]+) pages=(\d+)/.exec(l.text);
          return m ? { t: Number(m[1]), pages: Number(m[2]) } : undefined;
        })
        .filter((x): x is { t: number; pages: number } => x !== undefined)
        .sort((a, b) => a.t - b.t);
      if (rates.length >= 2) {
        const a = rates[0]!;
        const b = rates.at(-1)!;
        row.dirty_pages_per_second = Math.round(((b.pages - a.pages) / (b.t - a.t)) * 10) / 10;
        row.dirty_rate_source = "guest";
      }

      let keep: Vm | undefined = src;
      if (outcome === "completed") {
        const stop = src.qmp.events.slice(srcEvents0).filter((e) => e.event === "STOP").at(-1);
        const resumeDeadline = nowSeconds() + 30;
        let resume = dst.qmp.events.find((e) => e.event === "RESUME");
        while (resume === undefined && nowSeconds() < resumeDeadline && !dst.qmp.closed()) {
          await sleep(100);
          resume = dst.qmp.events.find((e) => e.event === "RESUME");
        }
        if (
          stop && resume && Number.isFinite(stop.timestampSeconds) &&
          Number.isFinite(resume.timestampSeconds)
        ) {
          row.downtime_seconds =
            Math.round((resume.timestampSeconds - stop.timestampSeconds) * 1e6) / 1e6;
          row.downtime_source = "events";
        } else if (qmpDowntime !== undefined) {
          row.downtime_seconds = qmpDowntime / 1000;
          row.downtime_source = "qmp";
        }
        try {
          const dstReply = await dst.qmp.execute("query-migrate");
          const tm = performance.now() / 1000;
          samples.push({
            t_monotonic: tm,
            t_since_run_start: tm - tMono0,
            query_migrate: dstReply,
          });
        } catch { /* destination gone: verify below fails */ }
        const asked = nowSeconds();
        await dst.serial.write("v\n").catch(() => {});
        const answer = await dst.serial.waitFor(/^VERIFY /, 120, asked - 0.001);
        if (answer === undefined) {
          row.status = "corrupt";
          row.verify = dst.qmp.closed() ? "destination QEMU exited" : "no answer within 120 s";
          row.message = `guest did not answer the check after migration (${row.verify})`;
          guestLost = true;
        } else if (/^VERIFY ok/.test(answer.text)) {
          row.status = "completed";
          row.verify = answer.text.replace(/^VERIFY /, "");
        } else {
          row.status = "corrupt";
          row.verify = answer.text.replace(/^VERIFY /, "");
          row.message = "memory check failed after migration";
          guestLost = true;
        }
        await stopVm(src);
        keep = guestLost ? undefined : dst;
        if (guestLost) await stopVm(dst);
      } else {
        row.status = outcome;
        row.message = message;
        await stopVm(dst);
        if (guestLost) {
          await stopVm(src);
          keep = undefined;
        } else {
          // The source must be running again after a cancel.
          try {
            const st = (await src.qmp.execute("query-status")) as { status?: string };
            if (st.status !== "running") {
              await src.qmp.execute("cont").catch(() => {});
            }
          } catch {
            keep = undefined;
          }
        }
      }
      if (message && row.message === undefined) row.message = message;

      const stamp = `${point.method}_${point.contention}_w${
        String(point.wss).replace(/^(\d+)$/, (_m, b) => String(Number(b) / MIB))
      }_d${point.dirtyPagesPerSecond}_r${point.run}`;
      const traceFile = `${stamp}.qmp.jsonl.gz`;
      row.trace_file = traceFile;
      const consoleLines = [...src.serial.lines, ...dst.serial.lines]
        .filter((l) => l.t >= serialFrom && l.t <= nowSeconds())
        .map((l) => ({ t: l.t, side: "guest", dir: "console", msg: l.text }));
      await gzipLines(`${outDir}/traces/${traceFile}`, samples);
      await gzipLines(
        `${outDir}/traces/${stamp}.events.jsonl.gz`,
        [...trace, ...consoleLines].sort((a, b) => a.t - b.t),
      );
      src.qmp.trace = [];
      dst.qmp.trace = [];
      return { row, vm: keep };
    };
    let vm: Vm | undefined;
    let vmConfig = "";
    let vmReady: Record<string, number> = {};
    for (const [index, point] of todo.entries()) {
      const cfg: GuestConfig = {
        wssArg: point.wss === "full" ? "full" : String(point.wss / MIB),
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
          vm = await startVm(0, cfg, false, accelerator);
          vmConfig = cfgKey;
          const line = await vm.serial.waitFor(/^(READY|ERROR)/, 300);
          if (line === undefined || line.text.startsWith("ERROR")) {
            throw new Error(`guest did not get ready: ${line?.text ?? "no READY within 300 s"}`);
          }
          for (const m of line.text.matchAll(/(\w+)=([0-9a-f]+)/g)) {
            ready[m[1]!] = m[1] === "filler_sum" ? 0 : Number(m[2]);
          }
          vmReady = ready;
          await sleep(3000);
        }
        ready = vmReady;
        const result = await migrateOnce(point, vm, ready);
        row = result.row;
        vm = result.vm;
        if (vm === undefined) vmConfig = "";
      } catch (error) {
        row = baseRow(point, ready);
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
        }/${todo.length}] ${point.method} ${point.contention} wss=${cfg.wssArg}MiB d=${cfg.rate} run=${point.run}: ${row.status} ${row.migration_time_seconds} s` +
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
