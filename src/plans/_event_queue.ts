// A binary min-heap of events (time, code, version) on plain arrays, for the
// plan simulation's event loop. Ties are broken by code, so the order of
// events at one time is deterministic.

/** The heap. */
export interface EventQueue {
  times: number[];
  codes: number[];
  versions: number[];
}

/** An empty queue. */
export function createEventQueue(): EventQueue {
  return { times: [], codes: [], versions: [] };
}

function less(q: EventQueue, i: number, j: number): boolean {
  const ti = q.times[i]!;
  const tj = q.times[j]!;
  return ti < tj || (ti === tj && q.codes[i]! < q.codes[j]!);
}

function swap(q: EventQueue, i: number, j: number): void {
  const t = q.times[i]!;
  q.times[i] = q.times[j]!;
  q.times[j] = t;
  const c = q.codes[i]!;
  q.codes[i] = q.codes[j]!;
  q.codes[j] = c;
  const v = q.versions[i]!;
  q.versions[i] = q.versions[j]!;
  q.versions[j] = v;
}

/** Adds an event. */
export function pushEvent(q: EventQueue, time: number, code: number, version: number): void {
  q.times.push(time);
  q.codes.push(code);
  q.versions.push(version);
  let i = q.times.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!less(q, i, parent)) break;
    swap(q, i, parent);
    i = parent;
  }
}

/** Removes the earliest event; read it first from index 0. */
export function popEvent(q: EventQueue): void {
  const last = q.times.length - 1;
  swap(q, 0, last);
  q.times.pop();
  q.codes.pop();
  q.versions.pop();
  const n = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const m = r < n && less(q, r, l) ? r : l;
    if (!less(q, m, i)) break;
    swap(q, i, m);
    i = m;
  }
}
