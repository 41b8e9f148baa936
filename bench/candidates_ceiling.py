"""How high any ranker can get on the candidates benchmark's own data (`intel_candidates`).

The population and the 500 mentions are exactly those of `bench_intel._bench_candidates`
(`population(random.Random(11), 1_000_000, 500)`, the first use of that rng). For each
mention, the persons consistent with what it shows (the written name explainable by the
person's first name and surname under the generator's rules: exact, a NAME_VARIANTS variant
of the first name, the surname typo "last letter made 'e'"; the nickname equal if shown; the
phone equal if shown; the age within 2 years), and:

(a) the indistinguishable ceiling: mean of min(1, 5/k), k the number of consistent persons
    (the truth in the top 5 when ties among them are broken at random);
(b) the Bayes ceiling: persons ordered by the generator's exact likelihood P(mention | person),
    ties broken at random, the truth's chance of being in the top 5; once with the absence of
    a nickname or a phone as evidence (a generator artifact: a person without a phone is more
    likely when none is shown), once without;
and, unless --no-product, the product's own hits, replayed in memory: `entities.key_plan`,
the key lookups with the benchmark's caps over an index of `bench_intel.person_record` keys
(rows in the order PostgreSQL's index gives them, the load order), `rank_persons`.

    nice -n 19 .venv/bin/python bench/candidates_ceiling.py [--no-product] [--out FILE]

Pure Python; checks itself first on a small hand-made population (asserts)."""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from fractions import Fraction
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent))

import bench_intel  # noqa: E402

TOP = 5
YEAR = 2026
AGE_SPREAD = 2
# the generator's draws (bench_intel.population)
P_VARIANT = Fraction(3, 10)  # when the first name has variants
P_TYPO = Fraction(2, 10)  # (0.5 when it has none: the variant branch falls through to it)
P_NICK_ONLY = Fraction(2, 10)  # when the person has a nickname (otherwise: the exact name)
P_NICK_SHOWN = Fraction(3, 10)  # beside a written name
P_PHONE_SHOWN = Fraction(4, 10)  # when the person has a phone
P_AGE = Fraction(1, 2 * AGE_SPREAD + 1)

Person = tuple[Any, str, str, str, int, str]  # id, given, family, nickname, birth year, phone


def typo(family: str) -> str:
    return family[:-1] + "e" if len(family) > 3 else family


def name_likelihood(
    person: Person, written: str, variants: dict[str, tuple[str, ...]], absence: bool
) -> Fraction:
    """P(the written name | person). `absence=False`: the exact name as likely for a person
    with a nickname as without (the generator writes it 0.5 of the time without one, 0.3
    with: the nickname-only branch falls through to it)."""
    _pid, g, f, nick, _year, _phone = person
    if not written:
        return P_NICK_ONLY if nick else Fraction(0)
    vs = variants.get(g, ())
    p = Fraction(0)
    if vs:
        p += sum((P_VARIANT / len(vs) for v in vs if f"{v} {f}" == written), Fraction(0))
    if f"{g} {typo(f)}" == written:
        p += P_TYPO if vs else P_VARIANT + P_TYPO
    if f"{g} {f}" == written:
        p += 1 - P_VARIANT - P_TYPO - (P_NICK_ONLY if nick or not absence else 0)
    return p


def likelihood(
    person: Person, q: dict[str, Any], variants: dict[str, tuple[str, ...]], absence: bool = True
) -> Fraction:
    """P(mention q | person) under the generator; 0 when q is inconsistent with the person."""
    _pid, _g, _f, nick, year, phone = person
    if abs(YEAR - year - q["approximate_age"]) > AGE_SPREAD:
        return Fraction(0)
    p = name_likelihood(person, q["name"], variants, absence)
    if not p:
        return p
    if not q["name"]:
        if nick != q["nickname"]:
            return Fraction(0)
    elif q["nickname"]:
        if nick != q["nickname"]:
            return Fraction(0)
        p *= P_NICK_SHOWN
    elif nick and absence:
        p *= 1 - P_NICK_SHOWN
    if q["phone"]:
        if not phone or f"0{phone[3:]}" != q["phone"]:
            return Fraction(0)
        p *= P_PHONE_SHOWN
    elif phone and absence:
        p *= 1 - P_PHONE_SHOWN
    return p * P_AGE


class Index:
    """Persons by surname and by nickname, and the surnames whose typo is a given string:
    every person with a non-zero likelihood for a mention is among `candidates(q)`."""

    def __init__(self, people: list[Person]) -> None:
        self.by_family: dict[str, list[int]] = defaultdict(list)
        self.by_nick: dict[str, list[int]] = defaultdict(list)
        self.typo_of: dict[str, set[str]] = defaultdict(set)
        for i, (_pid, g, f, nick, _y, _ph) in enumerate(people):
            assert " " not in g and " " not in f, (g, f)  # the name splits at its last space
            self.by_family[f].append(i)
            if nick:
                self.by_nick[nick].append(i)
        for f in self.by_family:
            self.typo_of[typo(f)].add(f)

    def candidates(self, q: dict[str, Any]) -> list[int]:
        if not q["name"]:
            return self.by_nick.get(q["nickname"], [])
        shown = q["name"].rpartition(" ")[2]
        families = {shown} | self.typo_of.get(shown, set())
        return [i for f in sorted(families) for i in self.by_family.get(f, [])]


def top_chance(scores: list[Fraction], truth: Fraction) -> Fraction:
    """The truth's chance of a place in the top TOP when ties are broken at random."""
    above = sum(s > truth for s in scores)
    tied = sum(s == truth for s in scores)
    return Fraction(max(0, min(tied, TOP - above)), tied)


def assess(people: list[Person], queries: list[dict[str, Any]], index: Index) -> list[dict]:
    """Per mention: k, the style, (a) and (b) with and without absence, the posterior mass
    of the best TOP (the Bayes ranker's hit rate in expectation over the generator)."""
    from sightline.demo.generator import NAME_VARIANTS

    variants = NAME_VARIANTS
    truth_at = {p[0]: i for i, p in enumerate(people)}
    out = []
    for n, q in enumerate(queries):
        t = truth_at[q["truth"]]
        cands = index.candidates(q)
        full = {i: likelihood(people[i], q, variants) for i in cands}
        full = {i: s for i, s in full.items() if s}
        assert full.get(t), f"mention {n}: its true person is not consistent with it"
        bare = {i: likelihood(people[i], q, variants, absence=False) for i in full}
        k = len(full)
        best = sorted(full.values(), reverse=True)
        out.append(
            {
                "n": n,
                "style": style(people[t], q),
                "k": k,
                "indistinguishable": Fraction(min(k, TOP), k),
                "bayes": top_chance(list(full.values()), full[t]),
                "bayes_no_absence": top_chance(list(bare.values()), bare[t]),
                "bayes_expected": sum(best[:TOP]) / sum(best),
            }
        )
    return out


def style(person: Person, q: dict[str, Any]) -> str:
    """How the mention was written, as far as the text shows (a typo of a surname ending in
    'e' or of three letters reads as the exact name)."""
    _pid, g, f, _nick, _y, _ph = person
    if not q["name"]:
        kind = "nickname only"
    elif q["name"] == f"{g} {f}":
        kind = "exact name"
    elif q["name"].rpartition(" ")[2] != f:
        kind = "surname typo"
    else:
        kind = "first-name variant"
    extra = [
        w for w, on in (("phone", q["phone"]), ("nickname", q["name"] and q["nickname"])) if on
    ]
    return kind + (" + " + " + ".join(extra) if extra else "")


def product_ranks(people: list[Person], queries: list[dict[str, Any]], log: Any) -> list[dict]:
    """The benchmark's `_candidate_lookup` in memory: the truth's place (1-based) among the
    ranked candidates, 0 when ranked below 10 or not a candidate, None when not fetched."""
    from sightline.intel import entities
    from sightline.intel.normalise import phonetic
    from sightline.intel.resolution import PersonFeatures, Profile

    feats = [PersonFeatures.from_named(year=YEAR, **bench_intel._fields(q)) for q in queries]
    plans = [entities.key_plan(f) for f in feats]
    soles = [f"fam:{phonetic(f.family)}"[:60] if f.family else "" for f in feats]
    needed = {k for strong, capped in plans for k in (*strong, *capped)} | set(soles) - {""}
    postings: dict[str, list[int]] = {k: [] for k in needed}
    profiles: dict[int, str] = {}
    began = time.perf_counter()
    for i, (_pid, g, f, nick, year, phone) in enumerate(people):
        profile, keys = bench_intel.person_record(g, f, nick, year, phone)
        hit = False
        for k in keys:  # sorted: the load order of the key rows
            if k in postings:
                postings[k].append(i)
                hit = True
        if hit:
            profiles[i] = profile
        if i % 200_000 == 199_999:
            log(f"  keys of {i + 1} persons, {time.perf_counter() - began:.0f} s")
    truth_at = {p[0]: i for i, p in enumerate(people)}
    out = []
    for q, feat, (strong, capped), sole_key in zip(queries, feats, plans, soles, strict=True):
        # `key = ANY(strong) LIMIT 200`: an index scan gives the keys in order, each key's
        # rows in load order; a bitmap scan gives all rows in load order. Both are tried.
        by_key = [i for k in sorted(strong) for i in postings[k]]
        by_row = sorted(by_key)
        places = []
        for strong_rows in (by_key, by_row):
            ids = dict.fromkeys(strong_rows[: entities.STRONG_KEY_LIMIT])
            for k in capped:
                ids.update(dict.fromkeys(postings[k][: entities.WEAK_KEY_LIMIT]))
            holders = postings[sole_key][:2] if sole_key else []
            sole = people[holders[0]][0] if len(holders) == 1 else None
            rows = (
                (people[i][0], f"POC-2026-{i:07d}", Profile.from_json(json.loads(profiles[i])))
                for i in ids
            )
            ranked = [r.entity_id for r in entities.rank_persons(feat, rows, sole=sole, shared={})]
            t = truth_at[q["truth"]]
            place = ranked.index(people[t][0]) + 1 if people[t][0] in ranked else 0
            places.append(place if t in ids else None)
        out.append({"place": places[0], "place_bitmap": places[1], "strong_rows": len(by_key)})
    return out


def _selfcheck() -> None:
    """A population whose ceilings are known by hand."""
    from sightline.demo.generator import NAME_VARIANTS

    variants = NAME_VARIANTS
    assert variants["John"] == ("Jon",), variants["John"]
    assert len(variants["Jon"]) == 3, variants["Jon"]
    people: list[Person] = [(f"js{i}", "John", "Smith", "", 1980, "") for i in range(7)]
    people += [("jon", "Jon", "Smith", "", 1980, ""), ("old", "John", "Smith", "", 1950, "")]
    people += [("ph", "John", "Smith", "", 1981, "+447700000001")]
    people += [("nk", "John", "Smite", "ace1", 1980, ""), ("guy", "Guy", "Smitt", "", 1980, "")]
    index = Index(people)
    q = {"name": "John Smith", "nickname": "", "phone": "", "approximate_age": 46}

    def one(name: str, truth: str, **shown: Any) -> dict:
        return assess(people, [q | {"name": name, "truth": truth} | shown], index)[0]

    r = one("John Smith", "js3")  # 7 same, "ph" (1981), "jon" (a variant); "old" too old
    assert r["k"] == 9, r
    assert r["indistinguishable"] == Fraction(5, 9), r
    assert r["bayes_no_absence"] == Fraction(5, 8), r  # 8 equal (0.3) without absence
    assert r["bayes"] == Fraction(5, 7), r  # "ph" is less likely with no phone shown
    assert one("John Smith", "ph")["bayes"] == 0  # seven ahead of it
    r = one("Jon Smith", "jon")  # the exact name (0.5) beats seven variants (0.3 each)
    assert (r["k"], r["bayes"], r["indistinguishable"]) == (9, 1, Fraction(5, 9)), r
    assert one("Jon Smith", "js0")["bayes"] == Fraction(4, 7)
    r = one("John Smite", "js1")  # typo of Smith (0.2) or "John Smite" exactly
    assert (r["k"], r["style"]) == (9, "surname typo"), r
    # "nk": exact 0.3 (a nickname), typo 0.2 (Smite is its own typo), x 0.7 no nickname shown
    assert r["bayes"] == Fraction(4, 7), r  # 0.5 x 0.7 = 0.35 > 0.2
    assert one("Guy Smite", "guy")["k"] == 1
    assert name_likelihood(people[-1], "Guy Smite", variants, True) == Fraction(1, 2)  # no variants
    assert one("", "nk", nickname="ace1")["k"] == 1
    assert one("John Smith", "ph", phone="07700000001")["k"] == 1
    assert top_chance([Fraction(1)] * 3 + [Fraction(1, 2)] * 4, Fraction(1, 2)) == Fraction(2, 4)
    # the index finds every consistent person: against a full scan of a small population
    pop, qs = bench_intel.population(random.Random(3), 4000, 150)
    idx = Index(pop)
    for q2 in qs:
        found = {i for i in idx.candidates(q2) if likelihood(pop[i], q2, variants)}
        assert found == {i for i, p in enumerate(pop) if likelihood(p, q2, variants)}, q2


def _place(place: int | None) -> str:
    return "not fetched" if place is None else f"place {place}" if place else "not in top 10"


def _share(rows: list[dict], key: str) -> float:
    return round(float(sum(r[key] for r in rows) / len(rows)), 4)


def main(argv: list[str]) -> dict[str, Any]:
    bench_intel._setup_django()
    began, cpu = time.perf_counter(), time.process_time()
    _selfcheck()
    rng = random.Random(11)  # as `_bench_candidates`: its first use is `population`
    people, queries = bench_intel.population(rng, bench_intel.PERSONS, bench_intel.QUERIES)
    print(f"{len(people)} persons, {len(queries)} mentions", file=sys.stderr)
    rows = assess(people, queries, Index(people))
    summary: dict[str, Any] = {
        "persons": len(people),
        "mentions": len(queries),
        "indistinguishable_ceiling": _share(rows, "indistinguishable"),
        "bayes_ceiling": _share(rows, "bayes"),
        "bayes_ceiling_no_absence": _share(rows, "bayes_no_absence"),
        "bayes_ceiling_expected": _share(rows, "bayes_expected"),
        "mentions_with_k_over_5": sum(r["k"] > TOP for r in rows),
        "by_style": dict(Counter(r["style"] for r in rows).most_common()),
    }
    if "--no-product" not in argv:
        ranks = product_ranks(people, queries, lambda m: print(m, file=sys.stderr))
        for r, p in zip(rows, ranks, strict=True):
            r.update(p)
        hits = [bool(r["place"]) and r["place"] <= TOP for r in rows]
        misses = [r for r, h in zip(rows, hits, strict=True) if not h]
        summary |= {
            "product_top5": round(sum(hits) / len(rows), 4),
            "product_top5_bitmap_order": round(
                sum(bool(r["place_bitmap"]) and r["place_bitmap"] <= TOP for r in rows) / len(rows),
                4,
            ),
            "strong_lookups_over_limit": sum(r["strong_rows"] > 200 for r in rows),
            "product_misses": len(misses),
            "misses_with_k_over_5": sum(r["k"] > TOP for r in misses),
            "misses_by_style": dict(Counter(r["style"] for r in misses).most_common()),
            "misses_by_place": dict(Counter(_place(r["place"]) for r in misses).most_common()),
            "misses_bayes_sum": round(float(sum(r["bayes"] for r in misses)), 2),
            "misses_bayes_no_absence_sum": round(
                float(sum(r["bayes_no_absence"] for r in misses)), 2
            ),
            "misses": [
                {k: float(v) if isinstance(v, Fraction) else v for k, v in r.items()}
                for r in misses
            ],
        }
    summary |= {
        "wall_s": round(time.perf_counter() - began, 1),
        "cpu_s": round(time.process_time() - cpu, 1),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    return summary


if __name__ == "__main__":
    result = main(sys.argv[1:])
    text = json.dumps(result, indent=1, default=str)
    if "--out" in sys.argv:
        Path(sys.argv[sys.argv.index("--out") + 1]).write_text(text)
    print(text)
