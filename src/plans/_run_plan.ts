// The event loop of simulatePlan, on a compiled plan. Events: a migration
// starts (in start order), its setup overhead ends (it joins the network),
// its current chunk (a round or the stop-and-copy) is sent, or its KVM
// timeout passes. Whenever a flow joins or leaves the network the max-min
// fair rates are solved again on the part of the network it touches; a
// flow whose rate changes has its progress brought up to date and its
// chunk's end rescheduled (a version number invalidates the old event).
import type { CompiledPlan, ResolvedParameters } from "./_compile_plan.ts";
import { createEventQueue, popEvent, pushEvent } from "./_event_queue.ts";
import { addFlow, createNetwork, type Network, removeFlow, solveAround } from "./_flows.ts";
import { afterRound, type Chunk, firstChunk, KVM_PRECOPY } from "./_round_rules.ts";

/** Per migration: its end, seconds, and the bytes it sent. */
export interface RunOutput {
  endSeconds: Float64Array;
  transferredBytes: Float64Array;
}

/** Relative change of a flow's rate below which it is not rescheduled. */
const RATE_TOLERANCE = 1e-12;

const CHUNK_END = 0;
const DEADLINE = 1;
const SETUP_END = 2;

/** Mutable per-migration state of one run. */
interface State {
  net: Network;
  rate: Float64Array;
  left: Float64Array;
  lastT: Float64Array;
  roundStart: Float64Array;
  chunkBytes: Float64Array;
  final: Uint8Array;
  sending: Uint8Array;
  iterations: Int32Array;
  version: Int32Array;
}

/** Arrays reused by every run of one compiled plan (allocating them costs more than a run). */
interface Workspace {
  s: State;
  out: RunOutput;
  q: ReturnType<typeof createEventQueue>;
}

const WORKSPACES = new WeakMap<CompiledPlan, Workspace>();

/** The plan's workspace, reset, with the links' capacities at these parameters. */
function workspace(plan: CompiledPlan, parameters: ResolvedParameters): Workspace {
  const n = plan.ids.length;
  let w = WORKSPACES.get(plan);
  if (w === undefined) {
    const capacity = new Float64Array(plan.nominalBytesPerSecond.length);
    w = {
      s: {
        net: createNetwork(capacity, plan.up, plan.down),
        rate: new Float64Array(n),
        left: new Float64Array(n),
        lastT: new Float64Array(n),
        roundStart: new Float64Array(n),
        chunkBytes: new Float64Array(n),
        final: new Uint8Array(n),
        sending: new Uint8Array(n),
        iterations: new Int32Array(n),
        version: new Int32Array(n),
      },
      out: { endSeconds: new Float64Array(n), transferredBytes: new Float64Array(n) },
      q: createEventQueue(),
    };
    WORKSPACES.set(plan, w);
  } else {
    // A finished run leaves no flow on a link and no event; the rest is reset.
    w.s.rate.fill(0);
    w.s.iterations.fill(0);
    w.out.transferredBytes.fill(0);
  }
  const capacity = w.s.net.capacity;
  for (let l = 0; l < capacity.length; l++) {
    capacity[l] = plan.nominalBytesPerSecond[l]! * parameters.fractions[plan.linkClass[l]!]!;
  }
  return w;
}

/**
 * Simulates a compiled plan at the given parameters.
 *
 * @param plan The compiled plan.
 * @param parameters A fraction per link class and the overhead.
 * @returns Arrays reused by the next run of the same plan: read or copy them first.
 */
export function runPlan(plan: CompiledPlan, parameters: ResolvedParameters): RunOutput {
  const n = plan.ids.length;
  const { s, out, q } = workspace(plan, parameters);
  const overhead = parameters.overheadSeconds;

  const reschedule = (f: number, t: number) => {
    s.version[f] = s.version[f]! + 1;
    pushEvent(q, t + s.left[f]! / s.rate[f]!, CHUNK_END * n + f, s.version[f]!);
  };
  const seeds: number[] = [];
  const joining = new Uint8Array(n);
  const resolve = (t: number) => {
    for (const g of solveAround(s.net, seeds)) {
      const r = s.net.solved[g]!;
      // A rate that changed only by rounding (re-solving in another order) is kept.
      if (joining[g] || Math.abs(r - s.rate[g]!) <= RATE_TOLERANCE * r) continue;
      s.left[g] = Math.max(0, s.left[g]! - s.rate[g]! * (t - s.lastT[g]!));
      s.lastT[g] = t;
      s.rate[g] = r;
      reschedule(g, t);
    }
    seeds.length = 0;
  };
  const finish = (f: number, t: number) => {
    s.sending[f] = 0;
    s.version[f] = s.version[f]! + 1;
    out.endSeconds[f] = t;
    removeFlow(s.net, f);
    seeds.push(plan.up[f]!, plan.down[f]!);
    resolve(t);
  };
  const setChunk = (f: number, t: number, chunk: Chunk) => {
    s.chunkBytes[f] = chunk.bytes;
    s.left[f] = chunk.bytes;
    s.final[f] = chunk.final ? 1 : 0;
    s.roundStart[f] = t;
    s.lastT[f] = t;
    if (chunk.final && chunk.bytes <= 0) finish(f, t);
    else reschedule(f, t);
  };
  // Migrations that join at one time join together: one solve, then each
  // one's first chunk at its new rate.
  const batch: number[] = [];
  const join = (t: number) => {
    for (const f of batch) {
      s.sending[f] = 1;
      joining[f] = 1;
      addFlow(s.net, f);
      seeds.push(plan.up[f]!, plan.down[f]!);
    }
    resolve(t);
    for (const f of batch) {
      joining[f] = 0;
      s.rate[f] = s.net.solved[f]!;
      const rules = plan.rules[f]!;
      if (rules.method === KVM_PRECOPY) {
        pushEvent(q, t + rules.timeoutSeconds, DEADLINE * n + f, 0);
      }
      setChunk(f, t, firstChunk(rules, s.rate[f]!));
    }
    batch.length = 0;
  };
  const chunkEnd = (f: number, t: number) => {
    out.transferredBytes[f] = out.transferredBytes[f]! + s.chunkBytes[f]!;
    if (s.final[f]) return finish(f, t);
    s.iterations[f] = s.iterations[f]! + 1;
    const next = afterRound(
      plan.rules[f]!,
      s.iterations[f]!,
      out.transferredBytes[f]!,
      t - s.roundStart[f]!,
      s.rate[f]!,
    );
    if (next === null) finish(f, t);
    else setChunk(f, t, next);
  };
  const deadline = (f: number, t: number) => {
    if (!s.sending[f] || s.final[f]) return;
    const unsent = Math.max(0, s.left[f]! - s.rate[f]! * (t - s.lastT[f]!));
    out.transferredBytes[f] = out.transferredBytes[f]! + s.chunkBytes[f]! - unsent;
    finish(f, t);
  };

  let k = 0;
  const nextStart = () => (k < n ? plan.startSeconds[plan.order[k]!]! : Infinity);
  const nextSetupEnd = (t: number) =>
    q.times.length > 0 && q.times[0] === t && Math.floor(q.codes[0]! / n) === SETUP_END;
  while (k < n || q.times.length > 0) {
    if (k < n && (q.times.length === 0 || nextStart() < q.times[0]!)) {
      const t = nextStart();
      if (overhead > 0) {
        const f = plan.order[k++]!;
        pushEvent(q, t + overhead, SETUP_END * n + f, 0);
        continue;
      }
      while (nextStart() === t) batch.push(plan.order[k++]!);
      join(t);
      continue;
    }
    const t = q.times[0]!;
    const code = q.codes[0]!;
    const version = q.versions[0]!;
    popEvent(q);
    const type = Math.floor(code / n);
    const f = code - type * n;
    if (type === CHUNK_END) {
      if (version === s.version[f] && s.sending[f]) chunkEnd(f, t);
    } else if (type === DEADLINE) deadline(f, t);
    else {
      batch.push(f);
      while (nextSetupEnd(t)) {
        batch.push(q.codes[0]! - SETUP_END * n);
        popEvent(q);
      }
      join(t);
    }
  }
  return out;
}
