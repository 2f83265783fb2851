// Max-min fair sharing of the hosts' links between active migrations
// (progressive filling), re-solved only on the connected part of the
// flow-link graph that a change touches. Each flow uses two links: its
// source's uplink (2 * node) and its destination's downlink (2 * node + 1).
//
// Progressive filling: every unfrozen flow's rate rises together until a
// link is full; that link's flows are frozen at its fair share, and the
// filling goes on with the rest. The link that fills first is the one with
// the smallest residual / unfrozen flows, kept in a heap by current share.
// Cost per solve: O((L + F) log L) for the L links and F flows of the
// component.
import { createEventQueue, type EventQueue, popEvent, pushEvent } from "./_event_queue.ts";

/** Links, active flows and scratch space. */
export interface Network {
  /** Usable capacity per link, bytes/s. */
  capacity: Float64Array;
  /** Active flows per link. */
  flowsOnLink: number[][];
  /** Per flow: its uplink and downlink. */
  up: Int32Array;
  down: Int32Array;
  /** Per flow: its index in flowsOnLink[up] and flowsOnLink[down]. */
  posUp: Int32Array;
  posDown: Int32Array;
  /** Per flow: the rate the last solve gave it, bytes/s. */
  solved: Float64Array;
  linkMark: Int32Array;
  flowMark: Int32Array;
  epoch: number;
  residual: Float64Array;
  count: Int32Array;
  /** Scratch heap of (share, link) for the filling. */
  heap: EventQueue;
  /** Scratch lists of solveAround (the flows it returns are `flows`). */
  links: number[];
  flows: number[];
  stack: number[];
}

/**
 * Makes a network with no active flow.
 *
 * @param capacity Usable capacity per link (2 per node), bytes/s.
 * @param up Each flow's uplink.
 * @param down Each flow's downlink.
 */
export function createNetwork(capacity: Float64Array, up: Int32Array, down: Int32Array): Network {
  const links = capacity.length;
  const flows = up.length;
  return {
    capacity,
    flowsOnLink: Array.from({ length: links }, () => []),
    up,
    down,
    posUp: new Int32Array(flows),
    posDown: new Int32Array(flows),
    solved: new Float64Array(flows),
    linkMark: new Int32Array(links),
    flowMark: new Int32Array(flows),
    epoch: 0,
    residual: new Float64Array(links),
    count: new Int32Array(links),
    heap: createEventQueue(),
    links: [],
    flows: [],
    stack: [],
  };
}

/** Puts a flow on its two links. */
export function addFlow(net: Network, f: number): void {
  const a = net.flowsOnLink[net.up[f]!]!;
  net.posUp[f] = a.length;
  a.push(f);
  const b = net.flowsOnLink[net.down[f]!]!;
  net.posDown[f] = b.length;
  b.push(f);
}

function detach(net: Network, link: number, pos: number): void {
  const list = net.flowsOnLink[link]!;
  const last = list.pop()!;
  if (pos < list.length) {
    list[pos] = last;
    if (net.up[last] === link) net.posUp[last] = pos;
    else net.posDown[last] = pos;
  }
}

/** Takes a flow off its two links. */
export function removeFlow(net: Network, f: number): void {
  detach(net, net.up[f]!, net.posUp[f]!);
  detach(net, net.down[f]!, net.posDown[f]!);
}

/**
 * Re-solves the max-min fair rates of every flow connected to the seed
 * links, into `net.solved`, and returns those flows (a scratch list, valid
 * until the next call).
 */
export function solveAround(net: Network, seeds: readonly number[]): number[] {
  const epoch = ++net.epoch;
  const { links, flows, stack } = net;
  links.length = 0;
  flows.length = 0;
  stack.length = 0;
  for (const seed of seeds) {
    if (net.linkMark[seed] === epoch) continue;
    net.linkMark[seed] = epoch;
    stack.push(seed);
  }
  while (stack.length > 0) {
    const link = stack.pop()!;
    links.push(link);
    for (const f of net.flowsOnLink[link]!) {
      if (net.flowMark[f] === epoch) continue;
      net.flowMark[f] = epoch;
      flows.push(f);
      const other = net.up[f] === link ? net.down[f]! : net.up[f]!;
      if (net.linkMark[other] !== epoch) {
        net.linkMark[other] = epoch;
        stack.push(other);
      }
    }
  }
  fill(net, links);
  return flows;
}

function fill(net: Network, links: number[]): void {
  const { residual, count, capacity, flowsOnLink, flowMark, heap } = net;
  heap.times.length = 0;
  heap.codes.length = 0;
  heap.versions.length = 0;
  const epoch = net.epoch;
  for (const link of links) {
    residual[link] = capacity[link]!;
    count[link] = flowsOnLink[link]!.length;
    if (count[link]! > 0) pushEvent(heap, residual[link]! / count[link]!, link, 0);
  }
  // A link's share only grows as flows elsewhere freeze (a frozen flow took
  // at most the link's share), so the heap's keys are lower bounds: a link
  // popped with a key below its current share goes back with the current
  // one; a link popped at its current share is the next to fill. Bottleneck
  // shares never decrease, so rounding that would put one below the last is
  // clamped. A flow is frozen once flowMark is -epoch.
  let lastShare = 0;
  while (heap.times.length > 0) {
    const link = heap.codes[0]!;
    const key = heap.times[0]!;
    popEvent(heap);
    if (count[link] === 0) continue;
    const current = residual[link]! / count[link]!;
    if (current > key) {
      pushEvent(heap, current, link, 0);
      continue;
    }
    const share = Math.max(current, lastShare);
    lastShare = share;
    for (const f of flowsOnLink[link]!) {
      if (flowMark[f] === -epoch) continue;
      flowMark[f] = -epoch;
      net.solved[f] = share;
      const other = net.up[f] === link ? net.down[f]! : net.up[f]!;
      residual[other] = residual[other]! - share;
      count[other] = count[other]! - 1;
    }
    count[link] = 0;
  }
}
