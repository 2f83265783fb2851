// Private: one guest QEMU in a namespace of the shaped link, started with a
// QMP socket and a serial console, and stopped again.

import { type Guest, kill, type Link, spawn } from "./_host.ts";
import { connectQmp, nowSeconds, type QmpClient, sleep } from "./_qmp.ts";
import { connectSerial, type Serial } from "./_serial.ts";
import type { WritePattern } from "./types.ts";

/** What every guest of a session shares. */
export interface Testbed {
  /** Scratch directory for sockets and logs. */
  work: string;
  /** The shaped link; side 0 and 1 are its namespaces. */
  link: Link;
  /** The guest build. */
  guest: Guest;
  /** The VM's memory, MiB. */
  memoryMib: number;
  /** Fill the guest's free memory with non-zero data. */
  fill: boolean;
  /** Niceness of QEMU and the contention loads. */
  niceness: number;
}

/** A running guest. */
export interface Vm {
  /** The link side (namespace) it runs in. */
  side: 0 | 1;
  /** The QEMU process. */
  child: Deno.ChildProcess;
  /** Its QMP connection. */
  qmp: QmpClient;
  /** Its serial console. */
  serial: Serial;
  /** A name unique in the session, for logs. */
  name: string;
  /** Since when the guest has run undisturbed (boot, check, migration done), collector seconds. */
  quietSince: number;
}

/** The dirtier's arguments on the kernel command line. */
export interface GuestConfig {
  /** Working set, MiB, or "full". */
  wssArg: string;
  /** Pages written per second. */
  rate: number;
  /** The dirtier's write pattern. */
  pattern: WritePattern;
}

let counter = 0;

/** Starts QEMU on `side`; with `incoming`, it waits for a migration (`-incoming defer`). */
export async function startVm(
  bed: Testbed,
  side: 0 | 1,
  cfg: GuestConfig,
  { accelerator, incoming = false, memoryMib = bed.memoryMib }: {
    accelerator: string;
    incoming?: boolean;
    memoryMib?: number;
  },
): Promise<Vm> {
  const name = `vm${++counter}-${side}`;
  const qmpPath = `${bed.work}/${name}.qmp`;
  const serialPath = `${bed.work}/${name}.serial`;
  const append = `console=ttyS0 quiet loglevel=1 panic=1 lm_wss=${cfg.wssArg} lm_rate=${cfg.rate}` +
    ` lm_fill=${bed.fill ? 1 : 0} lm_pattern=${cfg.pattern}`;
  // deno-fmt-ignore
  const cmd = [
    "ip", "netns", "exec", bed.link.ns[side], "nice", "-n", String(bed.niceness),
    "qemu-system-x86_64", "-name", `${name},debug-threads=on`, "-accel", accelerator, "-m", String(memoryMib), "-smp", "1",
    "-nodefaults", "-display", "none", "-no-reboot",
    "-kernel", bed.guest.kernel, "-initrd", bed.guest.initrd, "-append", append,
    "-chardev", `socket,id=ser0,path=${serialPath},server=on,wait=off`, "-serial", "chardev:ser0",
    "-qmp", `unix:${qmpPath},server=on,wait=off`,
    ...(incoming ? ["-incoming", "defer"] : []),
  ];
  const child = spawn(cmd, `${bed.work}/${name}.qemu.log`);
  const serial = await connectSerial(serialPath, `${bed.work}/${name}.console.log`);
  const qmp = await connectQmp(qmpPath, name);
  return { side, child, qmp, serial, name, quietSince: nowSeconds() };
}

/** Asks QEMU to quit (2 s), closes its connections and kills what is left. */
export async function stopVm(vm: Vm | undefined): Promise<void> {
  if (vm === undefined) return;
  try {
    if (!vm.qmp.closed()) await Promise.race([vm.qmp.execute("quit"), sleep(2000)]);
  } catch { /* exiting */ }
  vm.qmp.close();
  vm.serial.close();
  await kill(vm.child);
}

/** "kvm" if a small guest boots under KVM within 20 s, else "tcg". */
export async function probeAccelerator(bed: Testbed): Promise<"kvm" | "tcg"> {
  let vm: Vm | undefined;
  try {
    vm = await startVm(bed, 0, { wssArg: "0", rate: 0, pattern: "sweep" }, {
      accelerator: "kvm",
      memoryMib: 256,
    });
    return (await vm.serial.waitFor(/^BOOTED/, 20)) ? "kvm" : "tcg";
  } catch {
    return "tcg";
  } finally {
    await stopVm(vm);
  }
}

/**
 * Boots a source guest on side 0 and waits (up to 300 s) for the dirtier's
 * `READY` line; resolves with the guest and its report (wss_bytes,
 * filler_bytes, ...). A guest that reports `ERROR` or never gets ready is
 * stopped and the promise rejects.
 */
export async function bootGuest(
  bed: Testbed,
  cfg: GuestConfig,
  accelerator: string,
): Promise<{ vm: Vm; ready: Record<string, number> }> {
  const vm = await startVm(bed, 0, cfg, { accelerator });
  const line = await vm.serial.waitFor(/^(READY|ERROR)/, 300);
  if (line === undefined || line.text.startsWith("ERROR")) {
    await stopVm(vm);
    throw new Error(`guest did not get ready: ${line?.text ?? "no READY within 300 s"}`);
  }
  const ready: Record<string, number> = {};
  for (const m of line.text.matchAll(/(\w+)=([0-9a-f]+)/g)) {
    ready[m[1]!] = m[1] === "filler_sum" ? 0 : Number(m[2]);
  }
  // Let the dirtier reach its rate before the first migration.
  await sleep(3000);
  vm.quietSince = nowSeconds();
  return { vm, ready };
}
