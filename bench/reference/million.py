"""Reference for the `load-1m` and `fit-1m` cases, one run per process.

`load`: pandas.read_csv of the file plus the run schema's checks (load.py's
`load`), then a checksum of every column. `fit`: the same read, then the
completed runs' contention bandwidths by scipy.optimize.least_squares on
ln(measured / estimated) (fit.py's objective: one B per contention group,
KVM post-copy T = M/B, Xen pre-copy rounds vectorised as in sweep.py).

The process's wall time is measured from outside; this script writes what
it computed and its peak resident memory (VmHWM, kB) to OUT.json.

Usage: python3 million.py load|fit CSV OUT.json
"""

import json
import sys
import time

start = time.perf_counter()

import numpy as np  # noqa: E402
from scipy.optimize import least_squares  # noqa: E402

from load import load  # noqa: E402
from sweep import xen_columns  # noqa: E402


def peak_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def checksums(columns, labels):
    """Sum and count of each numeric column (finite values) and each label's count."""
    out = {}
    for name, values in columns.items():
        finite = values[np.isfinite(values)]
        out[name] = [float(np.sum(finite)), int(finite.size)]
    for name, values in labels.items():
        counts = {}
        for v in values:
            counts[str(v)] = counts.get(str(v), 0) + 1
        out[name] = counts
    return out


def fit(columns, labels):
    status = np.asarray(labels["status"])
    keep = status == "completed"
    groups = sorted(set(np.asarray(labels["contention"])[keep].tolist()))
    group = np.searchsorted(groups, np.asarray(labels["contention"])[keep])
    xen = np.asarray(labels["method"])[keep] == "xen-precopy"
    m, w, d, p, t = (columns[k][keep] for k in
                     ("memoryBytes", "wssBytes", "dirtyPagesPerSecond", "pageBytes", "migrationTimeSeconds"))
    log_t = np.log(t)
    mx, wx, dx, px = m[xen], w[xen], d[xen], p[xen]

    def residuals(x):
        b = np.exp(x)[group]
        estimate = m / b  # KVM post-copy, switching at once
        estimate[xen] = xen_columns(mx, wx, dx, b[xen], px)[0]
        return log_t - np.log(estimate)

    x0 = np.full(len(groups), np.log(np.median(m / t)))
    solution = least_squares(residuals, x0)
    return dict(zip(groups, np.exp(solution.x).tolist())), int(solution.nfev), int(keep.sum())


def main():
    mode, path, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
    columns, labels = load(path)
    loaded = time.perf_counter()
    result = {"mode": mode, "rows": len(labels["method"]), "load_seconds": loaded - start}
    if mode == "load":
        result["checksums"] = checksums(columns, labels)
    else:
        bandwidth, evaluations, used = fit(columns, labels)
        result.update(bandwidth=bandwidth, evaluations=evaluations, runs_used=used,
                      fit_seconds=time.perf_counter() - loaded)
    import pandas
    import scipy
    result.update(peak_kib=peak_kib(), pandas=pandas.__version__, scipy=scipy.__version__,
                  seconds_inside=time.perf_counter() - start)
    with open(out_path, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
