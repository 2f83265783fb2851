// Private: what the collector needs of the host (root, QEMU >= 9, the tools the
// guest build and the shaped link use), checked before a sitting starts, and
// the host failures of a sitting's start said as one line a user can act on.

import { CollectSetupError } from "./collect_setup_error.ts";

export { CollectSetupError };

/** The install command for the collector's system packages (Debian 12). */
export const INSTALL_HINT = "bash scripts/install_system.sh qemu";

/** The commands a sitting runs, each with the Debian package that has it. */
export const COLLECT_COMMANDS: Readonly<Record<string, string>> = {
  "qemu-system-x86_64": "qemu-system-x86 >= 9",
  ip: "iproute2",
  tc: "iproute2",
  iperf3: "iperf3",
  gcc: "gcc",
  cpio: "cpio",
  gzip: "gzip",
  taskset: "util-linux",
  getconf: "libc-bin",
  nice: "coreutils",
  uname: "coreutils",
  sleep: "coreutils",
  find: "findutils",
  sh: "dash",
};

/** What the collector needs of the host, as found there. */
export interface HostFacts {
  /** The user id, or null where the system has none. */
  uid: number | null;
  /** The commands of {@linkcode COLLECT_COMMANDS} not found on PATH. */
  missing: readonly string[];
  /** The first line of `qemu-system-x86_64 --version`, or "" when it printed nothing. */
  qemuVersion: string;
}

/** QEMU's major version from its `--version` line, or undefined when the line has none. */
export function qemuMajor(versionLine: string): number | undefined {
  const match = /version (\d+)\./.exec(versionLine);
  return match ? Number(match[1]) : undefined;
}

/**
 * The host's problems for the collector, one phrase each, in the order a user
 * fixes them (root, tools, QEMU's version); empty when it can run. Pure.
 */
export function environmentProblems(facts: HostFacts): string[] {
  const problems: string[] = [];
  if (facts.uid !== null && facts.uid !== 0) {
    problems.push(
      `not root (uid ${facts.uid}; the network namespaces and tc need it: run it with sudo)`,
    );
  }
  if (facts.missing.length > 0) {
    const packages = [...new Set(facts.missing.map((c) => COLLECT_COMMANDS[c] ?? c))];
    problems.push(
      `${facts.missing.join(", ")} not on PATH (Debian package${packages.length === 1 ? "" : "s"} ${
        packages.join(", ")
      }: ${INSTALL_HINT})`,
    );
  }
  if (!facts.missing.includes("qemu-system-x86_64")) {
    const major = qemuMajor(facts.qemuVersion);
    if (major === undefined || major < 9) {
      problems.push(
        `QEMU too old or unreadable, expected version >= 9, 7.2 loses dirty pages under TCG (got "${facts.qemuVersion}"; ${INSTALL_HINT} installs it from bookworm-backports)`,
      );
    }
  }
  return problems;
}

/** The one line for a host's problems: `collect: cannot run on this host: ...`. Pure. */
export function environmentMessage(problems: readonly string[]): string {
  return `collect: cannot run on this host: ${problems.join("; ")}`;
}

/**
 * The one-line error for a failure of the host while a sitting starts (a
 * failed `ip`/`tc` command, a guest build without its tools), or undefined
 * when the error is not the host's (a bug, which keeps its trace). Pure.
 */
export function startFailure(error: unknown): CollectSetupError | undefined {
  if (!(error instanceof Error)) return undefined;
  const message = error.message.split("\n")[0]!;
  const command = /^command failed \(exit \d+\): (\S+)(?: (\S+))?/.exec(message);
  if (command) {
    const [, tool, sub] = command;
    const what = tool === "ip" && sub ? `ip ${sub}` : tool;
    const hint = tool === "ip" || tool === "tc"
      ? "the collector needs root (sudo) and iproute2"
      : `the collector needs ${COLLECT_COMMANDS[tool!] ?? tool}`;
    return new CollectSetupError(
      `collect: ${what} failed on this host, ${hint} (${INSTALL_HINT}) (got ${message})`,
      { cause: error },
    );
  }
  if (/^buildGuest: /.test(message)) {
    return new CollectSetupError(
      `collect: cannot build the guest: ${message.replace(/^buildGuest: /, "")} (${INSTALL_HINT})`,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.NotFound && /spawn/i.test(message)) {
    return new CollectSetupError(
      `collect: a command is missing on this host (${message}; ${INSTALL_HINT})`,
      { cause: error },
    );
  }
  return undefined;
}

/** Whether `command` is an executable file in one of PATH's folders. */
function onPath(command: string, path: string): boolean {
  return path.split(":").filter(Boolean).some((dir) => {
    try {
      const info = Deno.statSync(`${dir}/${command}`);
      return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
    } catch {
      return false;
    }
  });
}

/** The host's facts: user id, the commands missing from PATH, QEMU's version line. */
export async function hostFacts(): Promise<HostFacts> {
  const path = Deno.env.get("PATH") ?? "";
  const missing = Object.keys(COLLECT_COMMANDS).filter((command) => !onPath(command, path));
  let qemuVersion = "";
  if (!missing.includes("qemu-system-x86_64")) {
    const out = await new Deno.Command("qemu-system-x86_64", {
      args: ["--version"],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output().catch(() => undefined);
    qemuVersion = out ? new TextDecoder().decode(out.stdout).split("\n")[0]!.trim() : "";
  }
  return { uid: Deno.uid(), missing, qemuVersion };
}

/** Checks the host before a sitting: throws one line naming every problem. */
export async function checkEnvironment(): Promise<void> {
  const problems = environmentProblems(await hostFacts());
  if (problems.length > 0) throw new CollectSetupError(environmentMessage(problems));
}
