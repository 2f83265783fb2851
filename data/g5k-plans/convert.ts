// Converts the Grid'5000 plans of Kherbache's thesis (the project's copy in
// ../shared/g5k-plans: migrations.csv and raw/topology.xml) into the plan
// tables of this folder. Run from the repository root:
//   deno run --allow-read --allow-write data/g5k-plans/convert.ts ../shared/g5k-plans
// Units: the source's MB and MB/s are taken as 10^6 bytes (see README.md).

const source = Deno.args[0] ?? "../shared/g5k-plans";
const out = new URL(".", import.meta.url).pathname;
const PAGE_BYTES = 4096;

function csv(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const names = head!.split(",");
  return lines.map((line) => {
    const cells = line.split(",");
    if (cells.length !== names.length) throw new SyntaxError(`convert: bad line ${line}`);
    return Object.fromEntries(names.map((n, i) => [n, cells[i]!]));
  });
}

// Topology: hosts in "node id #k" order, each on one full-duplex link.
const xml = await Deno.readTextFile(`${source}/raw/topology.xml`);
const hosts = [...xml.matchAll(/node id #(\d+) -->\s*<host id="(\w+)"/g)].map((m) => ({
  node: m[1]!,
  host: m[2]!,
}));
const links = new Map(
  [...xml.matchAll(/<link id="(\w+)link"\s+bandwidth="(\d+)"/g)].map((m) => [m[1]!, Number(m[2])]),
);
const nodeRows = hosts.map(({ node, host }) => {
  const bps = links.get(host);
  if (bps === undefined) throw new SyntaxError(`convert: no link for host ${host}`);
  return [node, host, bps, bps].join(",");
});
await Deno.writeTextFile(
  `${out}/nodes.csv`,
  ["node,host,uplink_bytes_per_second,downlink_bytes_per_second", ...nodeRows, ""].join("\n"),
);

const rows = csv(await Deno.readTextFile(`${source}/migrations.csv`));
rows.sort((a, b) =>
  Number(a.scenario_id) - Number(b.scenario_id) || Number(a.repetition) - Number(b.repetition) ||
  Number(a.rel_start_s) - Number(b.rel_start_s) || Number(a.vm) - Number(b.vm)
);
const header = [
  "plan",
  "id",
  "method",
  "memory_bytes",
  "wss_bytes",
  "dirty_pages_per_second",
  "source",
  "destination",
  "start_seconds",
  "migration_time_seconds",
  "scenario",
  "repetition",
  "mvm_planned_duration_seconds",
  "mvm_planned_start_seconds",
  "mvm_planned_bandwidth_bytes_per_second",
  "n_overlapping_migrations",
  "n_overlapping_sharing_src_or_dst_node",
  "n_running_at_start",
  "plan_makespan_measured_seconds",
];
const lines = rows.map((r) => {
  const mb = (name: string) => Number(r[name]) * 1e6;
  const coldBytesPerSecond = mb("dirty_rate_MB_per_s");
  return [
    `s${r.scenario_id}-r${r.repetition}`,
    `vm${r.vm}`,
    "kvm-precopy",
    mb("mem_used_MB"),
    mb("hot_dirty_size_MB"),
    coldBytesPerSecond / PAGE_BYTES,
    r.src_node,
    r.dst_node,
    r.rel_start_s,
    r.duration_s,
    r.scenario_id,
    r.repetition,
    r.model_planned_duration_s,
    r.model_planned_start_s,
    (Number(r.planned_bw_mbit_per_s) * 1e6) / 8,
    r.n_overlapping_migrations,
    r.n_overlapping_sharing_src_or_dst_node,
    r.n_running_at_start,
    r.plan_makespan_measured_s,
  ].join(",");
});
await Deno.writeTextFile(`${out}/migrations.csv`, [header.join(","), ...lines, ""].join("\n"));
console.log(`${lines.length} migrations, ${nodeRows.length} nodes -> ${out}`);
