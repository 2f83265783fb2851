import assert from "node:assert/strict";
import { guestProgress } from "../models/guest_progress.ts";
import { CONTENTIONS, methodLabel, METHODS, POSTCOPY_SWITCHES } from "./vocabulary.ts";

Deno.test("METHODS names each method and label once, in the figures' order", () => {
  assert.deepEqual(METHODS.map((m) => m.name), [
    "xen-precopy",
    "xen-precopy-policy",
    "kvm-precopy",
    "kvm-postcopy",
  ]);
  assert.equal(new Set(METHODS.map((m) => m.label)).size, METHODS.length);
});

Deno.test("METHODS estimates each paper method with the model of its own name", () => {
  for (const m of METHODS.filter((m) => m.paper)) assert.equal(m.model, m.name);
  const policy = METHODS.filter((m) => !m.paper);
  assert.deepEqual(policy.map((m) => [m.name, m.model]), [["xen-precopy-policy", "xen-precopy"]]);
});

Deno.test("METHODS names only models that the models accept", () => {
  const input = {
    memoryBytes: 2 ** 30,
    wssBytes: 2 ** 26,
    dirtyPagesPerSecond: 100,
    bandwidthBytesPerSecond: 125e6,
  };
  for (const m of METHODS) {
    const { progressRatio } = guestProgress(m.model, input);
    assert.equal(progressRatio, 1, m.name);
  }
});

Deno.test("CONTENTIONS names the paper's four scenarios with distinct labels", () => {
  assert.deepEqual(CONTENTIONS, [
    { name: "none", label: "no contention" },
    { name: "cpu", label: "CPU" },
    { name: "network", label: "network" },
    { name: "memory", label: "memory" },
  ]);
});

Deno.test("POSTCOPY_SWITCHES are the collector's two switches, distinct", () => {
  assert.equal(new Set(POSTCOPY_SWITCHES).size, 2);
  assert.ok(POSTCOPY_SWITCHES.includes("immediate"));
  assert.ok(POSTCOPY_SWITCHES.includes("after-first-pass"));
});

Deno.test("methodLabel() gives each method's label and leaves other text as it is", () => {
  for (const m of METHODS) assert.equal(methodLabel(m.name), m.label);
  assert.equal(methodLabel("xen-precopy"), "Xen pre-copy");
  assert.equal(methodLabel("kvm-precopy"), "KVM pre-copy");
  // A contention name is not a method: its own text, not the contention's label.
  assert.equal(methodLabel("none"), "none");
  assert.equal(methodLabel(""), "");
  assert.equal(methodLabel("KVM-PRECOPY"), "KVM-PRECOPY");
});
