// `deno task collect` refuses a command line with a mistake before any work: these tests run
// the task as a user does, never start QEMU (each case also ends in `--max-points 0`, itself
// refused, so a value accepted by mistake still stops at the command line), and check that
// the output folder was not made.
import assert from "node:assert/strict";
import { checkedMemoryBytes, COLLECT_COMMAND } from "./main.ts";
import { formatHelp, parseCommandLine, UsageError } from "../cli/mod.ts";

const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

async function collectTask(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "--config", CONFIG, "collect", ...args],
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", MIGRATION_MODEL_DEBUG: "" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}

Deno.test("deno task collect --help prints the options and exits with 0", async () => {
  const { code, stdout, stderr } = await collectTask(["--help"]);
  assert.deepEqual([code, stderr], [0, ""]);
  assert.equal(stdout, formatHelp(COLLECT_COMMAND));
  assert.match(stdout, /\n {2}--timeout SECONDS +pre-copy non-convergence limit/);
});

Deno.test("deno task collect refuses a bad value in one line naming the option, before any work", async (t) => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/out`;
  try {
    const seconds = 'seconds > 0, a number or a duration such as "300ms"';
    const cases: [string[], string][] = [
      [["--timeout", "6O"], `collect: invalid --timeout, expected ${seconds} (got "6O")`],
      [
        ["--downtime-limit=-1"],
        `collect: invalid --downtime-limit, expected ${seconds} (got "-1")`,
      ],
      [
        ["--link", "0Mbps"],
        'collect: invalid --link, expected a rate such as "1Gbps" or "125MB/s", > 0 (got "0Mbps")',
      ],
      [
        ["--memory", "0"],
        'collect: invalid --memory, expected a size >= 64 MiB in whole MiB such as "64MiB" or "1.5GiB" (a bare number is MiB) (got "0")',
      ],
      [
        ["--rates", "-5"],
        'collect: invalid --rates, expected a comma-separated list, each a number > 0 (pages/s) (got "-5")',
      ],
      [
        ["--methods", "kvm-precopy,xen"],
        'collect: invalid --methods, expected a comma-separated list, each one of "kvm-precopy", "kvm-postcopy", "xen-precopy-policy" (got "xen" in "kvm-precopy,xen")',
      ],
      [
        ["--bogus"],
        'collect: unknown option "--bogus", expected one of --out, --quick, --memory, --link, --downtime-limit, --downtime-limits, --timeout, --hard-timeout, --wss, --rates, --contention, --methods, --repeats, --max-points, --no-fill, --accel, --postcopy-switch, --write-pattern, --baseline, --after, --nice, --retry-failed, --host-load, --concurrent, --stagger, --help, --debug',
      ],
      [
        ["--timeout"],
        `collect: option --timeout needs a value, expected ${seconds} (got the option "--out")`,
      ],
    ];
    for (const [args, message] of cases) {
      await t.step(args.join(" "), async () => {
        const outcome = await collectTask([...args, "--out", out, "--max-points", "0"]);
        assert.deepEqual(outcome, { code: 2, stdout: "", stderr: `${message}\n` });
        await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkedMemoryBytes() refuses a working set as large as the memory", () => {
  const values = (args: string[]) => parseCommandLine(COLLECT_COMMAND, args).values;
  assert.equal(checkedMemoryBytes(values([])), 1.5 * 2 ** 30);
  assert.equal(checkedMemoryBytes(values(["--quick"])), 256 * 2 ** 20);
  assert.equal(checkedMemoryBytes(values(["--memory", "512", "--wss", "0,256MiB,full"])), 2 ** 29);
  assert.throws(
    () => checkedMemoryBytes(values(["--memory", "256MiB", "--wss", "0,256MiB"])),
    (error) => {
      assert.ok(error instanceof UsageError);
      assert.equal(
        error.message,
        'collect: invalid --wss, expected working sets below the VM\'s memory (256 MiB) or "full" (got 256 MiB)',
      );
      return true;
    },
  );
});
