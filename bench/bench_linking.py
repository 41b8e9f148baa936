"""Linking quality over many synthetic boroughs (SQLite, one process per borough).

The test (`sightline/demo/tests/test_quality.py`) holds two 300-child boroughs to measured
floors; each plants about 20 adult-child pairs, so one pair moves recall by 5 points. This
benchmark measures many boroughs and pools them, so the figure beside the goal is not one draw:

- small boroughs: 300 children, 2 years, 2 planted networks, seeds BENCH_LINKING_SEEDS;
- the same seeds with no networks: alerts per 100 referrals;
- larger boroughs: 1,000 children, 6 networks, seeds BENCH_LINKING_LARGE_SEEDS;
- the small boroughs again with each mention's details drawn independently (the generator
  before ADR 0212, ``generate_borough(persona=False)``), for the secondary "independent
  details" rows (BENCH_LINKING_INDEPENDENT=0 leaves them out).

The goal figures are measured on the persona generator (ADR 0212): a network adult presents
himself consistently, so each mention of him after the first shares a detail with an earlier one.

Each borough is generated, loaded into its own SQLite copy of a migrated database, indexed in
referral order by `intel_bulk_index` (the intake path, with nobody confirming anything) and
scored by `demo.quality.measure` (pairs) and `demo.style_quality.measure_styles` (by how each
mention was written: recall, precision, the alert at the second child, false alerts). The
per-style table is `style_table` in the result and in bench/README.md's linking section.
Missed pairs are counted by the name styles of the referrals naming the adult with that child.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from _common import row, sqlite_env  # noqa: E402

NAME = "linking"
TITLE = "Linking quality against planted networks, pooled over many boroughs"


def _seeds(variable: str, default: str) -> list[int]:
    return [int(s) for s in os.environ.get(variable, default).split(",") if s.strip()]


SEEDS = _seeds("BENCH_LINKING_SEEDS", "1,2,3,4,5,6,7,8,9,10,11,12,13,2026")
LARGE_SEEDS = _seeds("BENCH_LINKING_LARGE_SEEDS", "2026,4")
REFERENCE_SEED = 2026
INDEPENDENT = os.environ.get("BENCH_LINKING_INDEPENDENT", "1") != "0"
PERSONA, SEPARATE = "persona", "independent"  # how a network adult's mentions are drawn
_ANY = "any"  # every mention, whatever its style (style_quality counts it too)


def child(seed: int, children: int, networks: int, details: str = PERSONA) -> dict[str, Any]:
    """Runs in the subprocess: one borough, measured."""
    import django

    django.setup()
    from sightline.demo.generator import generate_borough
    from sightline.demo.quality import measure
    from sightline.demo.services import borough_load
    from sightline.demo.style_quality import measure_styles
    from sightline.intel.services import intel_bulk_index

    borough = generate_borough(
        children=children, years=2, seed=seed, networks=networks, persona=details == PERSONA
    )
    with tempfile.TemporaryDirectory() as tmp:
        borough_load(borough=borough, truth_path=Path(tmp) / "truth.json")
    intel_bulk_index()
    q = measure(borough)
    styles = measure_styles(borough)
    spec_of = {p.mention_key: (r, p) for r in borough.referrals for p in r.persons_named}
    keys_of = {
        a["adult_key"]: a["mention_keys"] for n in borough.truth["networks"] for a in n["adults"]
    }
    written = borough.truth["mention_styles"]
    missed: Counter[str] = Counter()
    for adult, kid in q.missed:  # by the name styles of the mentions naming the adult and child
        keys = [k for k in keys_of[adult] if kid in spec_of[k][0].child_keys]
        missed.update({s for k in keys for s in written[k] if s.startswith("name:")})
    return {
        "seed": seed,
        "children": children,
        "networks": networks,
        "details": details,
        "referrals": q.referrals,
        "planted_pairs": q.planted_pairs,
        "found_pairs": q.planted_pairs - len(q.missed),
        "linked_pairs": q.linked_pairs,
        "recall": q.recall,
        "precision": q.precision,
        "networks_alerted": q.networks_alerted,
        "networks_scored": q.networks,
        "first_alert_at_earliest": sum(1 for v in q.first_alert_lag.values() if v == 0),
        "alerts": q.alerts,
        "alerts_per_100": round(q.alerts_per_100, 2),
        "missed_by_form": dict(missed),
        "styles": styles.as_json(),
    }


def _one(template: Path, work: Path, job: tuple[int, int, int, str]) -> dict[str, Any]:
    seed, children, networks, details = job
    db = work / f"b-{seed}-{children}-{networks}-{details}.sqlite3"
    shutil.copyfile(template, db)
    done = subprocess.run(
        [sys.executable, __file__, "child", str(seed), str(children), str(networks), details],
        env=sqlite_env(db),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    db.unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(f"borough {job} failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _logged(log: Any, r: dict[str, Any]) -> dict[str, Any]:
    st = r["styles"]
    log(
        f"borough seed {r['seed']} ({r['children']} children, {r['networks']} networks, "
        f"{r['details']}): "
        f"recall {r['recall']} precision {r['precision']} joined "
        f"{st['joined'].get('any', 0)}/{st['mentions'].get('any', 0)} second-child alert "
        f"{st['adults_on_time']}/{st['adults']} alerts/100 {r['alerts_per_100']}"
    )
    return r


def _pooled(results: list[dict[str, Any]]) -> tuple[float, float]:
    planted = sum(r["planted_pairs"] for r in results)
    found = sum(r["found_pairs"] for r in results)
    linked = sum(r["linked_pairs"] for r in results)
    return round(found / max(1, planted), 4), round(found / max(1, linked), 4)


_COUNTS = (
    "mentions", "joined", "on_adults", "wrong", "due", "on_time", "dated_back", "false_alerts"
)  # fmt: skip


def _sum_styles(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The per-style counters of ``style_quality.measure_styles``, summed over boroughs."""
    total: dict[str, Any] = {k: Counter() for k in _COUNTS}
    for key in (
        "adults", "adults_on_time", "adults_dated_back", "person_alerts", "false_person_alerts"
    ):  # fmt: skip
        total[key] = sum(r["styles"][key] for r in results)
    for r in results:
        for k in _COUNTS:
            total[k].update(r["styles"][k])
    return total


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f} ({part} of {whole})" if whole else "-"


def _on_time(t: dict[str, Any], style: str) -> str:
    late = t["dated_back"][style]
    return _ratio(t["on_time"][style], t["due"][style]) + (f" +{late} dated back" if late else "")


def _style_order(style: str) -> tuple[int, str]:
    family = style.split(":", maxsplit=1)[0]
    order = ["name", "nickname", "phone", "plate", "persona", "ordinary"]
    return (order.index(family) if family in order else len(order), style)


def style_table(small: list[dict[str, Any]], quiet: list[dict[str, Any]]) -> str:
    """The markdown table of bench/README.md's linking section: each style's recall (network
    mentions joined to their adult), precision (mentions on adults' entities that are theirs),
    alert at the second child (adults whose second-child mention has the style) and false
    alerts per 100 referrals on the no-network boroughs."""
    t, q = _sum_styles(small), _sum_styles(quiet)
    referrals = sum(r["referrals"] for r in quiet)
    styles = sorted(
        set(t["mentions"]) | set(t["on_adults"]) | set(q["false_alerts"]), key=_style_order
    )
    lines = [
        "| style | recall (mentions joined) | precision (on adults' records) "
        "| alert at the second child | false alerts per 100 referrals (no networks) |",
        "|---|---|---|---|---|",
    ]
    for style in styles:
        on = t["on_adults"][style]
        precision = _ratio(on - t["wrong"][style], on)
        per_100 = 100 * q["false_alerts"][style] / max(1, referrals)
        lines.append(
            f"| `{style}` | {_ratio(t['joined'][style], t['mentions'][style])} | {precision} "
            f"| {_on_time(t, style)} | {per_100:.2f} |"
        )
    return "\n".join(lines)


def _style_rows(small: list[dict[str, Any]], quiet: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pooled figures; each style's are in ``style_table`` (bench/README.md's section)."""
    t = _sum_styles(small)
    referrals = sum(r["referrals"] for r in quiet)
    rows = [
        row(
            "planted adults alerted at the referral naming their second child",
            _ratio(t["adults_on_time"], t["adults"]),
            goal=">= 0.95",
        ),
        row(
            "planted adults alerted later by a late link dated back to that referral",
            f"{t['adults_dated_back']} of {t['adults']}",
        ),
        row(
            "planted adults alerted at the second child, counting late links dated back",
            _ratio(t["adults_on_time"] + t["adults_dated_back"], t["adults"]),
        ),
        row(
            "network mentions joined to their adult's record, pooled",
            _ratio(t["joined"][_ANY], t["mentions"][_ANY]),
        ),
        row(
            "person alerts on records that stand for no planted adult (network boroughs)",
            f"{t['false_person_alerts']} of {t['person_alerts']}",
        ),
        row(
            "no-network boroughs: alerts per 100 referrals, pooled",
            round(100 * sum(r["alerts"] for r in quiet) / max(1, referrals), 2),
            goal="<= 1",
        ),
    ]
    return rows


def _independent_rows(separate: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The secondary line: the same small boroughs with each mention's details drawn
    independently (the generator before ADR 0212), measured in the same run."""
    recall, precision = _pooled(separate)
    t = _sum_styles(separate)
    return [
        row("independent details: recall, pooled", recall),
        row("independent details: precision, pooled", precision),
        row(
            "independent details: planted adults alerted at the referral naming their second child",
            _ratio(t["adults_on_time"], t["adults"]),
        ),
        row(
            "independent details: network mentions joined to their adult's record",
            _ratio(t["joined"][_ANY], t["mentions"][_ANY]),
        ),
    ]


_TABLE_START, _TABLE_END = "<!-- linking-styles -->", "<!-- /linking-styles -->"


def write_style_table(table: str, note: str) -> None:
    """Put the per-style table into bench/README.md's linking section, between its markers."""
    readme = BENCH_DIR / "README.md"
    text = readme.read_text()
    if _TABLE_START not in text or _TABLE_END not in text:
        return
    head, rest = text.split(_TABLE_START, 1)
    _, tail = rest.split(_TABLE_END, 1)
    readme.write_text(f"{head}{_TABLE_START}\n{note}\n\n{table}\n{_TABLE_END}{tail}")


def run(ctx: Any = None) -> dict[str, Any]:
    log = ctx.log if ctx is not None else print
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    # the test's seeds first, so that their figures show early in the log
    first = sorted(SEEDS, key=lambda s: (s not in (REFERENCE_SEED, 4), SEEDS.index(s)))
    jobs = [(s, 300, 2, PERSONA) for s in first] + [(s, 300, 0, PERSONA) for s in first]
    jobs += [(s, 1000, 6, PERSONA) for s in LARGE_SEEDS]
    if INDEPENDENT:  # the no-network boroughs are the same either way
        jobs += [(s, 300, 2, SEPARATE) for s in first]
    with tempfile.TemporaryDirectory(prefix="sl-linking-") as tmp:
        work = Path(tmp)
        template = work / "template.sqlite3"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            env=sqlite_env(template),
            cwd=ROOT,
            check=True,
        )
        log(f"{len(jobs)} boroughs on {os.cpu_count()} cores")
        with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
            results = list(pool.map(lambda j: _logged(log, _one(template, work, j)), jobs))
    separate = [r for r in results if r["details"] == SEPARATE]
    results = [r for r in results if r["details"] == PERSONA]
    small = [r for r in results if r["children"] == 300 and r["networks"] == 2]
    quiet = [r for r in results if r["networks"] == 0]
    large = [r for r in results if r["networks"] == 6]
    recall, precision = _pooled(small)
    low = min(small, key=lambda r: (r["recall"], r["seed"]))
    worst_precision = min(small, key=lambda r: (r["precision"], r["seed"]))
    reference = next((r for r in small if r["seed"] == REFERENCE_SEED), None)
    missed: Counter[str] = Counter()
    for r in small:
        missed.update(r["missed_by_form"])
    noisiest = max(quiet, key=lambda r: (r["alerts_per_100"], -r["seed"]))
    n = len(small)
    networks = sum(r["networks_scored"] for r in small)
    alerted = sum(r["networks_alerted"] for r in small)
    earliest = sum(r["first_alert_at_earliest"] for r in small)
    rows = [
        row("small boroughs measured (300 children, 2 networks)", n, "boroughs"),
        row("planted adult-child pairs, pooled", sum(r["planted_pairs"] for r in small), "pairs"),
        row("recall, pooled", recall, "", goal=">= 0.97"),
        row("precision, pooled", precision, "", goal=">= 0.97"),
        row(
            f"recall, reference borough (seed {REFERENCE_SEED})",
            reference["recall"] if reference else None,
        ),
        row(f"recall, lowest borough (seed {low['seed']})", low["recall"]),
        row("boroughs with recall >= 0.95", f"{sum(r['recall'] >= 0.95 for r in small)} of {n}"),
        row(
            f"precision, lowest borough (seed {worst_precision['seed']})",
            worst_precision["precision"],
        ),
        row("networks alerted", f"{alerted} of {networks}"),
        row("first alert at the earliest possible referral", f"{earliest} of {networks}"),
        row(
            "missed pairs by the name styles of the mentions naming the adult and child",
            ", ".join(f"{k} {v}" for k, v in missed.most_common()) or "none",
        ),
        row(
            f"no-network boroughs: most alerts per 100 referrals (seed {noisiest['seed']})",
            noisiest["alerts_per_100"],
            "",
            goal="<= 1",
        ),
    ]
    if large:
        large_recall, large_precision = _pooled(large)
        seeds = ", ".join(str(r["seed"]) for r in large)
        rows += [
            row(
                f"recall, pooled, 1,000-child boroughs with 6 networks (seeds {seeds})",
                large_recall,
            ),
            row(f"precision, pooled, 1,000-child boroughs (seeds {seeds})", large_precision),
            row(
                "recall per 1,000-child borough",
                ", ".join(f"seed {r['seed']} {r['recall']}" for r in large),
            ),
        ]
    rows += _style_rows(small, quiet)
    if separate:
        rows += _independent_rows(separate)
    wall = round(time.perf_counter() - started)
    rows.append(
        row(
            f"wall clock ({len(results) + len(separate)} boroughs); load average (1 min) "
            "before, after",
            f"{wall} s; {load_before:.1f}, {os.getloadavg()[0]:.1f}",
        )
    )
    for r in rows:
        r["database"] = "sqlite"
    table = style_table(small, quiet)
    seeds = ", ".join(str(r["seed"]) for r in small)
    write_style_table(
        table,
        f"Measured {time.strftime('%Y-%m-%d', time.gmtime())} on {len(small)} boroughs with "
        f"networks (seeds {seeds}) and {len(quiet)} without, SQLite, {wall} s wall clock, "
        f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after "
        f"(commit {_commit()}).",
    )
    return {"rows": rows, "boroughs": results, "style_table": table}


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "child":
        sys.path.insert(0, str(ROOT))
        out = child(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
        print(json.dumps(out))
    else:
        print(json.dumps(run(), indent=1))
