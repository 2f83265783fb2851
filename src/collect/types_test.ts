import assert from "node:assert/strict";
import { CONTENTIONS, METHODS } from "../data/vocabulary.ts";
import { COLLECT_CONTENTIONS, COLLECT_METHODS } from "./types.ts";

Deno.test("COLLECT_METHODS are every known method but Xen's own pre-copy, each once", () => {
  assert.deepEqual(COLLECT_METHODS, ["kvm-precopy", "kvm-postcopy", "xen-precopy-policy"]);
  assert.deepEqual(
    [...COLLECT_METHODS].sort(),
    METHODS.map((m) => m.name).filter((name) => name !== "xen-precopy").sort(),
  );
});

Deno.test("COLLECT_CONTENTIONS are the vocabulary's scenarios in the paper's order", () => {
  assert.deepEqual(COLLECT_CONTENTIONS, CONTENTIONS.map((c) => c.name));
  assert.deepEqual(COLLECT_CONTENTIONS, ["none", "cpu", "network", "memory"]);
});
