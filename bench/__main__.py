"""Run every benchmark and print its figures: ``python -m bench [name ...]``."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ["qa_core", "qa_throughput", "passages", "first_contact", "reports", "aggregation",
              "nudges", "instances", "webapp"]


def main(names: list[str]) -> None:
    for name in names or BENCHMARKS:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}")
        for key, value in module.run().items():
            print(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}")


if __name__ == "__main__":
    main(sys.argv[1:])
