"""Reference for the `plans` case: the event loop of simulatePlan in plain Python.

The same algorithm as src/plans (_run_plan.ts, _flows.ts, _round_rules.ts),
written as a Python programmer would: a heapq of events, lists for the
flows on each link, and max-min fair rates by progressive filling,
re-solved on the part of the network a migration joining or leaving
touches. There is nothing to vectorise: each event depends on the last.

Usage: python3 plans.py SPEC.json OUT_DIR
SPEC holds the plan (nodes, migrations), the parameters and the model
options; OUT_DIR receives endSeconds.bin and transferredBytes.bin (raw
little-endian float64, in the plan's order) and timing.json.
"""

import heapq
import json
import math
import sys
import time
from array import array

PAGE = 4096
CHUNK_END, DEADLINE, SETUP_END = 0, 1, 2
RATE_TOLERANCE = 1e-12  # a rate that changed only by rounding is kept
KVM_PRE, XEN_PRE, KVM_POST = 0, 1, 2
METHODS = {"kvm-precopy": KVM_PRE, "xen-precopy": XEN_PRE, "kvm-postcopy": KVM_POST}


def link_class(bps):
    return f"{float(f'{bps * 8 / 1e6:.12g}'):g} Mbit/s"


def compile_plan(plan, options):
    names = list(plan["nodes"])
    index = {name: i for i, name in enumerate(names)}
    nominal, klass = [], []
    for name in names:
        node = plan["nodes"][name]
        for bps in (node["uplinkBytesPerSecond"], node["downlinkBytesPerSecond"]):
            nominal.append(bps)
            klass.append(link_class(bps))
    kvm = {"downtimeLimitSeconds": 0.3, "timeoutSeconds": 600, "maxIterations": 10000, **options.get("kvmPrecopy", {})}
    xen = {"maxIterations": 30, "maxTransferFactor": 3, "minDirtyPages": 50, **options.get("xenPrecopy", {})}
    post = {"precopyPasses": 0, **options.get("kvmPostcopy", {})}
    migrations = []
    for m in plan["migrations"]:
        method = METHODS[m["method"]]
        migrations.append({
            "method": method,
            "m": m["memoryBytes"],
            "w": m["wssBytes"],
            "rate": m["dirtyPagesPerSecond"] * PAGE,
            "limit": kvm["downtimeLimitSeconds"],
            "timeout": kvm["timeoutSeconds"],
            "max_iter": kvm["maxIterations"] if method == KVM_PRE else xen["maxIterations"] if method == XEN_PRE else 1,
            "factor": xen["maxTransferFactor"],
            "min_dirty": xen["minDirtyPages"] * PAGE,
            "passes": post["precopyPasses"],
            "up": 2 * index[m["source"]],
            "down": 2 * index[m["destination"]] + 1,
            "start": m["startSeconds"],
        })
    return nominal, klass, migrations


def first_chunk(r, rate):
    if r["method"] == KVM_PRE:
        return r["m"], r["m"] <= r["limit"] * rate
    if r["method"] == XEN_PRE:
        return r["m"], False
    return r["m"], r["passes"] == 0


def after_round(r, iterations, sent, seconds, rate):
    dirty = min(r["w"], r["rate"] * seconds)
    if r["method"] == KVM_PRE:
        if dirty <= r["limit"] * rate:
            return dirty, True
        if iterations >= r["max_iter"]:
            return None
        return dirty, False
    if r["method"] == XEN_PRE:
        stop = sent > r["factor"] * r["m"] or dirty < r["min_dirty"] or iterations >= r["max_iter"]
        return dirty, stop
    return dirty, True


class Network:
    """Links, the flows on each, and max-min fair rates by progressive filling."""

    def __init__(self, capacity, up, down):
        self.capacity = capacity
        self.flows_on = [[] for _ in capacity]
        self.up, self.down = up, down
        self.pos_up = [0] * len(up)
        self.pos_down = [0] * len(up)
        self.solved = [0.0] * len(up)

    def add(self, f):
        a = self.flows_on[self.up[f]]
        self.pos_up[f] = len(a)
        a.append(f)
        b = self.flows_on[self.down[f]]
        self.pos_down[f] = len(b)
        b.append(f)

    def _detach(self, link, pos):
        flows = self.flows_on[link]
        last = flows.pop()
        if pos < len(flows):
            flows[pos] = last
            if self.up[last] == link:
                self.pos_up[last] = pos
            else:
                self.pos_down[last] = pos

    def remove(self, f):
        self._detach(self.up[f], self.pos_up[f])
        self._detach(self.down[f], self.pos_down[f])

    def solve_around(self, seeds):
        seen_links, stack = set(), []
        for seed in seeds:
            if seed not in seen_links:
                seen_links.add(seed)
                stack.append(seed)
        links, flows, seen_flows = [], [], set()
        while stack:
            link = stack.pop()
            links.append(link)
            for f in self.flows_on[link]:
                if f in seen_flows:
                    continue
                seen_flows.add(f)
                flows.append(f)
                other = self.down[f] if self.up[f] == link else self.up[f]
                if other not in seen_links:
                    seen_links.add(other)
                    stack.append(other)
        residual = {l: self.capacity[l] for l in links}
        count = {l: len(self.flows_on[l]) for l in links}
        # Shares only grow as flows freeze elsewhere: heap keys are lower bounds.
        heap = [(residual[l] / count[l], l) for l in links if count[l] > 0]
        heapq.heapify(heap)
        frozen = set()
        last_share = 0.0
        while heap:
            key, link = heapq.heappop(heap)
            if count[link] == 0:
                continue
            current = residual[link] / count[link]
            if current > key:
                heapq.heappush(heap, (current, link))
                continue
            share = max(current, last_share)
            last_share = share
            for f in self.flows_on[link]:
                if f in frozen:
                    continue
                frozen.add(f)
                self.solved[f] = share
                other = self.down[f] if self.up[f] == link else self.up[f]
                residual[other] -= share
                count[other] -= 1
            count[link] = 0
        return flows


def simulate(plan, parameters, options):
    nominal, klass, rules = compile_plan(plan, options)
    fractions = parameters["linkFractions"]
    capacity = [bps * fractions[k] for bps, k in zip(nominal, klass)]
    overhead = parameters["overheadSeconds"]
    n = len(rules)
    net = Network(capacity, [r["up"] for r in rules], [r["down"] for r in rules])
    rate = [0.0] * n
    left = [0.0] * n
    last_t = [0.0] * n
    round_start = [0.0] * n
    chunk = [0.0] * n
    final = [False] * n
    sending = [False] * n
    iterations = [0] * n
    version = [0] * n
    end = [0.0] * n
    sent = [0.0] * n
    queue = []

    def reschedule(f, t):
        version[f] += 1
        heapq.heappush(queue, (t + left[f] / rate[f], CHUNK_END * n + f, version[f]))

    seeds = []
    joining = [False] * n

    def resolve(t):
        for g in net.solve_around(seeds):
            r = net.solved[g]
            if joining[g] or abs(r - rate[g]) <= RATE_TOLERANCE * r:
                continue
            left[g] = max(0.0, left[g] - rate[g] * (t - last_t[g]))
            last_t[g] = t
            rate[g] = r
            reschedule(g, t)
        seeds.clear()

    def finish(f, t):
        sending[f] = False
        version[f] += 1
        end[f] = t
        net.remove(f)
        seeds.extend((rules[f]["up"], rules[f]["down"]))
        resolve(t)

    def set_chunk(f, t, bytes_, is_final):
        chunk[f] = bytes_
        left[f] = bytes_
        final[f] = is_final
        round_start[f] = t
        last_t[f] = t
        if is_final and bytes_ <= 0:
            finish(f, t)
        else:
            reschedule(f, t)

    def join(batch, t):
        """Migrations that join at one time join together: one solve, then each one's first chunk."""
        for f in batch:
            sending[f] = True
            joining[f] = True
            net.add(f)
            seeds.extend((rules[f]["up"], rules[f]["down"]))
        resolve(t)
        for f in batch:
            joining[f] = False
            rate[f] = net.solved[f]
            if rules[f]["method"] == KVM_PRE:
                heapq.heappush(queue, (t + rules[f]["timeout"], DEADLINE * n + f, 0))
            set_chunk(f, t, *first_chunk(rules[f], rate[f]))

    order = sorted(range(n), key=lambda i: (rules[i]["start"], i))
    starts = [rules[i]["start"] for i in order] + [math.inf]
    k = 0
    while k < n or queue:
        if k < n and (not queue or starts[k] < queue[0][0]):
            t = starts[k]
            if overhead > 0:
                heapq.heappush(queue, (t + overhead, SETUP_END * n + order[k], 0))
                k += 1
                continue
            batch = []
            while starts[k] == t:
                batch.append(order[k])
                k += 1
            join(batch, t)
            continue
        t, code, ver = heapq.heappop(queue)
        kind, f = divmod(code, n)
        if kind == CHUNK_END:
            if ver != version[f] or not sending[f]:
                continue
            sent[f] += chunk[f]
            if final[f]:
                finish(f, t)
                continue
            iterations[f] += 1
            nxt = after_round(rules[f], iterations[f], sent[f], t - round_start[f], rate[f])
            if nxt is None:
                finish(f, t)
            else:
                set_chunk(f, t, *nxt)
        elif kind == DEADLINE:
            if not sending[f] or final[f]:
                continue
            unsent = max(0.0, left[f] - rate[f] * (t - last_t[f]))
            sent[f] += chunk[f] - unsent
            finish(f, t)
        else:
            batch = [f]
            while queue and queue[0][0] == t and queue[0][1] // n == SETUP_END:
                batch.append(heapq.heappop(queue)[1] - SETUP_END * n)
            join(batch, t)
    return end, sent


def main():
    spec_path, out_dir = sys.argv[1], sys.argv[2]
    with open(spec_path) as f:
        spec = json.load(f)
    args = (spec["plan"], spec["parameters"], spec["options"])
    for _ in range(spec["warmup"]):
        simulate(*args)
    seconds = []
    for _ in range(spec["repeats"]):
        start = time.perf_counter()
        result = simulate(*args)
        seconds.append(time.perf_counter() - start)
    for name, column in zip(("endSeconds", "transferredBytes"), result):
        with open(f"{out_dir}/{name}.bin", "wb") as f:
            array("d", column).tofile(f)
    with open(f"{out_dir}/timing.json", "w") as f:
        json.dump({"seconds": seconds, "python": sys.version.split()[0]}, f)


if __name__ == "__main__":
    main()
