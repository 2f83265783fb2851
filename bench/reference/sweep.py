"""Reference for the `sweep` case: Xen pre-copy over a grid, vectorised with numpy.

The rounds run as masked array steps, the way a numpy user would write the
paper's recurrence (section 4.1): one array operation per round over the
configurations still iterating, compressed as they stop. There is no Python
loop over configurations, only over rounds (at most maxIterations).

Usage: python3 sweep.py SPEC.json OUT_DIR
SPEC holds the grid axes and options; OUT_DIR receives the result columns as
raw little-endian float64/uint32/uint8 files and timing.json.
"""

import json
import sys
import time

import numpy as np


def xen_grid(memory, wss, dirty_pages, bandwidth, page, max_iterations, max_factor, min_pages):
    """The model over the Cartesian product, memory slowest and page size fastest."""
    m, w, d, b, p = (a.ravel() for a in np.meshgrid(memory, wss, dirty_pages, bandwidth, page, indexing="ij"))
    return xen_columns(m, w, d, b, p, max_iterations, max_factor, min_pages)


def xen_columns(m, w, d, b, p, max_iterations=30, max_factor=3.0, min_pages=50.0):
    """Equations (1)-(2) with the three stop conditions, over columns of configurations.

    Returns T_pre (seconds), the stop-and-copy time, bytes sent, rounds and the
    stop code (0 transfer limit, 1 few dirty pages, 2 max iterations).
    """
    n = m.size
    limit = max_factor * m
    min_dirty = min_pages * p
    rate = p * d
    time_s = np.zeros(n)
    sent = np.zeros(n)
    iterations = np.zeros(n, dtype=np.uint32)
    code = np.zeros(n, dtype=np.uint8)
    last = np.zeros(n)
    # Columns of the configurations still iterating.
    idx = np.arange(n)
    t_a = np.zeros(n)
    s_a = np.zeros(n)
    round_bytes = m
    w_a, b_a, rate_a, limit_a, min_a = w, b, rate, limit, min_dirty
    for i in range(1, max_iterations + 1):
        seconds = round_bytes / b_a
        t_a += seconds
        s_a += round_bytes
        dirty = np.minimum(w_a, rate_a * seconds)
        over = s_a > limit_a
        few = ~over & (dirty < min_a)
        if i >= max_iterations:
            stop = np.ones(idx.size, dtype=bool)
        else:
            stop = over | few
        done = idx[stop]
        time_s[done] = t_a[stop]
        sent[done] = s_a[stop]
        iterations[done] = i
        code[done] = np.where(over[stop], 0, np.where(few[stop], 1, 2))
        last[done] = dirty[stop]
        keep = ~stop
        if not keep.any():
            break
        idx, t_a, s_a, round_bytes = idx[keep], t_a[keep], s_a[keep], dirty[keep]
        w_a, b_a, rate_a, limit_a, min_a = w_a[keep], b_a[keep], rate_a[keep], limit_a[keep], min_a[keep]
    downtime = last / b
    return time_s, downtime, sent, iterations, code


def main():
    spec_path, out_dir = sys.argv[1], sys.argv[2]
    with open(spec_path) as f:
        spec = json.load(f)
    axes = [np.asarray(spec["grid"][k], dtype=np.float64) for k in
            ("memoryBytes", "wssBytes", "dirtyPagesPerSecond", "bandwidthBytesPerSecond", "pageBytes")]
    opts = spec["options"]
    args = (*axes, opts["maxIterations"], opts["maxTransferFactor"], opts["minDirtyPages"])
    seconds = []
    for _ in range(spec["warmup"]):
        xen_grid(*args)
    for _ in range(spec["repeats"]):
        start = time.perf_counter()
        result = xen_grid(*args)
        seconds.append(time.perf_counter() - start)
    names = ("precopyTimeSeconds", "downtimeSeconds", "transferredBytes", "iterations", "stopCode")
    for name, column in zip(names, result):
        column.tofile(f"{out_dir}/{name}.bin")
    with open(f"{out_dir}/timing.json", "w") as f:
        json.dump({"seconds": seconds, "numpy": np.__version__}, f)


if __name__ == "__main__":
    main()
