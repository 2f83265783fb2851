import assert from "node:assert/strict";
import { loadProgressTrace } from "./load_progress_trace.ts";
import { parseProgressTrace } from "./parse_progress_trace.ts";
import { syntheticProgressTrace } from "./_synthetic_progress_trace.ts";

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("loadProgressTrace() reads a path, gzipped or not (a SYNTHETIC trace)", async () => {
  const text = syntheticProgressTrace({ endSeconds: 4 });
  const dir = await Deno.makeTempDir({ prefix: "load_progress_trace_test_" });
  try {
    await Deno.writeFile(`${dir}/run.progress.jsonl.gz`, await gzip(text));
    await Deno.writeTextFile(`${dir}/run.progress.jsonl`, text);
    const expected = parseProgressTrace(text);
    assert.deepEqual(await loadProgressTrace(`${dir}/run.progress.jsonl.gz`), expected);
    assert.deepEqual(await loadProgressTrace(`${dir}/run.progress.jsonl`), expected);
    assert.equal(expected.endSeconds, 4);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadProgressTrace() names the path, or 'progress trace' for bytes, in its errors", async () => {
  const bad = syntheticProgressTrace({ endSeconds: 4 }).replace(
    '"end_seconds":4',
    '"end_seconds":"4"',
  );
  const dir = await Deno.makeTempDir({ prefix: "load_progress_trace_test_" });
  try {
    await Deno.writeFile(`${dir}/bad.jsonl.gz`, await gzip(bad));
    await assert.rejects(() => loadProgressTrace(`${dir}/bad.jsonl.gz`), {
      name: "TypeError",
      message:
        `${dir}/bad.jsonl.gz:1: invalid field "end_seconds", expected a finite number (got "4")`,
    });
    await assert.rejects(() => loadProgressTrace(new TextEncoder().encode(bad)), {
      name: "TypeError",
      message: 'progress trace:1: invalid field "end_seconds", expected a finite number (got "4")',
    });
    await assert.rejects(() => loadProgressTrace(`${dir}/missing.jsonl.gz`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadProgressTrace() refuses a source that is neither a path nor bytes", async () => {
  await assert.rejects(() => loadProgressTrace(42 as unknown as string), {
    name: "TypeError",
    message: "loadProgressTrace: invalid source, expected a path or bytes (got 42)",
  });
  await assert.rejects(() => loadProgressTrace([0x1f, 0x8b] as unknown as Uint8Array), {
    name: "TypeError",
    message: "loadProgressTrace: invalid source, expected a path or bytes (got [31,139])",
  });
});
