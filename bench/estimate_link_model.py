"""Estimate the online linking model's m and u probabilities from synthetic boroughs.

    .venv/bin/python bench/estimate_link_model.py [--seeds 101-120] [--write]

The partnership's own data, with labels: the synthetic boroughs' ground truth says which
person mentions are one planted adult. Training seeds are kept apart from the linking
benchmark's (1 to 13 and 2026), so the benchmark measures the model on boroughs it did not see.

- m: for each planted adult's second and later mentions, in the order they arrive, the level
  each comparison lands on against the profile of that adult's earlier mentions (what online
  linking sees).
- u: for random pairs of a planted adult's mention and another person's (planted or
  ordinary), the level against a profile of the other mention alone.
- prior: the share of (mention, earlier person) pairs that are the same person, and
  prior_persons, the mean number of persons before each mention, the register size at which
  that prior holds (ADR 0216).
- context: a candidate already linked to a child on the referral, counted the same way.

A level seen fewer than MIN_SEEN times among the true pairs keeps its hand-set m0, and no u
falls below its hand-set u_min (what the training boroughs cannot show by chance).
With --write the result replaces
`sightline/intel/data/link_model.json` (keeping its hand-set entries: the floors of the term
frequencies, the damping of a first-name conflict when a strong identifier agrees, and the
context weights other than "child", each marked there).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

MODEL_PATH = ROOT / "sightline" / "intel" / "data" / "link_model.json"
U_PAIRS_PER_BOROUGH = 40_000
MIN_SEEN = 5


def _seeds(text: str) -> list[int]:
    if "-" in text:
        lo, hi = text.split("-")
        return list(range(int(lo), int(hi) + 1))
    return [int(s) for s in text.split(",") if s.strip()]


def _features(person: Any, year: int) -> Any:
    from sightline.intel.resolution import PersonFeatures

    return PersonFeatures.from_named(
        name=person.name,
        nickname=person.nickname,
        approximate_age=person.approximate_age,
        year=year,
        phone=person.phone,
        vehicle_registration=person.vehicle_registration,
        address=person.address,
        description=person.description,
    )


def count_borough(
    seed: int, m: dict[str, Counter[str]], u: dict[str, Counter[str]]
) -> tuple[int, int, int]:
    from sightline.demo.generator import generate_borough
    from sightline.intel.resolution import Profile, comparison_levels

    borough = generate_borough(children=300, years=2, seed=seed, networks=2)
    mentions: list[tuple[str, Any, Any, frozenset[str]]] = []  # (who, features, ...)
    adult_of: dict[str, str] = {
        key: a["adult_key"]
        for n in borough.truth["networks"]
        for a in n["adults"]
        for key in a["mention_keys"]
    }
    for referral in sorted(borough.referrals, key=lambda r: r.received_at):
        for person in referral.persons_named:
            who = adult_of.get(person.mention_key, f"ordinary:{person.mention_key}")
            features = _features(person, referral.received_at.year)
            mentions.append((who, features, referral, frozenset(referral.child_keys)))
    # m: each planted adult's later mentions against their earlier ones
    earlier: dict[str, tuple[Any, set[str]]] = {}
    true_pairs = 0
    for who, features, _referral, children in mentions:
        if who in earlier:
            profile, seen_children = earlier[who]
            levels = comparison_levels(features, profile)
            for comparison, counts in m.items():
                if comparison != "context":
                    counts[levels.get(comparison, "null")] += 1
            m["context"]["child" if children & seen_children else "null"] += 1
            true_pairs += 1
        profile, seen_children = earlier.setdefault(who, (Profile(), set()))
        profile.add(features)
        seen_children |= children
    # u: random pairs of different people, one of them a planted adult (two ordinary mentions
    # may be one relative named twice, which the truth does not say)
    rng = random.Random(seed)
    planted = [x for x in mentions if not x[0].startswith("ordinary:")]
    for _ in range(U_PAIRS_PER_BOROUGH):
        (wa, fa, _ra, ca), (wb, fb, _rb, cb) = rng.choice(planted), rng.choice(mentions)
        if wa == wb:
            continue
        profile = Profile()
        profile.add(fb)
        levels = comparison_levels(fa, profile)
        for comparison, counts in u.items():
            if comparison != "context":
                counts[levels.get(comparison, "null")] += 1
        u["context"]["child" if ca & cb else "null"] += 1
    # (mention, earlier person) pairs: each mention against every person seen before it
    people_before = 0
    seen: set[str] = set()
    for who, *_rest in mentions:
        people_before += len(seen)
        seen.add(who)
    return true_pairs, people_before, len(mentions)


def estimate(seeds: list[int]) -> dict[str, Any]:
    import django

    django.setup()
    from sightline.intel.linkmodel import model

    current = model()
    comparisons = [c for c in current["comparisons"] if c != "context"] + ["context"]
    m: dict[str, Counter[str]] = defaultdict(Counter)
    u: dict[str, Counter[str]] = defaultdict(Counter)
    for c in comparisons:
        m[c], u[c] = Counter(), Counter()
    true_pairs = all_pairs = mentions = 0
    for seed in seeds:
        t, a, n = count_borough(seed, m, u)
        true_pairs += t
        all_pairs += a
        mentions += n
    out = json.loads(json.dumps(current))
    for comparison in comparisons:
        for level, params in out["comparisons"][comparison].items():
            if params.get("source") == "set by hand":
                continue
            # Conditional on both sides having the detail, as Splink counts: "null" is left out
            # (but for context, where "null" is "no shared child", a level of its own).
            skip = "" if comparison == "context" else "null"
            m_total = sum(n for lvl, n in m[comparison].items() if lvl != skip)
            u_total = sum(n for lvl, n in u[comparison].items() if lvl != skip)
            seen = m[comparison][level]
            m_value = (seen + 0.5) / (m_total + 1) if seen >= MIN_SEEN else params["m0"]
            u_value = max((u[comparison][level] + 0.5) / (u_total + 1), params["u_min"])
            params["m"] = round(float(m_value), 6)
            params["u"] = round(float(u_value), 7)
            params["seen"] = [seen, u[comparison][level]]
            params["source"] = "estimated" if seen >= MIN_SEEN else "m set by hand (m0)"
    out["prior"] = round(true_pairs / max(1, all_pairs), 8)
    out["prior_persons"] = round(all_pairs / max(1, mentions), 1)
    out["made"] = {
        "by": "bench/estimate_link_model.py",
        "seeds": seeds,
        "true_pairs": true_pairs,
        "random_pairs": sum(u["surname"].values()),
        "on": datetime.now(UTC).date().isoformat(),
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", default="101-120")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    result = estimate(_seeds(args.seeds))
    text = json.dumps(result, indent=1, sort_keys=True) + "\n"
    if args.write:
        MODEL_PATH.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
