import assert from "node:assert/strict";
import { planTopology } from "./plan_topology.ts";

Deno.test("planTopology() joins every host to the switch's bridge and shapes both directions", () => {
  const t = planTopology(["a", "b", "c"], { prefix: "lmc42", rateBytesPerSecond: 25e6 });
  assert.deepEqual(t.namespaces, ["lmc42sw", "lmc42n0", "lmc42n1", "lmc42n2"]);
  assert.deepEqual(t.nodes.map((n) => [n.name, n.namespace, n.address]), [
    ["a", "lmc42n0", "10.78.0.1"],
    ["b", "lmc42n1", "10.78.0.2"],
    ["c", "lmc42n2", "10.78.0.3"],
  ]);
  const tbf = t.commands.filter((c) => c.includes("tbf"));
  // One uplink (the host's veth) and one downlink (the switch's end) per host, at the rate.
  assert.deepEqual(tbf.map((c) => `${c[3]} ${c[8]}`), [
    "lmc42n0 lmc42n0v",
    "lmc42sw s0",
    "lmc42n1 lmc42n1v",
    "lmc42sw s1",
    "lmc42n2 lmc42n2v",
    "lmc42sw s2",
  ]);
  assert.ok(tbf.every((c) => c[c.indexOf("rate") + 1] === "200000000bit"));
  const enslaved = t.commands.filter((c) => c.includes("master")).map((c) => c[5]);
  assert.deepEqual(enslaved, ["s0", "s1", "s2"]);
  // Namespaces are created before anything runs in them.
  for (const ns of t.namespaces) {
    const add = t.commands.findIndex((c) => c.join(" ") === `ip netns add ${ns}`);
    const use = t.commands.findIndex((c) => c.includes(ns) && c[1] !== "netns");
    assert.ok(add >= 0 && add < use, ns);
  }
  // Interface names fit Linux's 15 characters even with a 7-digit pid.
  const long = planTopology(["a", "b"], { prefix: "lmc4194304" });
  assert.ok(long.commands.flat().every((word) => !/^lmc\d+n\dv$/.test(word) || word.length <= 15));
});

Deno.test("planTopology() throws RangeError for bad hosts or rates", () => {
  assert.throws(() => planTopology(["a"]), /invalid nodes/);
  assert.throws(() => planTopology(["a", "a"]), /invalid nodes/);
  assert.throws(() => planTopology(["a", "b"], { rateBytesPerSecond: 0 }), /rateBytesPerSecond/);
});
