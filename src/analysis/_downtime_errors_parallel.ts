// The downtime cross-validation of the cost figures (downtimeErrors) on a Web
// Worker, started before the time fits: it needs the runs only, so it runs
// on the other core while this thread fits. costFigures is synchronous, so
// the result comes back through shared memory (Atomics.wait), never a
// message. downtimeErrors is pure, so the rows are the serial ones bit for
// bit (_downtime_errors_parallel_test.ts checks it).
import { deserialize } from "node:v8";
import type { MigrationRun } from "../data/types.ts";
import type { CostFigures } from "./cost_figures.ts";

/** How long to wait for the worker to load before computing here instead. */
const LOAD_TIMEOUT_MILLISECONDS = 30_000;
const MAX_RESULT_BYTES = 1 << 28;

/** A downtime cross-validation under way. */
export interface PendingDowntimeErrors {
  /** Waits for the rows (or computes them here if the worker never started); once. */
  result: (serial: () => CostFigures["downtimeErrors"]) => CostFigures["downtimeErrors"];
  /** Stops the worker; safe to call twice. */
  close: () => void;
}

/**
 * Starts `downtimeErrors(runs, { folds })` on a worker.
 *
 * @param runs The cost runs.
 * @param folds The folds (undefined: downtimeErrors' default).
 */
export function downtimeErrorsOnWorker(
  runs: readonly MigrationRun[],
  folds?: number,
): PendingDowntimeErrors {
  const control = new SharedArrayBuffer(12);
  const data = new SharedArrayBuffer(1 << 16, { maxByteLength: MAX_RESULT_BYTES });
  const state = new Int32Array(control);
  const worker = new Worker(new URL("./_downtime_errors_worker.ts", import.meta.url).href, {
    type: "module",
  });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    worker.terminate();
  };
  worker.onerror = (event) => {
    event.preventDefault(); // a worker that fails to load: result() computes here
    close();
  };
  worker.postMessage({ runs, folds, control, data });
  return {
    result: (serial) => {
      const started = performance.now();
      while (Atomics.load(state, 0) === 0) {
        Atomics.wait(state, 0, 0, 200);
        if (
          Atomics.load(state, 0) === 0 && Atomics.load(state, 2) === 0 &&
          (closed || performance.now() - started > LOAD_TIMEOUT_MILLISECONDS)
        ) {
          close();
          return serial();
        }
      }
      const value = deserialize(new Uint8Array(data, 0, Atomics.load(state, 1)).slice());
      close();
      if (Atomics.load(state, 0) === 2) {
        throw new Error(`costFigures: the downtime cross-validation failed: ${value}`);
      }
      return value as CostFigures["downtimeErrors"];
    },
    close,
  };
}
