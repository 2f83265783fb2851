// Private: the paper's Table 2 contention, started on the source side before a
// migration and stopped after it.

import { kill, run, spawn } from "./_host.ts";
import { nowSeconds, sleep } from "./_qmp.ts";
import type { CollectContention } from "./types.ts";
import type { Testbed, Vm } from "./_vm.ts";

/**
 * Starts `contention` beside the source guest `src` and resolves, once it is
 * running, with the function that stops it.
 *
 * - `cpu`: a busy loop pinned with all of the source QEMU's threads to CPU 0.
 * - `network`: an iperf3 bulk transfer over the shaped link, source to destination.
 * - `memory`: a host dirtier over the VM's memory size at 51200 pages/s.
 */
export async function startContention(
  bed: Testbed,
  contention: CollectContention,
  src: Vm,
): Promise<() => Promise<void>> {
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
    const busy = spawn([...inSource, "taskset", "-c", "0", "sh", "-c", "while :; do :; done"]);
    await run(["taskset", "-a", "-p", "-c", "0", String(src.child.pid)]);
    await sleep(1000);
    return async () => {
      await kill(busy);
      const all = `0-${navigator.hardwareConcurrency - 1}`;
      await run(["taskset", "-a", "-p", "-c", all, String(src.child.pid)], { allowFail: true });
    };
  }
  if (contention === "network") {
    const peer = bed.link.addr[src.side === 0 ? 1 : 0];
    const client = spawn(
      [...inSource, "iperf3", "-c", peer, "-p", "5201", "-t", "3600", "-i", "5"],
      `${bed.work}/iperf3-client.log`,
    );
    await sleep(2000);
    return async () => {
      await kill(client);
      await sleep(500);
    };
  }
  if (contention === "memory") {
    const logPath = `${bed.work}/memory-dirtier-${Date.now()}.log`;
    const dirtier = spawn(
      [...inSource, bed.guest.hostDirtier, String(bed.memoryMib), "51200", "0"],
      logPath,
    );
    const end = nowSeconds() + 60;
    while (nowSeconds() < end) {
      const text = await Deno.readTextFile(logPath).catch(() => "");
      if (/READY/.test(text)) break;
      if (/ERROR/.test(text)) throw new Error(`memory contention dirtier: ${text.trim()}`);
      await sleep(200);
    }
    await sleep(2000);
    return () => kill(dirtier);
  }
  return async () => {};
}
