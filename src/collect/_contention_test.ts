import assert from "node:assert/strict";
import { type LoadReport, loadReports, startContention } from "./_contention.ts";
import { cleanupAll, createLink, run, spawn } from "./_host.ts";
import type { Testbed, Vm } from "./_vm.ts";

Deno.test("loadReports() reads the CPU hog's and the dirtier's progress lines", () => {
  const lines = [
    { t: 10.5, text: "P t=1000.100 iterations=0" },
    { t: 10.61, text: "P t=1000.200 iterations=123456" },
    { t: 10.7, text: "READY wss_bytes=8 filler_bytes=0" },
    { t: 10.8, text: "P t=1000.300 pages=5120" },
  ];
  assert.deepEqual(loadReports(lines), [
    { received: 10.5, own: 1000.1, count: 0 },
    { received: 10.61, own: 1000.2, count: 123456 },
    { received: 10.8, own: 1000.3, count: 5120 },
  ]);
});

Deno.test("loadReports() sums iperf3's interval lines into cumulative bytes", () => {
  // iperf3 3.12 with -i 0.2 --forceflush; its byte units are binary.
  const lines = [
    { t: 1, text: "Connecting to host 10.77.0.2, port 5201" },
    { t: 1.1, text: "[  5] local 10.77.0.1 port 40000 connected to 10.77.0.2 port 5201" },
    { t: 1.2, text: "[ ID] Interval           Transfer     Bitrate         Retr  Cwnd" },
    { t: 1.3, text: "[  5]   0.00-0.20   sec  2.88 MBytes   121 Mbits/sec    0    389 KBytes" },
    { t: 1.5, text: "[  5]   0.20-0.40   sec   512 KBytes  21.0 Mbits/sec    3    12.0 KBytes" },
    {
      t: 1.7,
      text: "[  5]   0.00-0.40   sec  3.38 MBytes  70.9 Mbits/sec    3             sender",
    },
  ];
  assert.deepEqual(loadReports(lines), [
    { received: 1.3, own: 0.2, count: Math.round(2.88 * 2 ** 20) },
    { received: 1.5, own: 0.4, count: Math.round(2.88 * 2 ** 20 + 512 * 1024) },
  ]);
});

const isRoot = Deno.uid() === 0;
function has(cmd: string, arg = "--version"): boolean {
  try {
    return new Deno.Command(cmd, { args: [arg], stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}
const tools = isRoot && has("gcc") && has("iperf3") && has("ip", "-V") && has("tc", "-V");
if (!tools) {
  console.error("_contention_test: skipping the loads, needs root, gcc, iperf3, ip and tc");
}

/**
 * iperf3's client counts the bytes it has handed to TCP, so its count runs ahead of the link by
 * the socket's send buffer (up to tcp_wmem's maximum, 4 MiB here) and grows with the time the
 * load ran, which stretches on a busy host: 5.55 MB at 3.4 s of its own clock over this
 * 10 Mbit/s link at a load average of 17 (2026-12-01), where a fixed bound of 6 MB was meant for
 * 3.5 s. The link's rate shows in the slope once the buffer is full: over the later half of the
 * reports, 1.14 MB/s there. Shaped means that slope is below twice the link's rate (an unshaped
 * veth moves hundreds of MB/s), and the total below the link's rate over the load's own time plus
 * the largest send buffer and 1 MB.
 */
function assertShaped(reports: readonly LoadReport[], linkBytesPerSecond: number): void {
  const half = reports[Math.floor(reports.length / 2)]!;
  const last = reports.at(-1)!;
  assert.ok(last.own > half.own, `reports at ${half.own} and ${last.own} s`);
  const slope = (last.count - half.count) / (last.own - half.own);
  assert.ok(slope < 2 * linkBytesPerSecond, `${slope} bytes/s over the later reports`);
  const wmem = Deno.readTextFileSync("/proc/sys/net/ipv4/tcp_wmem").trim().split(/\s+/);
  const buffer = Number(wmem.at(-1));
  const most = linkBytesPerSecond * last.own + buffer + 1e6;
  assert.ok(last.count < most, `${last.count} bytes at ${last.own} s, expected < ${most}`);
}

Deno.test({
  name: "startContention() runs each load in the source namespace and reports its progress",
  ignore: !tools,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    const dir = await Deno.makeTempDir();
    try {
      const here = new URL("./guest/", import.meta.url).pathname;
      await run(["gcc", "-O2", "-o", `${dir}/cpu-hog`, `${here}cpu_hog.c`]);
      await run(["gcc", "-O2", "-o", `${dir}/dirtier`, `${here}dirtier.c`]);
      // A slow link (10 Mbit/s) and an idle "source QEMU" (sleep) in the first namespace.
      const link = await createLink(10e6);
      spawn(["ip", "netns", "exec", link.ns[1], "iperf3", "-s", "-p", "5201"]);
      const dummy = spawn(["ip", "netns", "exec", link.ns[0], "sleep", "60"]);
      const src = { side: 0, child: dummy } as unknown as Vm;
      const bed = {
        work: dir,
        link,
        niceness: 19,
        memoryMib: 16,
        fill: false,
        guest: { cpuHog: `${dir}/cpu-hog`, hostDirtier: `${dir}/dirtier` },
      } as unknown as Testbed;
      const affinity = () =>
        /Cpus_allowed_list:\s*(\S+)/.exec(Deno.readTextFileSync(`/proc/${dummy.pid}/status`))?.[1];
      const all = affinity();
      for (
        const [load, unit] of [["cpu", "iterations"], ["network", "bytes"], [
          "memory",
          "pages",
        ]] as const
      ) {
        await t.step(load, async () => {
          const contention = await startContention(bed, load, src);
          assert.equal(contention.unit, unit);
          assert.ok(contention.pid !== undefined);
          if (load === "cpu") assert.equal(affinity(), "0");
          // 0.1 s (CPU hog, dirtier) or 0.2 s (iperf3) reports: at least 5, waited for up to
          // 15 s, since a load at nice 19 on a busy host may report late (see below).
          const deadline = performance.now() + 15_000;
          await new Promise((resolve) => setTimeout(resolve, 1500));
          while (contention.reports().length < 5 && performance.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
          const reports = contention.reports();
          await contention.stop();
          assert.ok(reports.length >= 5, `${reports.length} reports`);
          const counts = reports.map((r) => r.count);
          assert.ok(counts.every((c, i) => i === 0 || c >= counts[i - 1]!), "cumulative");
          assert.ok(counts.at(-1)! > counts[0]!, `${counts[0]} .. ${counts.at(-1)}`);
          if (load === "network") assertShaped(reports, 10e6 / 8);
          if (load === "cpu") assert.equal(affinity(), all);
        });
      }
    } finally {
      await cleanupAll();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
