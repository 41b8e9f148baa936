"""Each planted adult not alerted at the referral naming his second child, broken down.

A diagnostic, not a benchmark (no NAME, so `run.py` skips it): for each seed given, one
borough of `bench_linking` (300 children, 2 networks, the persona generator) is generated,
loaded into a fresh SQLite file, indexed as the benchmark does, and for every adult whose
second-child alert was late or missing it prints what the second child's mention said, what
the adult's earlier mentions said, the score of that mention against the profile of those
earlier mentions (an ideal blocker, `resolution.compare`), and the explanation stored on the
mention when it was indexed (the candidate it was linked to or its nearest one).

    BENCH_MISSES_SEEDS=1,2,3 nice -n 10 .venv/bin/python bench/linking_misses.py

Synthetic boroughs only (the demo generator's names).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from _common import sqlite_env  # noqa: E402


def _said(p: Any) -> str:
    parts = [
        p.name,
        f'"{p.nickname}"' if p.nickname else "",
        f"age {p.approximate_age}" if p.approximate_age else "",
        p.phone,
        p.vehicle_registration,
        p.address,
    ]
    return " | ".join(x for x in parts if x)


def _referral(r: Any, p: Any) -> str:
    others = [_said(o) for o in r.persons_named if o is not p]
    places = [pl.name for pl in r.places_named]
    return f"children {list(r.child_keys)}; others {others}; places {places}"


def child(seed: int) -> list[dict[str, Any]]:
    """Runs in the subprocess: one borough indexed; its late adults, the mentions wrongly on a
    planted adult's record, and the mentions linked as the only candidate (ADR 0213)."""
    import django

    django.setup()
    from sightline.demo.generator import generate_borough
    from sightline.demo.quality import _matched
    from sightline.demo.services import borough_load
    from sightline.demo.style_quality import _adult_entities, _alerts_fired, _entity_of_mention
    from sightline.intel.services import intel_bulk_index

    borough = generate_borough(children=300, years=2, seed=seed, networks=2, persona=True)
    with tempfile.TemporaryDirectory() as tmp:
        borough_load(borough=borough, truth_path=Path(tmp) / "truth.json")
    intel_bulk_index()
    matched = _matched(borough)
    entities_of = _adult_entities(borough, _entity_of_mention(matched))
    fired = _alerts_fired(matched)
    order = {k: matched.referral_order[pk] for pk, k in matched.spec_key_of_ref.items()}
    out = []
    for network in borough.truth["networks"]:
        for adult in network["adults"]:
            second = adult["second_child_referral_key"]
            if second is None or second not in order:
                continue
            alerts = [f for e in entities_of[adult["adult_key"]][1] for f in fired.get(e, ())]
            if not any(f.order <= order[second] for f in alerts):  # not alerted on time
                out.append({"seed": seed, **_late(borough, adult, second)})
    owner = {own: a for a, (own, _) in entities_of.items() if own is not None}
    return out + [{"seed": seed, **x} for x in _links(borough, matched, owner)]


def _late(borough: Any, adult: dict[str, Any], second: str) -> dict[str, Any]:
    """The second child's mention against the profile of the adult's earlier mentions (an
    ideal blocker), and what the matcher stored on it when it was indexed."""
    from django.utils import timezone

    from sightline.intel.entities import features_from_details
    from sightline.intel.models import MatchCandidate, Mention
    from sightline.intel.resolution import Profile, compare
    from sightline.intel.services.mentions import person_details

    spec = {p.mention_key: (r, p) for r in borough.referrals for p in r.persons_named}
    styles = borough.truth["mention_styles"]
    keys = list(adult["mention_keys"])
    at = next(i for i, k in enumerate(keys) if k.startswith(second + "-"))

    def features(key: str) -> Any:
        r, p = spec[key]
        year = timezone.localtime(r.received_at).year
        return features_from_details(person_details(p, year=year, place_ids=[]))

    def line(key: str) -> str:
        r, p = spec[key]
        return f"{_said(p)}  [{', '.join(styles[key])}]  {_referral(r, p)}"

    profile = Profile()
    for key in keys[:at]:
        profile.add(features(key))
    ideal = compare(features(keys[at]), profile)
    r, p = spec[keys[at]]
    same = {
        "person_named__referral__narrative": r.narrative,
        "person_named__name": p.name,
        "person_named__nickname": p.nickname,
    }
    mention = Mention.objects.filter(**same).first()
    candidates = MatchCandidate.objects.filter(mention=mention) if mention else []
    return {
        "adult": adult["canonical_name"],
        "second": line(keys[at]),
        "earlier": [line(k) for k in keys[:at]],
        "candidates": [f"{c.entity_id} {c.score} {c.status}" for c in candidates],
        "ideal": ideal.score,
        "ideal_levels": [f"{c.comparison}:{c.level} {c.weight:+.2f}" for c in ideal.contributions],
        "stored": mention.explanation if mention else None,
    }


def _links(borough: Any, matched: Any, owner: dict[Any, str]) -> list[dict[str, Any]]:
    """Mentions on a planted adult's record that are not his ("wrong"), every mention linked
    as the only candidate ("sole") and every one linked with second-order context ("second",
    ADR 0214), each with who it is and whose record it is on."""
    from sightline.intel.models import Mention
    from sightline.intel.resolution import CONTEXT_REASON
    from sightline.intel.services.mentions import SOLE_REASON

    adult_of = {
        k: a["adult_key"] for n in borough.truth["networks"] for a in n["adults"]
        for k in a["mention_keys"]
    }  # fmt: skip
    out = []
    on_adults = Mention.objects.filter(entity_id__in=list(owner), person_named__isnull=False)
    for m in on_adults:
        who = adult_of.get(matched.truth_of_named.get(m.person_named_id, ""), "ordinary")
        if who != owner[m.entity_id]:
            out.append({"wrong": m.said, "score": m.score, "status": m.link_status,
                        "reasons": m.reasons, "who": who, "on": owner[m.entity_id]})  # fmt: skip
    for m in Mention.objects.filter(reasons__icontains=SOLE_REASON[:40]):
        who = adult_of.get(matched.truth_of_named.get(m.person_named_id, ""), "ordinary")
        on = owner.get(m.entity_id, "no planted adult")
        out.append({"sole": m.said, "score": m.score, "reasons": m.reasons, "who": who,
                    "on": on, "right": who == on})  # fmt: skip
    second = Mention.objects.filter(
        reasons__icontains=CONTEXT_REASON["associate"][:40], person_named__isnull=False
    )
    for m in second:
        who = adult_of.get(matched.truth_of_named.get(m.person_named_id, ""), "ordinary")
        on = owner.get(m.entity_id, "no planted adult")
        out.append({"second_order": m.said, "score": m.score, "status": m.link_status,
                    "identity": (m.explanation or {}).get("contributions"), "who": who,
                    "on": on, "right": who == on})  # fmt: skip
    return out


def main() -> None:
    wanted = os.environ.get("BENCH_MISSES_SEEDS", "4,2026,1,2,3,5,6,7,8,9,10,11,12,13")
    seeds = [int(s) for s in wanted.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="sl-misses-") as tmp:
        template = Path(tmp) / "template.sqlite3"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            env=sqlite_env(template),
            cwd=ROOT,
            check=True,
        )
        for seed in seeds:
            db = Path(tmp) / f"s{seed}.sqlite3"
            db.write_bytes(template.read_bytes())
            done = subprocess.run(
                [sys.executable, __file__, "child", str(seed)],
                env=sqlite_env(db),
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                print(done.stderr[-3000:], file=sys.stderr)
                continue
            for miss in json.loads(done.stdout.strip().splitlines()[-1]):
                _print(miss)


def _print(miss: dict[str, Any]) -> None:
    if "wrong" in miss:
        print(
            f"xx seed {miss['seed']} wrong on {miss['on']}: {miss['wrong']!r} ({miss['who']}) "
            f"{miss['status']} {miss['score']}: {miss['reasons']}"
        )
        return
    if "second_order" in miss:
        own = [f"{c['comparison']}:{c['level']} {c['weight']:+.2f}" for c in miss["identity"] or ()]
        print(
            f"2o seed {miss['seed']} second-order link {'RIGHT' if miss['right'] else 'WRONG'} "
            f"{miss['second_order']!r} {miss['status']} {miss['score']:.3f} ({miss['who']} on "
            f"{miss['on']}): {', '.join(own)}"
        )
        return
    if "sole" in miss:
        print(
            f"-- seed {miss['seed']} sole link {'RIGHT' if miss['right'] else 'WRONG'} "
            f"{miss['sole']!r} {miss['score']} ({miss['who']} on {miss['on']}): {miss['reasons']}"
        )
        return
    print(f"== seed {miss['seed']}: {miss['adult']}")
    for line in miss["earlier"]:
        print(f"   earlier: {line}")
    print(f"   second:  {miss['second']}")
    print(f"   ideal profile score {miss['ideal']}: {'; '.join(miss['ideal_levels'])}")
    print(f"   candidates: {miss['candidates']}")
    stored = miss["stored"] or {}
    if stored.get("entity"):
        print(f"   linked to {stored['entity']} at {stored['probability']}")
    runner = stored.get("runner_up")
    if runner:
        levels = "; ".join(
            f"{c['comparison']}:{c['level']} {c['weight']}" for c in runner["contributions"]
        )
        print(f"   nearest other {runner['entity']} {runner['probability']}: {levels}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "child":
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(int(sys.argv[2]))))
    else:
        main()
