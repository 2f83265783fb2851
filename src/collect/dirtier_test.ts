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
