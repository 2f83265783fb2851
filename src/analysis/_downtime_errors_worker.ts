// A Web Worker for _downtime_errors_parallel.ts: it gets { runs, folds,
// control, data }, computes downtimeErrors (as costFigures does), and puts
// { rows, failed } (node:v8's serialisation: NaN and -0 kept) into the
// growable shared buffer `data`; control[0] says 1 (done) or 2 (a failure
// other than a RangeError, the message in data), control[1] the bytes, and
// control[2] is 1 once this module has loaded.
/// <reference lib="deno.worker" />
import { serialize } from "node:v8";
import { downtimeErrors } from "../fit/downtime_errors.ts";
import type { MigrationRun } from "../data/types.ts";

interface Job {
  runs: MigrationRun[];
  folds?: number;
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

self.onmessage = (event: MessageEvent<Job>) => {
  const { runs, folds, control, data } = event.data;
  const state = new Int32Array(control);
  Atomics.store(state, 2, 1);
  let value: unknown;
  let code = 1;
  try {
    value = { rows: downtimeErrors(runs, folds === undefined ? {} : { folds }), failed: null };
  } catch (error) {
    if (error instanceof RangeError) value = { rows: {}, failed: error.message };
    else {
      code = 2;
      value = error instanceof Error ? error.message : String(error);
    }
  }
  const bytes = serialize(value);
  if (bytes.length > data.byteLength) data.grow(bytes.length);
  new Uint8Array(data).set(bytes);
  Atomics.store(state, 1, bytes.length);
  Atomics.store(state, 0, code);
  Atomics.notify(state, 0);
};
