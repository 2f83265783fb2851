// Private: reads a downtime-limit sweep run's two traces
// (`traces/<run>.qmp.jsonl.gz`, `traces/<run>.events.jsonl.gz`) into what
// scripts/sync_stall_check.ts uses: the source's samples, syncs and stop.

/** One `query-migrate` sample of the source while active. */
export interface TraceSample {
  /** QEMU's `total-time`, seconds. */
  timeSeconds: number;
  /** `ram.transferred`, bytes. */
  transferredBytes: number;
  /** QEMU's reading of its last bandwidth window (`ram.mbps` / 8), bytes/s. */
  readingBytesPerSecond: number;
  /** `ram.duplicate`: zero pages scanned so far. */
  duplicatePages: number;
  /** `ram.remaining`: pending bytes, every page at 4096. */
  remainingBytes: number;
}

/** What one run's traces say about its syncs, readings and stop. */
export interface SweepTrace {
  /** The active samples, in order. */
  samples: TraceSample[];
  /** Every bitmap sync of the source (MIGRATION_PASS), seconds after its setup event. */
  syncSeconds: number[];
  /** The source's STOP event, seconds after its setup event (undefined: it never stopped). */
  stopSeconds?: number;
  /** `ram.downtime-bytes` of the completed reply, bytes. */
  downtimeBytes?: number;
  /** QEMU's own `downtime`, seconds. */
  qmpDowntimeSeconds?: number;
  /** `ram.duplicate` of the completed reply. */
  finalDuplicatePages?: number;
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  typeof value === "object" && value !== null ? value as Json : {};

/**
 * Parses a run's two trace files (their text, already gunzipped).
 *
 * @param qmpText `<run>.qmp.jsonl`: one `{t_since_run_start, query_migrate}` per line.
 * @param eventsText `<run>.events.jsonl`: `{side, dir, msg}` per line; the source is
 *   the side that emits MIGRATION_PASS.
 */
export function parseSweepTrace(qmpText: string, eventsText: string): SweepTrace {
  const events = eventsText.split("\n").filter((l) => l.trim() !== "").map((l) =>
    obj(JSON.parse(l))
  )
    .filter((e) => e.dir === "event").map((e) => ({ side: e.side, msg: obj(e.msg) }));
  const source = events.find((e) => e.msg.event === "MIGRATION_PASS")?.side;
  const at = (msg: Json) => {
    const stamp = obj(msg.timestamp);
    return Number(stamp.seconds) + Number(stamp.microseconds) * 1e-6;
  };
  const mine = events.filter((e) => e.side === source);
  const setup = mine.find((e) => e.msg.event === "MIGRATION" && obj(e.msg.data).status === "setup");
  const zero = setup === undefined ? 0 : at(setup.msg);
  const stop = mine.find((e) => e.msg.event === "STOP");
  const samples: TraceSample[] = [];
  let done: Json | undefined;
  for (const line of qmpText.split("\n")) {
    if (line.trim() === "") continue;
    const reply = obj(obj(JSON.parse(line)).query_migrate);
    const ram = obj(reply.ram);
    if (reply.status === "active" && ram.transferred !== undefined) {
      samples.push({
        timeSeconds: Number(reply["total-time"]) / 1000,
        transferredBytes: Number(ram.transferred),
        readingBytesPerSecond: Number(ram.mbps) * 1e6 / 8,
        duplicatePages: Number(ram.duplicate),
        remainingBytes: Number(ram.remaining),
      });
    } else if (reply.status === "completed" && reply.ram !== undefined && done === undefined) {
      done = reply;
    }
  }
  const ram = obj(done?.ram);
  return {
    samples,
    syncSeconds: mine.filter((e) => e.msg.event === "MIGRATION_PASS").map((e) => at(e.msg) - zero),
    ...(stop === undefined ? {} : { stopSeconds: at(stop.msg) - zero }),
    ...(done === undefined ? {} : {
      downtimeBytes: Number(ram["downtime-bytes"]),
      qmpDowntimeSeconds: Number(done.downtime) / 1000,
      finalDuplicatePages: Number(ram.duplicate),
    }),
  };
}

async function readGzipText(path: string): Promise<string> {
  const stream = (await Deno.open(path)).readable.pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}

/** Reads `traces/<run>.qmp.jsonl.gz` and its events file from a dataset folder. */
export async function readSweepTrace(folder: string, traceFile: string): Promise<SweepTrace> {
  const base = `${folder}/traces/${traceFile.replace(/\.qmp\.jsonl\.gz$/, "")}`;
  return parseSweepTrace(
    await readGzipText(`${base}.qmp.jsonl.gz`),
    await readGzipText(`${base}.events.jsonl.gz`),
  );
}
