// The bootstrap's refits, shared with Web Workers when they are long: every
// resample's counts are drawn first (bootstrapSamples' draws) onto shared
// memory, the calling thread and the workers take resamples from a shared
// counter, and each refit's parameters land at the resample's place. A
// worker rebuilds the same solver from the same runs and options, and a
// refit depends only on its counts and the start, so the result is the
// serial one bit for bit, whoever fitted which resample. The caller stays
// synchronous: it waits on the shared counter (Atomics.wait), never on a
// message.
import { resampleDrawer } from "./_bootstrap.ts";
import type { Solver } from "./_coordinate_search.ts";
import type { MigrationRun } from "../data/types.ts";
import type { Lattice } from "./_lattice_search.ts";
import type { ResolvedFitOptions } from "./types.ts";

/**
 * When the refits use workers: `"auto"` once the first refits show that the
 * rest would take longer than {@linkcode WORKER_MIN_MILLISECONDS}, `"never"`,
 * or `"always"` (from the first resample; for tests). Changed by tests only.
 */
export const BOOTSTRAP_WORKERS: { mode: "auto" | "never" | "always" } = { mode: "auto" };

/** The serial time, ms, the remaining refits must exceed for a worker to start. */
export const WORKER_MIN_MILLISECONDS = 200;

/** What a worker needs to rebuild the solver and refit. */
export interface RefitJob {
  /** The public function's name. */
  where: string;
  /** All runs. */
  runs: readonly MigrationRun[];
  /** The completed runs fitted. */
  indices: readonly number[];
  /** Resolved options. */
  options: ResolvedFitOptions;
  /** The start of every refit: the point estimate. */
  start: Float64Array;
  /** The bootstrap's strata (positions). */
  strata: readonly (readonly number[])[];
  /** The solver's lattice rows: a worker starts with a copy of those there are when it starts. */
  lattices: Lattice[];
}

/** The layout of the shared control array. */
export const CONTROL = {
  /** The next resample to take. */
  next: 0,
  /** Resamples done. */
  done: 1,
  /** Workers that stopped (finished or failed). */
  stopped: 2,
  /** Per resample from here: 0 not taken, 1 taken, 2 done. */
  state: 3,
} as const;

/** The message a worker gets: the job and the shared memory. */
export interface WorkerMessage extends RefitJob {
  resamples: number;
  weights: SharedArrayBuffer;
  results: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

/**
 * Refits `resamples` seeded resamples from the start, on this thread and, when
 * long, on workers too; the same parameters as {@linkcode bootstrapSamples}
 * with `solve`, in resample order.
 *
 * @param job The runs, options, start and strata.
 * @param resamples How many resamples.
 * @param seed The seed of the draws.
 * @param solve This thread's solver (the same as the job's).
 * @param onProgress Called with the resamples done after each refit on this thread, and with
 * `resamples` at the end if that was not the last (serially: 1, 2, ..., `resamples`).
 */
export function refitResamples(
  job: RefitJob,
  resamples: number,
  seed: number,
  solve: Solver,
  onProgress?: (done: number) => void,
): Float64Array[] {
  if (resamples === 0) return [];
  const n = job.indices.length;
  const size = job.start.length;
  const shared = (length: number) => new SharedArrayBuffer(length * 8);
  const message: WorkerMessage = {
    ...job,
    resamples,
    weights: shared(resamples * n),
    results: shared(resamples * size),
    control: new SharedArrayBuffer(4 * (CONTROL.state + resamples)),
  };
  const weights = new Float64Array(message.weights);
  const results = new Float64Array(message.results);
  const control = new Int32Array(message.control);
  const draw = resampleDrawer(job.strata, seed);
  for (let r = 0; r < resamples; r++) draw(weights.subarray(r * n, (r + 1) * n));
  const refit = (r: number) => {
    const theta = solve(weights.subarray(r * n, (r + 1) * n), job.start).theta;
    results.set(theta, r * size);
    Atomics.store(control, CONTROL.state + r, 2);
    Atomics.add(control, CONTROL.done, 1);
  };
  const workers: Worker[] = [];
  const mode = BOOTSTRAP_WORKERS.mode;
  if (mode === "always") startWorkers(message, workers);
  const started = performance.now();
  let reported = 0;
  for (;;) {
    const r = Atomics.add(control, CONTROL.next, 1);
    if (r >= resamples) break;
    Atomics.store(control, CONTROL.state + r, 1);
    refit(r);
    reported = Atomics.load(control, CONTROL.done);
    onProgress?.(reported);
    const perRefit = (performance.now() - started) / (r + 1);
    if (
      mode === "auto" && workers.length === 0 &&
      perRefit * (resamples - r - 1) > WORKER_MIN_MILLISECONDS
    ) {
      startWorkers(message, workers);
    }
  }
  finish(control, resamples, workers, refit);
  if (reported < resamples) onProgress?.(resamples);
  return Array.from({ length: resamples }, (_, r) => results.slice(r * size, (r + 1) * size));
}

/**
 * Starts the workers: one less than the cores, at most 3, at least 1; none
 * where they cannot load (no read permission for the module, no Worker).
 */
function startWorkers(message: WorkerMessage, workers: Worker[]): void {
  const url = new URL("./_bootstrap_worker.ts", import.meta.url);
  if (!workersAllowed(url)) return;
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  const count = Math.max(1, Math.min(3, cores - 1));
  for (let k = 0; k < count; k++) {
    try {
      const worker = new Worker(url.href, { type: "module" });
      // A worker that cannot load stops nothing: this thread refits what it does not.
      worker.onerror = (event) => event.preventDefault();
      worker.postMessage(message);
      workers.push(worker);
    } catch {
      return; // No workers here (permissions, runtime): this thread refits them all.
    }
  }
}

/**
 * Waits for the workers' resamples; when every worker has stopped with some
 * taken but not done (a worker failed), refits those here. Ends the workers.
 */
function finish(
  control: Int32Array,
  resamples: number,
  workers: Worker[],
  refit: (r: number) => void,
): void {
  for (;;) {
    const done = Atomics.load(control, CONTROL.done);
    if (done >= resamples) break;
    if (Atomics.load(control, CONTROL.stopped) >= workers.length) {
      for (let r = 0; r < resamples; r++) {
        if (Atomics.load(control, CONTROL.state + r) !== 2) refit(r);
      }
      break;
    }
    Atomics.wait(control, CONTROL.done, done, 50);
  }
  for (const worker of workers) worker.terminate();
}

/** Whether a worker can load the module at `url`: Worker exists and, for a file, reading it is granted. */
function workersAllowed(url: URL): boolean {
  if (typeof Worker !== "function") return false;
  if (url.protocol !== "file:") return true;
  const deno = (globalThis as { Deno?: typeof Deno }).Deno;
  if (deno?.permissions?.querySync === undefined) return false;
  try {
    return deno.permissions.querySync({ name: "read", path: url }).state === "granted";
  } catch {
    return false;
  }
}
