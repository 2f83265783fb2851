import assert from "node:assert/strict";
import { parseHostCpuTicks, parseLoadAverage, parseSchedstat } from "./_proc.ts";

// Real lines from the 2-core build machine (2026-12-02, a collection running):
// `cat /proc/loadavg`, `head -1 /proc/stat`, and the schedstat of a source
// QEMU's threads (`/proc/<pid>/task/<tid>/schedstat`; comm in the comment).
const LOADAVG = "3.60 4.71 3.76 9/156 22750\n";
const STAT_CPU = "cpu  867239 1784357 600895 842138 1542 0 62194 9717 18 0\n";
const SCHEDSTAT = {
  main: "2767246832 2329921457 163557\n", // qemu-system-x86 (the main loop)
  vcpu: "7191097725 2582509017 148886\n", // CPU 0/TCG
  migration: "624180924 541892723 1897\n", // mig/src/main
  self: "434947 63649 1\n", // cat /proc/self/schedstat
};

Deno.test("parseLoadAverage() reads /proc/loadavg", async (t) => {
  await t.step("a real line", () => {
    assert.deepEqual(parseLoadAverage(LOADAVG), {
      oneMinute: 3.6,
      fiveMinutes: 4.71,
      fifteenMinutes: 3.76,
    });
  });
  await t.step("this machine's file", () => {
    const load = parseLoadAverage(Deno.readTextFileSync("/proc/loadavg"));
    assert.ok(load.oneMinute >= 0 && load.fifteenMinutes >= 0, JSON.stringify(load));
  });
  await t.step("not a load average", () => {
    assert.throws(() => parseLoadAverage("busy 1 2"), {
      name: "SyntaxError",
      message:
        'parseLoadAverage: invalid /proc/loadavg, expected "1m 5m 15m running/total pid" (got "busy 1 2")',
    });
    assert.throws(() => parseLoadAverage("1.0 -2 3 1/2 3"), SyntaxError);
    assert.throws(() => parseLoadAverage("1.0 2.0"), SyntaxError);
  });
});

Deno.test("parseSchedstat() reads a thread's run time, run delay and timeslices", async (t) => {
  await t.step("real lines of a source QEMU's threads", () => {
    assert.deepEqual(parseSchedstat(SCHEDSTAT.vcpu), {
      runNanoseconds: 7191097725,
      waitNanoseconds: 2582509017,
      timeslices: 148886,
    });
    assert.equal(parseSchedstat(SCHEDSTAT.main).waitNanoseconds, 2329921457);
    assert.equal(parseSchedstat(SCHEDSTAT.migration).waitNanoseconds, 541892723);
    assert.deepEqual(parseSchedstat(SCHEDSTAT.self), {
      runNanoseconds: 434947,
      waitNanoseconds: 63649,
      timeslices: 1,
    });
  });
  await t.step("this process's own file", () => {
    const own = parseSchedstat(Deno.readTextFileSync("/proc/self/schedstat"));
    assert.ok(own.runNanoseconds > 0 && own.timeslices > 0, JSON.stringify(own));
  });
  await t.step("not three non-negative integers", () => {
    assert.throws(() => parseSchedstat("1 2"), {
      name: "SyntaxError",
      message:
        'parseSchedstat: invalid schedstat, expected "run_ns wait_ns timeslices" (got "1 2")',
    });
    assert.throws(() => parseSchedstat("1 2.5 3"), SyntaxError);
    assert.throws(() => parseSchedstat("1 -2 3"), SyntaxError);
    assert.throws(() => parseSchedstat("1 2 3 4"), SyntaxError);
  });
});

Deno.test("parseHostCpuTicks() sums the busy and total ticks of /proc/stat's cpu line", async (t) => {
  await t.step("a real line", () => {
    // busy = user + nice + system + irq + softirq + steal; total adds idle and iowait.
    const busy = 867239 + 1784357 + 600895 + 0 + 62194 + 9717;
    assert.deepEqual(parseHostCpuTicks(STAT_CPU + "cpu0 1 2 3 4 5 6 7 8 9 10\n"), {
      busyTicks: busy,
      totalTicks: busy + 842138 + 1542,
    });
  });
  await t.step("an old kernel's four fields", () => {
    assert.deepEqual(parseHostCpuTicks("cpu  10 20 30 40\n"), { busyTicks: 60, totalTicks: 100 });
  });
  await t.step("this machine's file", () => {
    const ticks = parseHostCpuTicks(Deno.readTextFileSync("/proc/stat"));
    assert.ok(ticks.busyTicks > 0 && ticks.busyTicks < ticks.totalTicks, JSON.stringify(ticks));
  });
  await t.step("no cpu line", () => {
    assert.throws(() => parseHostCpuTicks("intr 1 2 3\n"), {
      name: "SyntaxError",
      message:
        'parseHostCpuTicks: invalid /proc/stat, expected a line "cpu  user nice system idle ..." of clock ticks (got "intr 1 2 3\n")',
    });
    assert.throws(() => parseHostCpuTicks("cpu  1 2 x 4\n"), SyntaxError);
  });
});
