import assert from "node:assert/strict";
import { parseProcStat, readHost, readThreads, startCpuSampler } from "./_cpu_sampler.ts";
import type { CpuLine, HostLine } from "./_progress.ts";

Deno.test("parseProcStat() reads the name and utime + stime", async (t) => {
  await t.step("a name with spaces and parentheses", () => {
    const line = "4242 (CPU 0/TCG (x)) R 1 2 3 4 5 6 7 8 9 10 150 25 0 0 20 0 1 0 100 0 0";
    assert.deepEqual(parseProcStat(line), { comm: "CPU 0/TCG (x)", ticks: 175 });
  });
  await t.step("this process's own stat", () => {
    const stat = parseProcStat(Deno.readTextFileSync("/proc/self/stat"));
    assert.ok(stat.ticks >= 0 && stat.comm.length > 0, JSON.stringify(stat));
  });
  await t.step("a line without the fields", () => {
    assert.throws(() => parseProcStat("42 (x) R 1 2"), {
      name: "SyntaxError",
      message:
        'parseProcStat: invalid stat line, expected "pid (comm) state ..." with utime and stime (got "42 (x) R 1 2")',
    });
  });
});

Deno.test("startCpuSampler() samples a busy process's threads at 10 Hz", async () => {
  const busy = new Deno.Command("nice", {
    args: ["-n", "19", "sh", "-c", "while :; do :; done"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    const t0 = performance.now() / 1000;
    const sampler = startCpuSampler(0.1, () => t0, { busy: busy.pid });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const all = await sampler.stop();
    const lines = all.filter((l): l is CpuLine => l.source === "cpu");
    assert.ok(lines.length >= 12, `${lines.length} samples in 1.5 s`);
    const times = lines.map((l) => l.t_since_run_start);
    // The first sample is taken at once.
    assert.ok(times[0]! < 0.05, `first sample at ${times[0]} s`);
    assert.ok(times.every((t, i) => i === 0 || t > times[i - 1]!));
    assert.ok(times.at(-1)! - times[0]! < 0.1 * lines.length + 0.2);
    assert.ok(lines.every((l) => l.process === "busy" && l.pid === busy.pid));
    const [tid, comm] = lines.at(-1)!.threads[0]!;
    assert.equal(tid, busy.pid);
    // The first sample may come before `nice` has become `sh`.
    assert.equal(comm, "sh");
    // A busy loop, even at nice 19 on a shared machine, gets some CPU in 1.5 s.
    const ticks = lines.at(-1)!.threads[0]![2] - lines[0]!.threads[0]![2];
    assert.ok(ticks > 0, `${ticks} ticks`);
    // Its run delay (schedstat, ns) is recorded as a fourth element and never falls.
    const waits = lines.map((l) => l.threads[0]![3]);
    assert.ok(waits.every((w, i) => w !== undefined && w >= (i === 0 ? 0 : waits[i - 1]!)));
    // One host line per tick, its counters cumulative.
    const host = all.filter((l): l is HostLine => l.source === "host");
    assert.ok(Math.abs(host.length - lines.length) <= 1, `${host.length} host lines`);
    assert.ok(host.every((h, i) =>
      h.load_average >= 0 && h.cpu_busy_ticks <= h.cpu_total_ticks &&
      (i === 0 || (h.cpu_busy_ticks >= host[i - 1]!.cpu_busy_ticks &&
        h.apparatus_ticks >= host[i - 1]!.apparatus_ticks))
    ));
  } finally {
    busy.kill("SIGKILL");
    await busy.status;
  }
  assert.deepEqual(await readThreads(busy.pid), []);
});

Deno.test("readHost() reads the load, the host's CPU ticks and the collector's own", async () => {
  const host = await readHost();
  assert.ok(host !== undefined);
  assert.equal(host.source, "host");
  assert.ok(host.cpu_busy_ticks > 0 && host.cpu_busy_ticks < host.cpu_total_ticks);
  assert.ok(host.apparatus_ticks > 0);
  // The collector counted twice (itself and as a helper), a helper that is gone as 0.
  const twice = (await readHost([Deno.pid, 2 ** 22 + 1]))!.apparatus_ticks;
  const after = parseProcStat(Deno.readTextFileSync("/proc/self/stat")).ticks;
  assert.ok(
    twice >= 2 * host.apparatus_ticks && twice <= 2 * after,
    `${twice} ticks, ${host.apparatus_ticks} before, ${after} after`,
  );
});

Deno.test("readThreads() adds the run delay only when asked", async () => {
  const withDelay = await readThreads(Deno.pid);
  const without = await readThreads(Deno.pid, false);
  assert.ok(withDelay.length > 0 && withDelay.every((entry) => entry.length === 4));
  assert.ok(without.length > 0 && without.every((entry) => entry.length === 3));
  // The main thread is among them (not always first: thread ids wrap past pid_max).
  assert.ok(withDelay.some((entry) => entry[0] === Deno.pid));
  const tids = withDelay.map((entry) => entry[0]);
  assert.deepEqual(tids, [...tids].sort((a, b) => a - b));
});
