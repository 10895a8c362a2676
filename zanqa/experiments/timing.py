"""Latency statistics shared by the benchmarks and the load test."""

from __future__ import annotations

import numpy as np


def stats_ms(samples_s: list[float]) -> dict:
    """min / median / p95 / p99 / mean in milliseconds (None for no samples)."""
    if not len(samples_s):
        return {"n": 0, **dict.fromkeys(("min", "median", "p95", "p99", "mean"))}
    ms = np.asarray(samples_s, dtype=np.float64) * 1000.0
    return {
        "n": int(ms.size),
        "min": round(float(ms.min()), 3),
        "median": round(float(np.median(ms)), 3),
        "p95": round(float(np.percentile(ms, 95)), 3),
        "p99": round(float(np.percentile(ms, 99)), 3),
        "mean": round(float(ms.mean()), 3),
    }
