/**
 * The network of the collector's concurrent mode: one namespace per host,
 * joined by veth pairs to a bridge in a "switch" namespace. Each host's
 * uplink is a tbf on its own veth end (what it sends) and its downlink a tbf
 * on the switch's end of its veth (what the switch sends to it), so a
 * migration a→b crosses a's uplink and b's downlink and nothing else, as in
 * `simulatePlan`'s flow model.
 *
 * @module
 */

/** A host of the topology. */
export interface TopologyNode {
  /** Its name in the plan, e.g. `a`. */
  name: string;
  /** Its namespace. */
  namespace: string;
  /** Its address on the bridge. */
  address: string;
  /** Uplink rate, bytes/s. */
  uplinkBytesPerSecond: number;
  /** Downlink rate, bytes/s. */
  downlinkBytesPerSecond: number;
}

/** The topology: its hosts, every namespace and the commands that build it. */
export interface PlanTopology {
  /** The hosts, in the order given. */
  nodes: TopologyNode[];
  /** Every namespace, the switch's first. */
  namespaces: string[];
  /** The commands to run in order (`ip`, `tc`). */
  commands: string[][];
  /** The tc qdisc every veth end gets, with `<rate>` for its rate. */
  tcCommand: string;
}

/** Options for {@linkcode planTopology}. */
export interface PlanTopologyOptions {
  /**
   * Prefix of the namespace names (`<prefix>sw`, `<prefix>n0`, ...).
   *
   * @default {`lmc${Deno.pid}`}
   */
  prefix?: string;
  /**
   * Uplink and downlink rate of every host, bytes/s.
   *
   * @default {12.5e6 (100 Mbit/s)}
   */
  rateBytesPerSecond?: number;
}

/** tbf as the two-namespace link: a 256 KiB bucket and a 50 ms queue. */
const TBF = ["burst", "256kb", "latency", "50ms"];

/**
 * The commands that build the topology for `nodes` (at most 9 hosts), with
 * the names and addresses of each host.
 *
 * @param nodes Host names, e.g. `["a", "b", "c"]`.
 * @param options See {@linkcode PlanTopologyOptions}.
 * @returns The hosts, the namespaces and the commands.
 * @throws {RangeError} If there are fewer than 2 or more than 9 hosts, a name
 * repeats, or the rate is not a positive finite number.
 *
 * @example Host a's uplink is shaped on its veth, its downlink on the switch's end
 * ```ts
 * import { planTopology } from "./plan_topology.ts";
 * import assert from "node:assert/strict";
 *
 * const t = planTopology(["a", "b"], { prefix: "lmc7", rateBytesPerSecond: 12.5e6 });
 * assert.deepEqual(t.namespaces, ["lmc7sw", "lmc7n0", "lmc7n1"]);
 * assert.equal(t.nodes[1]?.address, "10.78.0.2");
 * const shaping = t.commands.filter((c) => c.includes("tbf")).map((c) => c.slice(3, 8).join(" "));
 * assert.deepEqual(shaping, [
 *   "lmc7n0 tc qdisc add dev",
 *   "lmc7sw tc qdisc add dev",
 *   "lmc7n1 tc qdisc add dev",
 *   "lmc7sw tc qdisc add dev",
 * ]);
 * assert.ok(t.commands.every((c) => !c.includes("tbf") || c.includes("100000000bit")));
 * ```
 */
export function planTopology(
  nodes: readonly string[],
  options: PlanTopologyOptions = {},
): PlanTopology {
  const { prefix = `lmc${Deno.pid}`, rateBytesPerSecond = 12.5e6 } = options;
  if (nodes.length < 2 || nodes.length > 9 || new Set(nodes).size !== nodes.length) {
    throw new RangeError(
      `planTopology: invalid nodes, expected 2-9 distinct names (got ${JSON.stringify(nodes)})`,
    );
  }
  if (!Number.isFinite(rateBytesPerSecond) || rateBytesPerSecond <= 0) {
    throw new RangeError(
      `planTopology: invalid rateBytesPerSecond, expected bytes/s > 0 (got ${rateBytesPerSecond})`,
    );
  }
  const sw = `${prefix}sw`;
  const rate = `${Math.round(rateBytesPerSecond * 8)}bit`;
  const tbf = (ns: string, dev: string) => [
    ..."ip netns exec".split(" "),
    ns,
    ..."tc qdisc add dev".split(" "),
    dev,
    "root",
    "tbf",
    "rate",
    rate,
    ...TBF,
  ];
  const commands: string[][] = [
    ["ip", "netns", "add", sw],
    ["ip", "-n", sw, "link", "set", "lo", "up"],
    ["ip", "-n", sw, "link", "add", "br0", "type", "bridge"],
    ["ip", "-n", sw, "link", "set", "br0", "up"],
  ];
  const topologyNodes = nodes.map((name, i): TopologyNode => {
    const ns = `${prefix}n${i}`;
    const address = `10.78.0.${i + 1}`;
    const port = `s${i}`;
    commands.push(
      ["ip", "netns", "add", ns],
      ["ip", "-n", ns, "link", "set", "lo", "up"],
      // deno-fmt-ignore
      ["ip", "link", "add", `${ns}v`, "netns", ns, "type", "veth", "peer", "name", port, "netns", sw],
      ["ip", "-n", ns, "addr", "add", `${address}/24`, "dev", `${ns}v`],
      ["ip", "-n", ns, "link", "set", `${ns}v`, "up"],
      ["ip", "-n", sw, "link", "set", port, "master", "br0"],
      ["ip", "-n", sw, "link", "set", port, "up"],
      tbf(ns, `${ns}v`),
      tbf(sw, port),
    );
    return {
      name,
      namespace: ns,
      address,
      uplinkBytesPerSecond: rateBytesPerSecond,
      downlinkBytesPerSecond: rateBytesPerSecond,
    };
  });
  return {
    nodes: topologyNodes,
    namespaces: [sw, ...topologyNodes.map((n) => n.namespace)],
    commands,
    tcCommand: `tc qdisc add dev <veth> root tbf rate <rate> ${TBF.join(" ")}` +
      " (each host's veth: uplink; the switch's end: downlink)",
  };
}
