"""Reference for the `fit` case: contention factors by scipy.optimize.least_squares.

The objective of fitContention (issue 5) with its defaults: one bandwidth per
contention group, B_g = B * factor_g, least squares on ln(measured / estimated)
time, the estimate from the run's model (Xen pre-copy rounds, vectorised as in
sweep.py; KVM post-copy T = M/B). Parameters are ln B_g; the factors are
B_g / B_baseline. Finite-difference Jacobian (least_squares' default).

Usage: python3 fit.py SPEC.json OUT_DIR
"""

import json
import sys
import time

import numpy as np
from scipy.optimize import least_squares

from sweep import xen_columns


def fit(columns, groups):
    m, w, d, p, t = (np.asarray(columns[k], dtype=np.float64) for k in
                     ("memoryBytes", "wssBytes", "dirtyPagesPerSecond", "pageBytes", "migrationTimeSeconds"))
    group = np.asarray(columns["group"], dtype=np.int64)
    xen = np.asarray(columns["method"]) == "xen-precopy"
    log_t = np.log(t)

    def residuals(x):
        b = np.exp(x)[group]
        estimate = m / b  # KVM post-copy, switching at once
        estimate[xen] = xen_columns(m[xen], w[xen], d[xen], b[xen], p[xen])[0]
        return log_t - np.log(estimate)

    x0 = np.full(len(groups), np.log(np.median(m / t)))
    solution = least_squares(residuals, x0)
    bandwidth = np.exp(solution.x)
    return bandwidth, solution


def main():
    spec_path, out_dir = sys.argv[1], sys.argv[2]
    with open(spec_path) as f:
        spec = json.load(f)
    groups = spec["groups"]
    for _ in range(spec["warmup"]):
        fit(spec["columns"], groups)
    seconds = []
    for _ in range(spec["repeats"]):
        start = time.perf_counter()
        bandwidth, solution = fit(spec["columns"], groups)
        seconds.append(time.perf_counter() - start)
    with open(f"{out_dir}/timing.json", "w") as f:
        json.dump({
            "seconds": seconds,
            "bandwidth": dict(zip(groups, bandwidth.tolist())),
            "evaluations": int(solution.nfev),
            "status": int(solution.status),
            "scipy": __import__("scipy").__version__,
        }, f)


if __name__ == "__main__":
    main()
