// A minimal QMP client over a unix socket, recording every message it sends
// and receives (with the collector's monotonic time) for the run's trace.

/** One recorded QMP message. */
export interface QmpTraceEntry {
  /** Seconds since the collector started (performance.now). */
  t: number;
  /** "source" / "destination" etc., as given to the client. */
  side: string;
  /** "send", "recv" or "event". */
  dir: "send" | "recv" | "event";
  /** The JSON message. */
  msg: unknown;
}

/** A QMP event with its host receive time. */
export interface QmpEvent {
  /** Seconds since the collector started. */
  t: number;
  /** Event name, e.g. "STOP". */
  event: string;
  /** QEMU's own wall-clock stamp, seconds since the epoch. */
  timestampSeconds: number;
  /** Event data. */
  data: unknown;
}

/** A connected QMP client. */
export interface QmpClient {
  /** Sends a command and resolves with its `return`; rejects on a QMP error. */
  execute(command: string, args?: Record<string, unknown>): Promise<unknown>;
  /** Events received so far. */
  events: QmpEvent[];
  /** Where messages are recorded; the collector swaps it per run. */
  trace: QmpTraceEntry[];
  /** True once the socket closed (QEMU exited). */
  closed(): boolean;
  /** Closes the connection. */
  close(): void;
}

export function nowSeconds(): number {
  return performance.now() / 1000;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Connects to a unix socket that QEMU creates, retrying every `pollMs` until it exists. */
export async function connectUnix(
  where: string,
  path: string,
  timeoutSeconds: number,
  pollMs: number,
): Promise<Deno.UnixConn> {
  const deadline = nowSeconds() + timeoutSeconds;
  for (;;) {
    try {
      return await Deno.connect({ transport: "unix", path });
    } catch (error) {
      if (nowSeconds() > deadline) {
        throw new Error(`${where}: cannot connect to "${path}" (${error})`);
      }
      await sleep(pollMs);
    }
  }
}

/** Connects to a QMP socket (retrying until it exists), negotiates capabilities. */
export async function connectQmp(
  path: string,
  side: string,
  timeoutSeconds = 30,
): Promise<QmpClient> {
  const conn = await connectUnix("connectQmp", path, timeoutSeconds, 100);
  const encoder = new TextEncoder();
  const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let isClosed = false;
  let nextId = 1;
  const polls = new Set<string>();
  const client: QmpClient = {
    events: [],
    trace: [],
    closed: () => isClosed,
    close: () => {
      if (!isClosed) {
        isClosed = true;
        try {
          conn!.close();
        } catch { /* already closed */ }
      }
    },
    async execute(command, args) {
      if (isClosed) throw new Error(`qmp ${side}: ${command}: connection closed`);
      const id = `c${nextId++}`;
      const msg: Record<string, unknown> = { execute: command, id };
      if (args !== undefined) msg.arguments = args;
      // query-migrate polls go to the run's own .qmp.jsonl trace, not to the events trace.
      if (command === "query-migrate") polls.add(id);
      else client.trace.push({ t: nowSeconds(), side, dir: "send", msg });
      const result = new Promise<unknown>((resolve, reject) =>
        pending.set(id, { resolve, reject })
      );
      await conn!.write(encoder.encode(JSON.stringify(msg) + "\n"));
      return await result;
    },
  };
  let greeted: () => void = () => {};
  const greeting = new Promise<void>((resolve) => greeted = resolve);
  (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    const chunk = new Uint8Array(65536);
    try {
      while (true) {
        const n = await conn!.read(chunk);
        if (n === null) break;
        buffer += decoder.decode(chunk.subarray(0, n), { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line === "") continue;
          let msg: Record<string, unknown>;
          try {
            msg = JSON.parse(line);
          } catch {
            continue;
          }
          const t = nowSeconds();
          if ("QMP" in msg) {
            greeted();
          } else if ("event" in msg) {
            const ts = msg.timestamp as { seconds: number; microseconds: number } | undefined;
            client.events.push({
              t,
              event: String(msg.event),
              timestampSeconds: ts ? ts.seconds + ts.microseconds / 1e6 : NaN,
              data: msg.data,
            });
            client.trace.push({ t, side, dir: "event", msg });
          } else {
            const id = String(msg.id);
            const waiter = pending.get(id);
            pending.delete(id);
            if (!polls.delete(id)) client.trace.push({ t, side, dir: "recv", msg });
            if (waiter) {
              if ("error" in msg) {
                const err = msg.error as { class?: string; desc?: string };
                waiter.reject(new Error(`qmp ${side}: ${err.class}: ${err.desc}`));
              } else {
                waiter.resolve(msg.return);
              }
            }
          }
        }
      }
    } catch { /* socket error: treated as closed */ }
    isClosed = true;
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`qmp ${side}: connection closed`));
    }
    pending.clear();
    greeted();
  })();
  await greeting;
  await client.execute("qmp_capabilities");
  return client;
}
