// Private: the paper's Table 2 contention, started on the source side before a
// migration and stopped after it, with the load's own progress reports.

import { kill, run, spawnLines } from "./_host.ts";
import { nowSeconds, sleep } from "./_qmp.ts";
import type { CollectContention } from "./types.ts";
import type { Testbed, Vm } from "./_vm.ts";

/** One progress report of a load: its own clock and its cumulative work. */
export interface LoadReport {
  /** When the collector received it, seconds (`performance.now`). */
  received: number;
  /** The load's own clock, seconds. */
  own: number;
  /** Work done since it started, in the load's unit. */
  count: number;
}

/** A running contention load. */
export interface Contention {
  /** The load's process id; undefined under `none`. */
  pid: number | undefined;
  /** The unit of its work. */
  unit: "iterations" | "bytes" | "pages";
  /** Its progress reports so far. */
  reports(): LoadReport[];
  /** Stops it. */
  stop(): Promise<void>;
}

const BYTE_UNITS: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/**
 * Parses the load's stdout lines: `P t=<s> iterations=<n>` (the CPU hog),
 * `P t=<s> pages=<n>` (the host dirtier), or iperf3's interval lines
 * (`[  5]   0.00-0.20   sec  2.88 MBytes ...`; iperf3's byte units are
 * binary), summed into cumulative bytes at each interval's end.
 */
export function loadReports(lines: ReadonlyArray<{ t: number; text: string }>): LoadReport[] {
  const reports: LoadReport[] = [];
  let bytes = 0;
  for (const { t, text } of lines) {
    const p = /^P t=([\d.]+) (?:iterations|pages)=(\d+)/.exec(text);
    if (p) {
      reports.push({ received: t, own: Number(p[1]), count: Number(p[2]) });
      continue;
    }
    const i = /^\[\s*\d+\]\s+([\d.]+)-([\d.]+)\s+sec\s+([\d.]+)\s+([KMG]?)Bytes/.exec(text);
    if (i && !/sender|receiver/.test(text)) {
      bytes += Number(i[3]) * BYTE_UNITS[i[4]!]!;
      reports.push({ received: t, own: Number(i[2]), count: Math.round(bytes) });
    }
  }
  return reports;
}

/**
 * Starts `contention` beside the source guest `src` and resolves once it is
 * running.
 *
 * - `cpu`: a busy loop that counts its iterations (guest/cpu_hog.c), pinned with all of the
 *   source QEMU's threads to CPU 0.
 * - `network`: an iperf3 bulk transfer over the shaped link, source to destination, reporting
 *   every 0.2 s.
 * - `memory`: a host dirtier over the VM's memory size at 51200 pages/s.
 */
export async function startContention(
  bed: Testbed,
  contention: CollectContention,
  src: Vm,
): Promise<Contention> {
  if (contention === "none") {
    return { pid: undefined, unit: "iterations", reports: () => [], stop: async () => {} };
  }
  const inSource = [
    "ip",
    "netns",
    "exec",
    bed.link.ns[src.side],
    "nice",
    "-n",
    String(bed.niceness),
  ];
  if (contention === "cpu") {
    const busy = spawnLines([...inSource, "taskset", "-c", "0", bed.guest.cpuHog]);
    await run(["taskset", "-a", "-p", "-c", "0", String(src.child.pid)]);
    await sleep(1000);
    return {
      pid: busy.child.pid,
      unit: "iterations",
      reports: () => loadReports(busy.lines),
      stop: async () => {
        await kill(busy.child);
        const all = `0-${navigator.hardwareConcurrency - 1}`;
        await run(["taskset", "-a", "-p", "-c", all, String(src.child.pid)], { allowFail: true });
      },
    };
  }
  if (contention === "network") {
    const peer = bed.link.addr[src.side === 0 ? 1 : 0];
    // deno-fmt-ignore
    const client = spawnLines([
      ...inSource, "iperf3", "-c", peer, "-p", "5201", "-t", "3600", "-i", "0.2", "--forceflush",
    ]);
    await sleep(2000);
    return {
      pid: client.child.pid,
      unit: "bytes",
      reports: () => loadReports(client.lines),
      stop: async () => {
        await kill(client.child);
        await sleep(500);
      },
    };
  }
  const dirtier = spawnLines([
    ...inSource,
    bed.guest.hostDirtier,
    String(bed.memoryMib),
    "51200",
    "0",
  ]);
  const end = nowSeconds() + 60;
  while (nowSeconds() < end) {
    const text = dirtier.lines.map((l) => l.text).join("\n");
    if (/READY/.test(text)) break;
    if (/ERROR/.test(text)) throw new Error(`memory contention dirtier: ${text.trim()}`);
    await sleep(200);
  }
  await sleep(2000);
  return {
    pid: dirtier.child.pid,
    unit: "pages",
    reports: () => loadReports(dirtier.lines),
    stop: () => kill(dirtier.child),
  };
}
