"""Linking precision as the borough grows (issue 12, ADR 0215 and 0216): `linking_scale.py` at
each size in BENCH_LINKING_SCALE_CHILDREN (default 9760 children, about 20,000 referrals; add
48800 for about 100,000, which takes some 10 minutes more), with the register's size setting
(`SIGHTLINE_LINK_REGISTER_PRIOR`) off and on, on PostgreSQL (BENCH_PG, default the local
server). Pairwise precision and recall over every person mention against the generator's
truth, the largest person, and the planted networks' recall and precision."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from _common import Context, row

NAME = "linking_scale"
PG = "postgresql"
TITLE = "Linking precision as the borough grows (every person mention against the truth)"


def _sizes() -> list[int]:
    raw = os.environ.get("BENCH_LINKING_SCALE_CHILDREN", "9760")
    return [int(x) for x in raw.split(",") if x.strip()]


def _measure(ctx: Context, children: int, register: bool) -> dict[str, Any]:
    env = {**os.environ, "SIGHTLINE_LINK_REGISTER_PRIOR": "1" if register else "0"}
    done = subprocess.run(
        [str(ctx.python), str(ctx.root / "bench" / "linking_scale.py"), "--children",
         str(children), "--seed", "11", "--run-db", "sl_ls_bench"],
        cwd=ctx.root, env=env, capture_output=True, text=True, timeout=3600, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"linking_scale failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(ctx: Context) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    detail: dict[str, Any] = {}
    for children in _sizes():
        for register in (False, True):
            ctx.log(f"{children} children, register prior {'on' if register else 'off'}")
            r = _measure(ctx, children, register)
            p = r["purity"]
            label = f"{r['referrals']:,} referrals, register prior {'on' if register else 'off'}"
            detail[label] = r
            rows += [
                row(f"{label}: pairwise precision, recall", f"{p['pair_precision']}, "
                    f"{p['pair_recall']}", database=PG),
                row(f"{label}: planted networks recall, precision", f"{r['network_recall']}, "
                    f"{r['network_precision']}", database=PG),
                row(f"{label}: largest person (mentions, adults)", f"{p['largest_mentions']}, "
                    f"{p['largest_adults']}", database=PG),
                row(f"{label}: bulk index wall, CPU; load before, after", f"{r['index_s']} s, "
                    f"{r['index_cpu_s']} s; {r['load_average_before_after']}", database=PG),
            ]  # fmt: skip
    return {"rows": rows, "detail": detail}
