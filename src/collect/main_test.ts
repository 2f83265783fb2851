// `deno task collect` refuses a command line with a mistake before any work: these tests run
// the task as a user does, never start QEMU (each case also ends in `--max-points 0`, itself
// refused, so a value accepted by mistake still stops at the command line), and check that
// the output folder was not made.
import assert from "node:assert/strict";
import { checkedMemoryBytes, COLLECT_COMMAND } from "./main.ts";
import { COLLECT_COMMANDS, INSTALL_HINT } from "./_environment.ts";
import { formatHelp, parseCommandLine, UsageError } from "../cli/mod.ts";

const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

async function collectTask(
  args: string[],
  options: { path?: string; wrapper?: string[] } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { path, wrapper = [] } = options;
  const command = [...wrapper, Deno.execPath(), "task", "-q", "--config", CONFIG, "collect"];
  const output = await new Deno.Command(command[0]!, {
    args: [...command.slice(1), ...args],
    env: {
      DENO_NO_UPDATE_CHECK: "1",
      NO_COLOR: "1",
      MIGRATION_MODEL_DEBUG: "",
      ...(path === undefined ? {} : { PATH: path }),
    },
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

/** The absolute path of `command` on this PATH, or undefined. */
function which(command: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").filter(Boolean)) {
    try {
      if (Deno.statSync(`${dir}/${command}`).isFile) return `${dir}/${command}`;
    } catch { /* not here */ }
  }
  return undefined;
}

/** Whether `unshare -U` runs here (a user namespace in which this user is not root). */
async function userNamespaces(): Promise<string[] | undefined> {
  const unshare = which("unshare");
  if (unshare === undefined) return undefined;
  const ok = await new Deno.Command(unshare, { args: ["-U", "true"], stderr: "null" }).output()
    .then((out) => out.success, () => false);
  return ok ? [unshare, "-U"] : undefined;
}

// These runs never start QEMU: the PATH they get has no qemu-system-x86_64, or a shell script
// of that name that only prints a version; the last line of stderr is the refusal.
Deno.test("deno task collect refuses a host that cannot run it in one line, exit 2", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const bin = `${dir}/bin`;
    await Deno.mkdir(bin);
    for (const command of Object.keys(COLLECT_COMMANDS)) {
      const found = command === "qemu-system-x86_64" ? undefined : which(command);
      if (found !== undefined) await Deno.symlink(found, `${bin}/${command}`);
    }
    const fakeQemu = (version: string) =>
      Deno.writeTextFile(
        `${bin}/qemu-system-x86_64`,
        `#!/bin/sh\necho "QEMU emulator version ${version} (a test's script)"\n`,
        { mode: 0o755 },
      );
    const lastLine = (stderr: string) => stderr.trimEnd().split("\n").at(-1)!;
    const quick = (name: string) => ["--quick", "--out", `${dir}/${name}`];

    await t.step("QEMU missing", async () => {
      const { code, stdout, stderr } = await collectTask(quick("no-qemu"), { path: bin });
      assert.deepEqual([code, stdout], [2, ""], stderr);
      assert.equal(
        lastLine(stderr),
        `collect: cannot run on this host: qemu-system-x86_64 not on PATH (Debian package qemu-system-x86 >= 9: ${INSTALL_HINT})`,
      );
      assert.doesNotMatch(stderr, /building the guest|\n\s+at /);
    });
    await t.step("--debug keeps the trace", async () => {
      const { code, stderr } = await collectTask([...quick("debug"), "--debug"], { path: bin });
      assert.equal(code, 2);
      assert.match(stderr, /CollectSetupError: collect: cannot run on this host: .*\n\s+at /);
    });
    await t.step("QEMU too old", async () => {
      await fakeQemu("7.2.15");
      const { code, stderr } = await collectTask(quick("old-qemu"), { path: bin });
      assert.equal(code, 2, stderr);
      assert.equal(
        lastLine(stderr),
        `collect: cannot run on this host: QEMU too old or unreadable, expected version >= 9, 7.2 loses dirty pages under TCG (got "QEMU emulator version 7.2.15 (a test's script)"; ${INSTALL_HINT} installs it from bookworm-backports)`,
      );
    });
    const userns = await userNamespaces();
    const why = "no user namespaces here (unshare -U)";
    await t.step({
      name: `not root${userns ? "" : ` (skipped: ${why})`}`,
      ignore: userns === undefined,
      fn: async () => {
        await fakeQemu("10.0.2");
        const { code, stderr } = await collectTask(quick("not-root"), {
          path: bin,
          wrapper: userns!,
        });
        assert.equal(code, 2, stderr);
        assert.equal(
          lastLine(stderr),
          "collect: cannot run on this host: not root (uid 65534; the network namespaces and tc need it: run it with sudo)",
        );
        assert.doesNotMatch(stderr, /building the guest/);
      },
    });
    await t.step({
      name: `an output folder it cannot write${userns ? "" : ` (skipped: ${why})`}`,
      ignore: userns === undefined,
      fn: async () => {
        await Deno.mkdir(`${dir}/read-only`, { mode: 0o555 });
        await Deno.chmod(`${dir}/read-only`, 0o555);
        const out = `${dir}/read-only/out`;
        const { code, stderr } = await collectTask(["--quick", "--out", out], {
          path: bin,
          wrapper: userns!,
        });
        assert.equal(code, 2, stderr);
        assert.equal(
          stderr,
          `collect: cannot write the output folder "${out}", expected a folder this user can write (choose another with --out, or run it with sudo) (got Permission denied (os error 13): mkdir '${out}/traces')\n`,
        );
      },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
