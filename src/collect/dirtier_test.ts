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

/** The median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// Timing under load: the dirtier paces itself by its own clock and drops a backlog older than
// 10 ms (by design: a guest paused by a migration must not burst afterwards), so an interval in
// which the host kept it off the CPU longer than that writes fewer pages, and a line comes late.
// Measured on this 2-core machine beside a QEMU measurement and 4-12 other processes at the
// test's niceness (load average 9-19, 2026-12-01), over 2.5 s: the achieved rate 0.54-1.0003 of
// the request, the median 0.1 s interval's 0.835-1.001, the largest gap 0.119 s (the old bounds:
// 3 % and 0.2 s, hence the failures); yet in every run 7-23 of the 23 sliding 0.3 s windows were
// at the rate to within their ±0.45 % (lines print t to 1 ms) and none above. So the test checks
// what load cannot change: the best 0.3 s window at the rate (a pacing error of 1 % fails), no
// window or 0.1 s interval above it, the lines' median spacing, the whole never above the rate.
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
        // 16 MiB working set at 4096 pages/s, no filler, until 26 progress lines (2.5 s) or 15 s.
        const rate = 4096;
        const child = new Deno.Command(`${dir}/dirtier`, {
          args: ["16", String(rate), "0", pattern],
          stdin: "piped",
          stdout: "piped",
        }).spawn();
        const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
        const seen: string[] = [];
        await readUntil(reader, seen, /^READY /);
        const start = performance.now();
        const progress: Array<{ t: number; pages: number }> = [];
        const lineCount = () => (seen.join("").match(/^P t=/gm) ?? []).length;
        while (lineCount() < 26 && performance.now() - start < 15_000) {
          const { value, done } = await reader.read();
          if (done) break;
          seen.push(value);
        }
        for (const line of seen.join("").split("\n")) {
          const m = /^P t=([\d.]+) pages=(\d+)$/.exec(line);
          if (m) progress.push({ t: Number(m[1]), pages: Number(m[2]) });
        }
        assert.ok(progress.length >= 20, `${progress.length} progress lines in 15 s`);
        const gaps = progress.slice(1).map((p, i) => p.t - progress[i]!.t);
        const spacing = median(gaps);
        assert.ok(spacing >= 0.099 && spacing <= 0.12, `median gap ${spacing} s, expected 0.1 s`);
        // Over `k` lines: each window's rate over the request, and how well it is known (t to
        // 1 ms, pages = ⌊rate · t⌋ to one page).
        const windows = (k: number) =>
          progress.slice(k).map((p, i) => {
            const seconds = p.t - progress[i]!.t;
            return {
              ratio: (p.pages - progress[i]!.pages) / (rate * seconds),
              slack: (rate * 0.001 + 1.5) / (rate * seconds),
            };
          });
        for (const { ratio, slack } of windows(1)) {
          assert.ok(ratio <= 1 + slack, `a 0.1 s interval at ${ratio} of the rate`);
        }
        const long = windows(3);
        for (const { ratio, slack } of long) {
          assert.ok(ratio <= 1 + slack, `a 0.3 s window at ${ratio} of the rate`);
        }
        const best = long.reduce((a, b) => (b.ratio > a.ratio ? b : a));
        assert.ok(best.ratio >= 1 - best.slack, `the best 0.3 s window at ${best.ratio}`);
        const first = progress[0]!;
        const last = progress.at(-1)!;
        const achieved = (last.pages - first.pages) / (last.t - first.t);
        assert.ok(achieved / rate <= 1.001, `achieved ${achieved} pages/s, requested ${rate}`);
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
