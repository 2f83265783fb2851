"""Reference for the `load` case: pandas.read_csv plus the run schema's checks.

What loadRuns (issue 4) does, the way a pandas user would write it: read the
CSV, turn WSS "full" into the memory size, check every numeric column is a
finite number in range, W <= M, integer page sizes, fill defaults (page size
4096, status "completed"), and raise with every problem found.

Usage: python3 load.py SPEC.json OUT_DIR
"""

import json
import sys
import time

import numpy as np
import pandas as pd

REQUIRED = ["method", "contention", "memory_bytes", "wss_bytes", "dirty_pages_per_second",
            "migration_time_seconds"]
NUMERIC = {  # column: (field, positive)
    "memory_bytes": ("memoryBytes", True),
    "wss_bytes": ("wssBytes", False),
    "dirty_pages_per_second": ("dirtyPagesPerSecond", False),
    "page_bytes": ("pageBytes", True),
    "link_bandwidth_bytes_per_second": ("linkBandwidthBytesPerSecond", True),
    "migration_time_seconds": ("migrationTimeSeconds", False),
    "downtime_seconds": ("downtimeSeconds", False),
    "transferred_bytes": ("transferredBytes", False),
    "iterations": ("iterations", False),
    "run": ("run", False),
}
INTEGER = {"page_bytes", "iterations", "run"}


def load(path):
    frame = pd.read_csv(path, dtype={"wss_bytes": str, "method": str, "contention": str, "status": str})
    problems = []
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(f"missing columns {missing}")
    if frame.columns.duplicated().any():
        raise ValueError("duplicate header")
    wss = frame["wss_bytes"]
    full = wss.str.lower().eq("full")
    frame["wss_bytes"] = pd.to_numeric(wss.where(~full, frame["memory_bytes"].astype(str)), errors="coerce")
    if "page_bytes" not in frame.columns:
        frame["page_bytes"] = 4096.0
    if "status" not in frame.columns:
        frame["status"] = "completed"
    frame["status"] = frame["status"].fillna("completed")
    out = {}
    for column, (field, positive) in NUMERIC.items():
        if column not in frame.columns:
            out[field] = np.full(len(frame), np.nan)
            continue
        values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=np.float64)
        required = column in REQUIRED or column == "page_bytes"
        absent = frame[column].isna().to_numpy()
        bad = ~np.isfinite(values) & ~(absent & ~required)
        bad |= (values <= 0) if positive else (values < 0)
        if column in INTEGER:
            bad |= np.isfinite(values) & (values != np.floor(values))
        for row in np.flatnonzero(bad)[:20]:
            problems.append(f"line {row + 2}, column {column}: {frame[column].iloc[row]!r}")
        out[field] = values
    over = out["wssBytes"] > out["memoryBytes"]
    for row in np.flatnonzero(over)[:20]:
        problems.append(f"line {row + 2}: wss_bytes > memory_bytes")
    for column in ("method", "contention"):
        empty = frame[column].isna().to_numpy()
        for row in np.flatnonzero(empty)[:20]:
            problems.append(f"line {row + 2}, column {column}: empty")
    if problems:
        raise ValueError("; ".join(problems[:100]))
    labels = {c: frame[c].tolist() for c in ("method", "contention", "status")}
    return out, labels


def main():
    spec_path, out_dir = sys.argv[1], sys.argv[2]
    with open(spec_path) as f:
        spec = json.load(f)
    for _ in range(spec["warmup"]):
        load(spec["path"])
    seconds = []
    for _ in range(spec["repeats"]):
        start = time.perf_counter()
        columns, labels = load(spec["path"])
        seconds.append(time.perf_counter() - start)
    for name, values in columns.items():
        values.tofile(f"{out_dir}/{name}.bin")
    with open(f"{out_dir}/labels.json", "w") as f:
        json.dump(labels, f)
    with open(f"{out_dir}/timing.json", "w") as f:
        json.dump({"seconds": seconds, "pandas": pd.__version__}, f)


if __name__ == "__main__":
    main()
