// Private, pure: the dataset's `<name>.meta.json`, rebuilt after every point
// from the settings, the host facts and the sessions so far.

import { bytesToMib } from "../units.ts";
import { type SittingDisturbance, sittingDisturbance } from "./_disturbance.ts";
import type { Guest } from "./_host.ts";
import type { ObserveSettings } from "./_observe.ts";
import type { RunSettings } from "./_run_row.ts";
import type { RunRow } from "./types.ts";

/** One sitting of the collector, as the metadata lists it. */
export interface CollectSession {
  /** When the sitting began (ISO 8601); it identifies the sitting. */
  started: string;
  /** When its last row was written. */
  updated: string;
  /** The command line. */
  command_line: string;
  /** "kvm" or "tcg". */
  accelerator: string;
  /** `qemu-system-x86_64 --version`, first line. */
  qemu_version: string;
  /** /proc/cpuinfo model name. */
  host_cpu: string;
  /** Logical CPUs. */
  host_cpus: number;
  /** `uname -sr`. */
  host_kernel: string;
  /** The user's note on other load. */
  host_load: string;
  /** The host's 1-minute load average when the sitting started (`/proc/loadavg`); absent in older sittings. */
  host_load_average_at_start?: number;
  /** Points run in this sitting. */
  points_run: number;
  /**
   * How disturbed its runs were, from their disturbance columns (see `sittingDisturbance`);
   * rewritten with the metadata after every point, absent in older sittings.
   */
  disturbance?: SittingDisturbance;
}

/** What {@linkcode datasetMetadata} needs besides the run settings. */
export interface MetadataInput extends RunSettings, ObserveSettings {
  /** The dataset's name (its directory). */
  name: string;
  /** The guest build. */
  guest: Pick<Guest, "kernelRelease" | "compiler">;
  /** The tc command on each veth end. */
  tcCommand: string;
  /** Fill setting. */
  fill: boolean;
  /** Niceness of QEMU and loads. */
  niceness: number;
  /** The metadata as it was (its `sessions` are kept), or `{}`. */
  previous: Record<string, unknown>;
  /** This sitting; it replaces an earlier entry with the same `started`. */
  session: CollectSession;
  /** All rows of the dataset, to count by status. */
  rows: readonly RunRow[];
  /** Today (the end of the date range). */
  now: Date;
  /** The limits of this sitting's downtime limit sweep, seconds (empty: no sweep); the metadata lists these and those of the rows. */
  downtimeLimitsSeconds?: readonly number[];
  /** Another testbed's words (the concurrent mode's topology) for these fields. */
  notes?: MetadataNotes;
}

/** Text fields of the metadata that another testbed words differently. */
export interface MetadataNotes {
  /** The dataset's description. */
  description: string;
  /** The link, in `link` and `setup.link`. */
  link: string;
  /** What `memory_bytes` means. */
  memoryMeaning: string;
}

/** What the columns that need a word mean, in the metadata's `columns`. */
const COLUMN_NOTES: Readonly<Record<string, string>> = {
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
  guest_progress_ratio:
    "the migrating guest's pages written during the migration [0, migration_time_seconds] divided by what it writes in that time at its rate over the baseline_seconds before migrate (same contention running); 1 = no slowdown; includes the pause; empty when the guest writes nothing (WSS 0) or the trace does not cover the window",
  guest_lost_seconds:
    "the work the migrating guest lost, in seconds of its baseline progress: migration_time_seconds x (1 - guest_progress_ratio)",
  colocated_progress_ratio:
    "the same ratio for the contention load: CPU hog iterations, iperf3 bytes or host dirtier pages; empty under contention none",
  postcopy_blocktime_seconds:
    "post-copy: the destination's postcopy-blocktime (query-migrate after completion, capability postcopy-blocktime on the destination): time the vCPUs were blocked on missing pages, QEMU's overlap-aware total",
  postcopy_vcpu_blocktime_seconds: "post-copy: postcopy-vcpu-blocktime per vCPU, joined by ';'",
  source_migration_cpu_seconds:
    "CPU seconds (utime + stime from /proc/<pid>/task/<tid>/stat, interpolated to the window [0, migration_time_seconds]) of the source QEMU's main loop thread (tid = pid) and its migration threads (names mig/*, live_migration, return path, multifd*): the migration's own CPU work, not the vCPU",
  destination_migration_cpu_seconds:
    "the same for the destination QEMU (its main loop loads the incoming stream; mig/dst/listen and mig/dst/fault serve post-copy)",
  write_pattern:
    "the guest dirtier's write pattern: sweep (round-robin over the WSS) or random (uniformly random page per write); empty on rows written before the option (sweep)",
  host_cpu:
    "the host's CPU model (/proc/cpuinfo); empty on rows written before the column (see sessions)",
  source_migration_run_delay_seconds:
    "seconds the source QEMU's main loop thread (tid = pid) and migration threads (as source_migration_cpu_seconds) spent runnable but waiting for a CPU during [0, migration_time_seconds]: the run delay, second field of /proc/<pid>/task/<tid>/schedstat (ns), sampled with the CPU times and interpolated to the window; the standard measure of CPU contention from outside. Divided by migration_time_seconds it is the share of the migration the sender was held up; empty on rows written before the column",
  source_vcpu_run_delay_seconds:
    "the same for the source QEMU's vCPU threads (CPU n/TCG or CPU n/KVM): how long the guest waited for a CPU; under contention cpu the load shares the vCPU's core by design",
  host_other_cpu_seconds:
    "host CPU seconds during [0, migration_time_seconds], all CPUs (/proc/stat user + nice + system + irq + softirq + steal), not used by any thread of the two QEMUs or the contention load, nor by the collector and the link's iperf3 servers: other work on the host; 10 Hz sampling can make it slightly negative; empty on rows written before the column",
  host_load_average:
    "the host's 1-minute load average (/proc/loadavg) at the last CPU sample before migrate, dimensionless; a slow average (the kernel's 5 s updates, 1 min decay), for context beside the run delays",
  trace_file:
    "traces/<file>.qmp.jsonl.gz: one line per query-migrate poll of the source {t_monotonic, t_since_run_start, query_migrate}, last line the destination's reply; <file>.events.jsonl.gz: every other QMP command, reply and event of both QEMUs and the guest's console lines during the run; <file>.progress.jsonl.gz (rows with the noise columns): the run line {source: run, end_seconds, baseline_seconds, clock_ticks_per_second, write_pattern, contention}, then, sorted by t_since_run_start (seconds since migrate, negative in the baseline), progress lines {source: guest|colocated, count, unit: pages|iterations|bytes, from, t_own}, CPU lines {source: cpu, process: source-qemu|destination-qemu|contention, pid, threads: [[tid, comm, utime+stime ticks, run delay ns (source-qemu, rows with the disturbance columns)], ...]} and, on rows with the disturbance columns, host lines {source: host, load_average, cpu_busy_ticks, cpu_total_ticks, apparatus_ticks (the collector and the iperf3 servers)} at the same 10 Hz",
};

/** The dataset's metadata: setup, what each method and contention means, column notes, sittings. */
export function datasetMetadata(input: MetadataInput): Record<string, unknown> {
  const { name, guest, session, rows, postcopySwitch, fill } = input;
  const linkBitsPerSecond = input.linkBandwidthBytesPerSecond * 8;
  // Every limit a sweep of this dataset ran, over all its sittings (each may sweep its own).
  const sweep = input.downtimeLimitsSeconds?.length
    ? [
      ...new Set([
        ...input.downtimeLimitsSeconds,
        ...rows.flatMap((row) =>
          row.method === "kvm-precopy" && row.downtime_limit_seconds !== ""
            ? [Number(row.downtime_limit_seconds)]
            : []
        ),
      ]),
    ].filter(Number.isFinite).sort((a, b) => a - b)
    : [];
  const memoryMib = bytesToMib(input.memoryBytes);
  const earlier = ((input.previous.sessions as CollectSession[] | undefined) ?? [])
    .filter((s) => s.started !== session.started);
  const sessions = [...earlier, {
    ...session,
    disturbance: sittingDisturbance(rows, session.started),
  }];
  const counts: Record<string, number> = {};
  for (const row of rows) counts[String(row.status)] = (counts[String(row.status)] ?? 0) + 1;
  return {
    name,
    description: input.notes?.description ??
      "Real QEMU live migrations on one host: source and destination QEMU in two network namespaces joined by a veth pair shaped with tc tbf; one row per migration in the run schema.",
    measured: true,
    synthetic: false,
    license: "CC-BY-4.0",
    // Sittings may run on different machines: name every CPU (rows map to sittings by started_at).
    host_cpu: [...new Set(sessions.map((s) => s.host_cpu))].join(" + "),
    link: input.notes?.link ??
      `${
        linkBitsPerSecond / 1e9
      } Gbit/s: veth pair between two network namespaces on one host, tc tbf on both ends`,
    guest:
      `${memoryMib} MiB, 1 vCPU, ${session.accelerator.toUpperCase()}, Debian kernel ${guest.kernelRelease}, busybox initramfs + C dirtier`,
    date: `${sessions[0]!.started.slice(0, 10)} to ${input.now.toISOString().slice(0, 10)}`,
    measured_by: "deno task collect (src/collect/ of this toolkit)",
    source: "measured on the project's build machine; see sessions",
    hypervisor: "QEMU",
    hypervisor_version: session.qemu_version,
    accelerator: session.accelerator,
    memory_meaning: input.notes?.memoryMeaning ??
      "memory_bytes is the VM's configured RAM; with fill=true the guest's free memory holds non-zero data, so QEMU sends nearly all of it as normal pages (see ram_total_bytes, zero_pages, normal_pages per row)",
    setup: {
      vm_memory_bytes: input.memoryBytes,
      vcpus: 1,
      link_rate_bits_per_second: linkBitsPerSecond,
      link: input.notes?.link ??
        `veth pair between two network namespaces, ${input.tcCommand} on both ends`,
      qemu_max_bandwidth: "unlimited (1e11 B/s): the shaped link limits",
      downtime_limit_seconds: input.downtimeLimitSeconds,
      ...(sweep.length > 0 ? { downtime_limits_seconds: sweep } : {}),
      timeout_seconds: input.timeoutSeconds,
      hard_timeout_seconds: input.hardTimeoutSeconds,
      fill,
      postcopy_switch: postcopySwitch,
      niceness: input.niceness,
      poll_interval_seconds: 0.2,
      baseline_seconds: input.baselineSeconds,
      after_seconds: input.afterSeconds,
      cpu_sample_interval_seconds: input.cpuIntervalSeconds,
      progress_report_interval_seconds: 0.1,
      clock_ticks_per_second: input.clockTicksPerSecond,
      guest_kernel: `${guest.kernelRelease} (Debian linux-image-amd64, from /boot)`,
      guest_userland:
        "busybox-static initramfs + src/collect/guest/dirtier.c compiled with gcc -O2 -static",
      compiler: guest.compiler,
    },
    methods: {
      "kvm-precopy": `QEMU pre-copy with ${
        sweep.length > 0
          ? "each downtime limit of downtime_limits_seconds (a sweep: downtime_limit_seconds per row)"
          : "the downtime limit above"
      }; cancelled at timeout_seconds and recorded non-convergent`,
      "kvm-postcopy": postcopySwitch === "immediate"
        ? "QEMU post-copy (postcopy-ram) switched at once: migrate-start-postcopy right after migrate, as in the paper's model T = M/B; postcopy_switched says whether QEMU entered postcopy-active"
        : "QEMU post-copy (postcopy-ram); migrate-start-postcopy when ram.dirty-sync-count reaches 2 (after the first pre-copy pass); postcopy_switched says whether it took effect before pre-copy completed",
      "xen-precopy-policy":
        "QEMU pre-copy driven by Xen's stop rules (not Xen): downtime limit 1 ms so QEMU keeps iterating, query-migrate polled every 0.2 s, and when dirty-sync-count >= 30, transferred > 3 x ram.total, or remaining < 50 pages the downtime limit is raised to 2000 s so QEMU stops and copies at once (xen_stop_reason)",
    },
    contention: {
      none: "no other load from the collector",
      cpu:
        "a busy loop pinned with the source QEMU (all threads) to CPU 0, same niceness: src/collect/guest/cpu_hog.c, which counts its iterations and reports them every 0.1 s (rows without colocated_progress_ratio, from sittings before the progress trace, ran sh -c 'while :; do :; done', the same load without reports)",
      network:
        "iperf3 TCP bulk transfer from the source namespace to the destination over the same shaped link, same direction, started at least 2 s (with the progress trace: baseline_seconds + 2 s) before the migration, reporting every 0.2 s",
      memory:
        "a second dirtier process on the source side (host process, not a guest): WSS = the VM's memory, 51200 pages/s, started at least 2 s (with the progress trace: baseline_seconds + 2 s) before the migration",
    },
    columns: { ...COLUMN_NOTES },
    other_load:
      "Other work on the machine during each sitting is in sessions[].host_load (a note) and, for rows written since the disturbance columns, per run in host_load_average, source_migration_run_delay_seconds, source_vcpu_run_delay_seconds and host_other_cpu_seconds, summarised per sitting in sessions[].disturbance. QEMU ran at the niceness in setup, but TCG is CPU-bound, so times are noisier than on a dedicated host.",
    sessions,
    row_counts: counts,
  };
}
