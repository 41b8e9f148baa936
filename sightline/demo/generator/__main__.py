"""``python -m sightline.demo.generator``: generate a borough and print its counts and timing."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

from sightline.demo.generator.borough import generate_borough, write_truth


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic borough and report it.")
    parser.add_argument("--children", type=int, default=5000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--networks", type=int, default=None)
    parser.add_argument("--truth", type=Path, default=None, help="write the ground truth here")
    parser.add_argument(
        "--independent-details",
        action="store_true",
        help="draw each mention of a network adult independently (before ADR 0212)",
    )
    args = parser.parse_args(argv)
    began = time.perf_counter()
    borough = generate_borough(
        children=args.children,
        years=args.years,
        seed=args.seed,
        networks=args.networks,
        persona=not args.independent_details,
    )
    elapsed = time.perf_counter() - began
    counts = borough.truth["counts"]
    print(json.dumps(counts, indent=1, sort_keys=True))
    print(f"referrals per child: {counts['referrals'] / max(1, counts['children']):.2f}")
    print(f"generated in {elapsed:.2f}s")
    if args.truth is not None:
        write_truth(borough, args.truth)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
