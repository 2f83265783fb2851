// Host side of the collector: commands, child processes, network namespaces
// joined by a shaped veth pair, and the guest build (kernel + busybox initramfs
// + the static dirtier). Everything started here is tracked and torn down by
// `cleanupAll`.

/** Runs a command to completion; throws with its stderr when it fails. */
export async function run(cmd: string[], options: { allowFail?: boolean } = {}): Promise<string> {
  const out = await new Deno.Command(cmd[0]!, {
    args: cmd.slice(1),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  if (!out.success && !options.allowFail) {
    const stderr = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`command failed (exit ${out.code}): ${cmd.join(" ")}: ${stderr}`);
  }
  return stdout;
}

const children = new Set<Deno.ChildProcess>();
const namespaces = new Set<string>();

/** Starts a tracked background process; its output goes to `logPath` (or is discarded). */
export function spawn(cmd: string[], logPath?: string): Deno.ChildProcess {
  const child = new Deno.Command(cmd[0]!, {
    args: cmd.slice(1),
    stdin: "null",
    stdout: logPath ? "piped" : "null",
    stderr: logPath ? "piped" : "null",
  }).spawn();
  children.add(child);
  child.status.then(() => children.delete(child));
  if (logPath) {
    const file = Deno.openSync(logPath, { append: true, create: true });
    let open = 2;
    const done = () => {
      if (--open === 0) file.close();
    };
    for (const stream of [child.stdout, child.stderr]) {
      stream.pipeTo(
        new WritableStream({
          write: (chunk) => {
            file.writeSync(chunk);
          },
          close: done,
          abort: done,
        }),
      ).catch(() => {});
    }
  }
  return child;
}

/** A line a process wrote on stdout, with the collector's receive time (seconds, `performance.now`). */
export interface ReceivedLine {
  /** Receive time, seconds. */
  t: number;
  /** The line without its line end. */
  text: string;
}

/**
 * Starts a tracked background process and keeps each line of its stdout with
 * the time it arrived (stderr is discarded).
 */
export function spawnLines(cmd: string[]): { child: Deno.ChildProcess; lines: ReceivedLine[] } {
  const child = new Deno.Command(cmd[0]!, {
    args: cmd.slice(1),
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  children.add(child);
  child.status.then(() => children.delete(child));
  const lines: ReceivedLine[] = [];
  (async () => {
    let buffer = "";
    for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
      const t = performance.now() / 1000;
      buffer += text;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        lines.push({ t, text: buffer.slice(0, nl) });
        buffer = buffer.slice(nl + 1);
      }
    }
  })().catch(() => {});
  return { child, lines };
}

/** Kills a tracked process (TERM, then KILL after `graceMs`) and waits for it. */
export async function kill(child: Deno.ChildProcess, graceMs = 3000): Promise<void> {
  if (!children.has(child)) {
    await child.status.catch(() => {});
    return;
  }
  try {
    child.kill("SIGTERM");
  } catch { /* gone */ }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, graceMs);
  await child.status.catch(() => {});
  clearTimeout(timer);
}

/** The shaped link between two namespaces. */
export interface Link {
  /** Namespace names, [a, b]. */
  ns: [string, string];
  /** Addresses, [a, b]. */
  addr: [string, string];
  /** The tc rate, bits/s. */
  rateBitsPerSecond: number;
  /** The tc command line used on each end. */
  tcCommand: string;
}

/**
 * Removes namespaces left by collectors that no longer run (names lmc<pid>a /
 * lmc<pid>b, and a plan topology's lmc<pid>sw / lmc<pid>n<i>).
 */
export async function removeStaleNamespaces(): Promise<string[]> {
  const list = await run(["ip", "netns", "list"], { allowFail: true });
  const removed: string[] = [];
  for (const line of list.split("\n")) {
    const name = line.split(" ")[0] ?? "";
    const m = /^lmc(\d+)(?:[ab]|sw|n\d+)$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    // Our own pid can only be a leftover of an earlier process with the same pid.
    let alive = false;
    try {
      Deno.statSync(`/proc/${pid}`);
      alive = pid !== Deno.pid;
    } catch { /* dead */ }
    if (!alive) {
      await run(["ip", "netns", "del", name], { allowFail: true });
      removed.push(name);
    }
  }
  return removed;
}

/** Creates two namespaces joined by a veth pair shaped with tbf on both ends. */
export async function createLink(rateBitsPerSecond: number): Promise<Link> {
  const a = `lmc${Deno.pid}a`;
  const b = `lmc${Deno.pid}b`;
  const addr: [string, string] = ["10.77.0.1", "10.77.0.2"];
  for (const ns of [a, b]) {
    await run(["ip", "netns", "add", ns]);
    namespaces.add(ns);
    await run(["ip", "-n", ns, "link", "set", "lo", "up"]);
  }
  await run([
    "ip",
    "link",
    "add",
    `${a}v`,
    "netns",
    a,
    "type",
    "veth",
    "peer",
    "name",
    `${b}v`,
    "netns",
    b,
  ]);
  // tbf: rate as given; a 256 KiB bucket and 50 ms queue, as checked on this machine.
  const rate = `${Math.round(rateBitsPerSecond)}bit`;
  const tc = ["tbf", "rate", rate, "burst", "256kb", "latency", "50ms"];
  for (const [ns, dev, ip] of [[a, `${a}v`, addr[0]], [b, `${b}v`, addr[1]]] as const) {
    await run(["ip", "-n", ns, "addr", "add", `${ip}/24`, "dev", dev]);
    await run(["ip", "-n", ns, "link", "set", dev, "up"]);
    await run(["ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", dev, "root", ...tc]);
  }
  return {
    ns: [a, b],
    addr,
    rateBitsPerSecond,
    tcCommand: `tc qdisc add dev <veth> root ${tc.join(" ")}`,
  };
}

/**
 * Runs a topology's commands (see `planTopology`), tracking its namespaces
 * first so that `cleanupAll` removes them even if a command fails.
 */
export async function createTopology(
  topology: { namespaces: readonly string[]; commands: readonly string[][] },
): Promise<void> {
  for (const ns of topology.namespaces) namespaces.add(ns);
  for (const cmd of topology.commands) await run(cmd);
}

/** Kills every tracked process and deletes the namespaces (and with them the veth pair and qdiscs). */
export async function cleanupAll(): Promise<void> {
  await Promise.all([...children].map((child) => kill(child, 2000)));
  for (const ns of namespaces) {
    await run(["ip", "netns", "exec", ns, "tc", "qdisc", "del", "dev", `${ns}v`, "root"], {
      allowFail: true,
    });
    await run(["ip", "netns", "del", ns], { allowFail: true });
    namespaces.delete(ns);
  }
}

/** Synchronous last-resort cleanup for process exit paths. */
export function cleanupSync(): void {
  for (const child of children) {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }
  for (const ns of namespaces) {
    try {
      new Deno.Command("ip", { args: ["netns", "del", ns] }).outputSync();
    } catch { /* ignore */ }
  }
}

/** What the guest build produced. */
export interface Guest {
  /** The kernel image. */
  kernel: string;
  /** The gzipped initramfs. */
  initrd: string;
  /** The dirtier built for the host (memory contention). */
  hostDirtier: string;
  /** The busy loop that reports its iterations (CPU contention). */
  cpuHog: string;
  /** Kernel release, e.g. 6.1.0-56-amd64. */
  kernelRelease: string;
  /** gcc --version first line. */
  compiler: string;
}

/** Builds the guest from source in `dir`: static dirtier, busybox initramfs, Debian kernel from /boot. */
export async function buildGuest(dir: string): Promise<Guest> {
  const here = new URL("./guest/", import.meta.url).pathname;
  const kernels = [...Deno.readDirSync("/boot")]
    .map((e) => e.name)
    .filter((n) => /^vmlinuz-/.test(n))
    .sort();
  const kernelName = kernels.at(-1);
  if (kernelName === undefined) {
    throw new Error("buildGuest: no /boot/vmlinuz-*, expected package linux-image-amd64 installed");
  }
  const busybox = ["/bin/busybox", "/usr/bin/busybox"].find((p) => {
    try {
      return Deno.statSync(p).isFile;
    } catch {
      return false;
    }
  });
  if (busybox === undefined) {
    throw new Error("buildGuest: no busybox, expected package busybox-static installed");
  }
  const root = `${dir}/root`;
  await Deno.remove(root, { recursive: true }).catch(() => {});
  for (const sub of ["bin", "proc", "sys", "dev"]) {
    await Deno.mkdir(`${root}/${sub}`, { recursive: true });
  }
  await run([
    "nice",
    "-n",
    "19",
    "gcc",
    "-O2",
    "-static",
    "-Wall",
    "-o",
    `${root}/dirtier`,
    `${here}dirtier.c`,
  ]);
  await Deno.copyFile(`${root}/dirtier`, `${dir}/dirtier-host`);
  await run([
    "nice",
    "-n",
    "19",
    "gcc",
    "-O2",
    "-Wall",
    "-o",
    `${dir}/cpu-hog`,
    `${here}cpu_hog.c`,
  ]);
  await Deno.copyFile(busybox, `${root}/bin/busybox`);
  await Deno.copyFile(`${here}init`, `${root}/init`);
  await Deno.chmod(`${root}/init`, 0o755);
  await Deno.chmod(`${root}/bin/busybox`, 0o755);
  await run([
    "sh",
    "-c",
    `cd '${root}' && find . | cpio -o -H newc 2>/dev/null | gzip -1 > '${dir}/initrd.gz'`,
  ]);
  const compiler = (await run(["gcc", "--version"])).split("\n")[0] ?? "";
  return {
    kernel: `/boot/${kernelName}`,
    initrd: `${dir}/initrd.gz`,
    hostDirtier: `${dir}/dirtier-host`,
    cpuHog: `${dir}/cpu-hog`,
    kernelRelease: kernelName.replace(/^vmlinuz-/, ""),
    compiler,
  };
}
