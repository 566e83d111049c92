"""Helpers for the benchmarks, which run on their own (`make bench`) and print figures next to PRODUCT.md §9."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def report(name: str, samples: Sequence[float], budget: float, unit: str = "s") -> str:
    """Print one line: median, min, max against the budget; returns the line."""
    median = statistics.median(samples)
    verdict = "within budget" if median <= budget else "OVER BUDGET"
    line = (f"BENCH {name}: median {median:.3f} {unit} (min {min(samples):.3f}, max {max(samples):.3f}, "
            f"n={len(samples)}) budget {budget} {unit} — {verdict}")
    print(line)
    return line
