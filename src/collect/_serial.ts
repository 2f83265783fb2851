// Reads the guest's serial console (a QEMU chardev unix socket), keeps its
// lines with host receive times, appends them to a log file, and writes commands.

import { connectUnix, nowSeconds, sleep } from "./_qmp.ts";

/** One console line. */
export interface SerialLine {
  /** Seconds since the collector started. */
  t: number;
  /** The line, without its line end. */
  text: string;
}

/** A connected serial console. */
export interface Serial {
  /** Every line received so far. */
  lines: SerialLine[];
  /** Writes text to the guest's console. */
  write(text: string): Promise<void>;
  /** Waits for a line matching `pattern` received at or after `since`; undefined on timeout or close. */
  waitFor(pattern: RegExp, timeoutSeconds: number, since?: number): Promise<SerialLine | undefined>;
  /** True once the socket closed. */
  closed(): boolean;
  /** Closes the connection. */
  close(): void;
}

export async function connectSerial(
  path: string,
  logPath: string,
  timeoutSeconds = 30,
): Promise<Serial> {
  const conn = await connectUnix("connectSerial", path, timeoutSeconds, 50);
  const log = await Deno.open(logPath, { append: true, create: true });
  const encoder = new TextEncoder();
  let isClosed = false;
  const serial: Serial = {
    lines: [],
    closed: () => isClosed,
    close: () => {
      if (!isClosed) {
        isClosed = true;
        try {
          conn!.close();
        } catch { /* already closed */ }
      }
    },
    async write(text) {
      await conn!.write(encoder.encode(text));
    },
    async waitFor(pattern, timeout, since = -Infinity) {
      const end = nowSeconds() + timeout;
      let checked = 0;
      while (true) {
        for (; checked < serial.lines.length; checked++) {
          const line = serial.lines[checked]!;
          if (line.t >= since && pattern.test(line.text)) return line;
        }
        if (isClosed || nowSeconds() > end) return undefined;
        await sleep(50);
      }
    },
  };
  (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    const chunk = new Uint8Array(16384);
    try {
      while (true) {
        const n = await conn!.read(chunk);
        if (n === null) break;
        const text = decoder.decode(chunk.subarray(0, n), { stream: true });
        buffer += text;
        await log.write(encoder.encode(text));
        let nl: number;
        while ((nl = buffer.search(/[\r\n]/)) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line.trim() !== "") serial.lines.push({ t: nowSeconds(), text: line.trim() });
        }
      }
    } catch { /* closed */ }
    isClosed = true;
    log.close();
  })();
  return serial;
}
