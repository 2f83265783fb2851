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
