import assert from "node:assert/strict";
import { loadReports } from "./_contention.ts";

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
