// Compiles the guest's dirtier (src/collect/guest/dirtier.c) for the host and
// runs it briefly: it must report READY, RATE lines, and pass its own memory
// check on request. Needs gcc (installed by scripts/install_system.sh); skipped
// with a message when gcc is missing outside CI.

import assert from "node:assert/strict";

function hasGcc(): boolean {
  try {
    return new Deno.Command("gcc", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync()
      .success;
  } catch {
    return false;
  }
}

const gcc = hasGcc();
const inCi = Deno.env.get("CI") === "true";
if (!gcc && !inCi) console.error("dirtier_test: skipping, gcc is not installed");

async function readUntil(
  reader: ReadableStreamDefaultReader<string>,
  seen: string[],
  pattern: RegExp,
): Promise<string> {
  while (true) {
    const found = seen.join("").split("\n").find((line) => pattern.test(line));
    if (found !== undefined) return found;
    const { value, done } = await reader.read();
    if (done) throw new Error(`dirtier ended before ${pattern}: ${seen.join("")}`);
    seen.push(value);
  }
}

Deno.test({
  name: "dirtier reports its rate and passes its memory check",
  ignore: !gcc && !inCi,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const source = new URL("./guest/dirtier.c", import.meta.url).pathname;
      const built = await new Deno.Command("gcc", {
        args: ["-O2", "-Wall", "-Werror", "-o", `${dir}/dirtier`, source],
        stderr: "piped",
      }).output();
      assert.ok(built.success, new TextDecoder().decode(built.stderr));
      // 8 MiB working set at 2048 pages/s, no filler.
      const child = new Deno.Command(`${dir}/dirtier`, {
        args: ["8", "2048", "0"],
        stdin: "piped",
        stdout: "piped",
      }).spawn();
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      const seen: string[] = [];
      const ready = await readUntil(reader, seen, /^READY /);
      assert.match(ready, /wss_bytes=8388608 filler_bytes=0 /);
      const rate = await readUntil(reader, seen, /^RATE /);
      const pages = Number(/pages=(\d+)/.exec(rate)?.[1]);
      assert.ok(pages > 0, rate);
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode("v\n"));
      const verify = await readUntil(reader, seen, /^VERIFY /);
      assert.match(verify, /^VERIFY ok filler_sum=[0-9a-f]{16} stale_pages=0 /);
      child.kill("SIGKILL");
      await child.status;
      await writer.close().catch(() => {});
      await reader.cancel().catch(() => {});
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "dirtier refuses a working set larger than free memory",
  ignore: !gcc && !inCi,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const source = new URL("./guest/dirtier.c", import.meta.url).pathname;
      const built = await new Deno.Command("gcc", { args: ["-O2", "-o", `${dir}/dirtier`, source] })
        .output();
      assert.ok(built.success);
      const out = await new Deno.Command(`${dir}/dirtier`, {
        args: [String(2 ** 30), "1024", "0"], // 1 PiB in MiB
        stdin: "null",
        stdout: "piped",
      }).output();
      assert.equal(out.code, 1);
      assert.match(
        new TextDecoder().decode(out.stdout),
        /^ERROR wss \d+ bytes exceeds usable memory \d+ bytes/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

for (const pattern of ["sweep", "random"] as const) {
  Deno.test({
    name: `dirtier's ${pattern} pattern achieves the requested rate and reports it at 10 Hz`,
    ignore: !gcc && !inCi,
    fn: async () => {
      const dir = await Deno.makeTempDir();
      try {
        const source = new URL("./guest/dirtier.c", import.meta.url).pathname;
        const built = await new Deno.Command("gcc", {
          args: ["-O2", "-Wall", "-Werror", "-o", `${dir}/dirtier`, source],
        }).output();
        assert.ok(built.success);
        // 16 MiB working set at 4096 pages/s, no filler, for about 2.5 s.
        const child = new Deno.Command(`${dir}/dirtier`, {
          args: ["16", "4096", "0", pattern],
          stdin: "piped",
          stdout: "piped",
        }).spawn();
        const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
        const seen: string[] = [];
        await readUntil(reader, seen, /^READY /);
        const start = performance.now();
        const progress: Array<{ t: number; pages: number }> = [];
        while (performance.now() - start < 2500) {
          const { value, done } = await reader.read();
          if (done) break;
          seen.push(value);
        }
        for (const line of seen.join("").split("\n")) {
          const m = /^P t=([\d.]+) pages=(\d+)$/.exec(line);
          if (m) progress.push({ t: Number(m[1]), pages: Number(m[2]) });
        }
        assert.ok(progress.length >= 20, `${progress.length} progress lines in 2.5 s`);
        const gaps = progress.slice(1).map((p, i) => p.t - progress[i]!.t);
        assert.ok(Math.max(...gaps) < 0.2, `largest gap ${Math.max(...gaps)} s`);
        const first = progress[0]!;
        const last = progress.at(-1)!;
        const rate = (last.pages - first.pages) / (last.t - first.t);
        assert.ok(Math.abs(rate / 4096 - 1) < 0.03, `achieved ${rate} pages/s, requested 4096`);
        const writer = child.stdin.getWriter();
        await writer.write(new TextEncoder().encode("v\n"));
        const verify = await readUntil(reader, seen, /^VERIFY /);
        assert.match(verify, /^VERIFY ok .*stale_pages=0 /);
        child.kill("SIGKILL");
        await child.status;
        await writer.close().catch(() => {});
        await reader.cancel().catch(() => {});
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

Deno.test({
  name: "dirtier refuses an unknown write pattern",
  ignore: !gcc && !inCi,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const source = new URL("./guest/dirtier.c", import.meta.url).pathname;
      const built = await new Deno.Command("gcc", { args: ["-O2", "-o", `${dir}/dirtier`, source] })
        .output();
      assert.ok(built.success);
      const out = await new Deno.Command(`${dir}/dirtier`, {
        args: ["8", "1024", "0", "zigzag"],
        stdin: "null",
        stdout: "piped",
      }).output();
      assert.equal(out.code, 2);
      assert.match(
        new TextDecoder().decode(out.stdout),
        /^ERROR pattern zigzag, expected sweep or random/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
