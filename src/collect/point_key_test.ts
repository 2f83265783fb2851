import assert from "node:assert/strict";
import { pointKey } from "./point_key.ts";
import type { GridPoint } from "./types.ts";

const POINT: GridPoint = {
  method: "kvm-precopy",
  contention: "cpu",
  wss: 2 ** 28,
  dirtyPagesPerSecond: 5120,
  run: 2,
};

Deno.test("pointKey() of a planned point lists its coordinates", () => {
  assert.equal(pointKey(POINT), "kvm-precopy|cpu|268435456|5120|2");
  assert.equal(pointKey({ ...POINT, wss: "full" }), "kvm-precopy|cpu|full|5120|2");
  assert.equal(
    pointKey({ ...POINT, downtimeLimitSeconds: 0.3 }),
    "kvm-precopy|cpu|268435456|5120|2|limit=0.3",
  );
});

Deno.test("pointKey() of a runs.csv row reads its text cells as numbers", () => {
  const row = {
    method: "kvm-precopy",
    contention: "cpu",
    requested_wss: "268435456",
    requested_dirty_pages_per_second: "5120.0",
    run: "02",
    downtime_limit_seconds: "0.30",
  };
  assert.equal(pointKey(row), pointKey(POINT));
  assert.equal(
    pointKey(row, { downtimeLimit: true }),
    "kvm-precopy|cpu|268435456|5120|2|limit=0.3",
  );
});

Deno.test("pointKey() tells points apart by every coordinate", () => {
  const keys = new Set([
    pointKey(POINT),
    pointKey({ ...POINT, method: "kvm-postcopy" }),
    pointKey({ ...POINT, contention: "none" }),
    pointKey({ ...POINT, wss: 2 ** 27 }),
    pointKey({ ...POINT, dirtyPagesPerSecond: 1024 }),
    pointKey({ ...POINT, run: 1 }),
    pointKey({ ...POINT, downtimeLimitSeconds: 1.2 }),
  ]);
  assert.equal(keys.size, 7);
});
