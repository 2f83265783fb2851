// A worker of the bootstrap's refits (_bootstrap_parallel.ts): rebuilds the
// solver from the job's runs and options, then takes resamples from the
// shared counter until none is left, writing each refit's parameters at the
// resample's place.
import { CONTROL, type WorkerMessage } from "./_bootstrap_parallel.ts";
import { createSolver, lossFor } from "./_coordinate_search.ts";
import { fitData } from "./_fit_data.ts";
import { layoutParams } from "./_fit_params.ts";

/** Refits the job's resamples that are left. */
export function runRefits(job: WorkerMessage): void {
  const control = new Int32Array(job.control);
  try {
    const data = fitData(job.where, job.runs, job.indices, job.options);
    const layout = layoutParams(data, job.options);
    const loss = lossFor(job.options.objective);
    const solve = createSolver(data, layout, job.options, loss, job.lattices);
    const weights = new Float64Array(job.weights);
    const results = new Float64Array(job.results);
    const n = job.indices.length;
    const size = job.start.length;
    for (;;) {
      const r = Atomics.add(control, CONTROL.next, 1);
      if (r >= job.resamples) break;
      Atomics.store(control, CONTROL.state + r, 1);
      const theta = solve(weights.subarray(r * n, (r + 1) * n), job.start).theta;
      results.set(theta, r * size);
      Atomics.store(control, CONTROL.state + r, 2);
      Atomics.add(control, CONTROL.done, 1);
      Atomics.notify(control, CONTROL.done);
    }
  } finally {
    // Finished or failed: the caller refits what is taken but not done.
    Atomics.add(control, CONTROL.stopped, 1);
    Atomics.notify(control, CONTROL.done);
  }
}

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<WorkerMessage>) => void) | null;
  close?: () => void;
};
if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined") {
  scope.onmessage = (event) => {
    try {
      runRefits(event.data);
    } catch {
      // Said through the shared counters; the caller refits.
    }
  };
}
