import assert from "node:assert/strict";
import { parseProgressTrace } from "./parse_progress_trace.ts";
import { loadProgressTrace } from "./load_progress_trace.ts";
import { syntheticProgressTrace } from "./_synthetic_progress_trace.ts";

Deno.test("parseProgressTrace() reads the collector's format (a SYNTHETIC trace)", async (t) => {
  const text = syntheticProgressTrace({ endSeconds: 4 });
  await t.step("run line, progress and CPU samples, sorted", () => {
    const trace = parseProgressTrace(text);
    assert.equal(trace.endSeconds, 4);
    assert.equal(trace.baselineSeconds, 10);
    assert.equal(trace.clockTicksPerSecond, 100);
    assert.equal(trace.contention, "cpu");
    // -10 s .. 9 s every 0.1 s: 191 samples per process, one guest report each.
    assert.equal(trace.progress.length, 191);
    assert.equal(trace.cpu.length, 2 * 191);
    assert.ok(trace.cpu.every((s, i) => i === 0 || s.timeSeconds >= trace.cpu[i - 1]!.timeSeconds));
    const first = trace.cpu.find((s) => s.process === "source-qemu")!;
    assert.deepEqual(first.threads.map((th) => th.name), ["qemu-system-x86", "CPU 0/TCG"]);
  });
  await t.step("gzipped bytes and plain bytes read the same", async () => {
    const bytes = new TextEncoder().encode(text);
    const gz = new Uint8Array(
      await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip")))
        .arrayBuffer(),
    );
    assert.deepEqual(await loadProgressTrace(gz), parseProgressTrace(text));
    assert.deepEqual(await loadProgressTrace(bytes), parseProgressTrace(text));
  });
  await t.step("errors name the file, line and field", () => {
    assert.throws(
      () => parseProgressTrace('{"source":"run"', { file: "x.jsonl" }),
      (e: Error) => e instanceof SyntaxError && e.message.startsWith("x.jsonl:1: cannot parse"),
    );
    assert.throws(
      () => parseProgressTrace(text.replace('"end_seconds":4', '"end_seconds":"4"')),
      {
        name: "TypeError",
        message:
          'progress trace:1: invalid field "end_seconds", expected a finite number (got "4")',
      },
    );
    assert.throws(
      () => parseProgressTrace(text.split("\n").slice(1).join("\n")),
      { name: "TypeError", message: /missing the run line/ },
    );
    assert.throws(
      () =>
        parseProgressTrace(
          text.split("\n")[0] +
            '\n{"t_since_run_start":0,"source":"cpu","process":"p","pid":1,"threads":[[1,2,3]]}',
        ),
      { name: "TypeError", message: /progress trace:2: invalid field "threads"/ },
    );
  });
});

Deno.test("parseProgressTrace() reads run delays and host lines where the trace has them", async (t) => {
  const run = syntheticProgressTrace({ endSeconds: 4 }).split("\n")[0]!;
  const cpu = (t: number, wait: number) =>
    JSON.stringify({
      t_since_run_start: t,
      source: "cpu",
      process: "source-qemu",
      pid: 7,
      threads: [[7, "qemu-system-x86", 10 * t, wait], [8, "CPU 0/TCG", 60 * t]],
    });
  const host = (t: number) =>
    JSON.stringify({
      t_since_run_start: t,
      source: "host",
      load_average: 2.5,
      cpu_busy_ticks: 1000 + 190 * t,
      cpu_total_ticks: 2000 + 200 * t,
      apparatus_ticks: 40 + 5 * t,
    });
  await t.step("the fourth element and the host samples, sorted", () => {
    const trace = parseProgressTrace(
      [run, host(0.1), cpu(0.1, 5e8), host(-0.1), cpu(0, 4e8)].join("\n"),
    );
    assert.equal(trace.cpu[0]!.threads[0]!.runDelayNanoseconds, 4e8);
    assert.equal("runDelayNanoseconds" in trace.cpu[0]!.threads[1]!, false);
    assert.deepEqual(trace.host, [
      {
        timeSeconds: -0.1,
        loadAverage: 2.5,
        busyTicks: 981,
        totalTicks: 1980,
        apparatusTicks: 39.5,
      },
      {
        timeSeconds: 0.1,
        loadAverage: 2.5,
        busyTicks: 1019,
        totalTicks: 2020,
        apparatusTicks: 40.5,
      },
    ]);
  });
  await t.step("an older trace has no host field", () => {
    assert.equal("host" in parseProgressTrace(syntheticProgressTrace()), false);
  });
  await t.step("a bad run delay or host line names the field", () => {
    assert.throws(
      () => parseProgressTrace([run, cpu(0, Number.NaN).replace("null", '"x"')].join("\n")),
      {
        name: "TypeError",
        message:
          /progress trace:2: invalid field "threads", expected \[\[tid, name, ticks, run delay ns\?\], \.\.\.\]/,
      },
    );
    assert.throws(
      () =>
        parseProgressTrace(
          [run, host(0).replace('"load_average":2.5', '"load_average":"2.5"')].join("\n"),
        ),
      {
        name: "TypeError",
        message:
          'progress trace:2: invalid field "load_average", expected a finite number (got "2.5")',
      },
    );
  });
});
