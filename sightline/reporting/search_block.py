"""The children's name block of a search as one statement written around the compiled child
scope (reporting.search, ADR 0301, "the children's block written as SQL").

The same statement the ORM wrote from `Q` objects (the same conditions in the same order, the
same `ORDER BY` and limit, so the same plan and the same rows), without building, cloning and
compiling a queryset for each search: that cost more Python than the statement takes to run.
Table and column names come from the models, the LIKE operators and casts from the database
backend as the ORM writes them; every value is a parameter.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.db import connection

from sightline.intel.normalise import given_name_groups
from sightline.people.matching import name_key, normalise_name
from sightline.people.models import Child
from sightline.reporting.scope import column, table
from sightline.reporting.search_query import ParsedQuery, swapped_day

BLOCK_FIELDS = ("id", "reference", "given_name", "family_name", "date_of_birth",
                "date_of_birth_is_estimated")  # fmt: skip


def dates(day: dt.date) -> list[dt.date]:
    swapped = swapped_day(day)
    return [day, swapped] if swapped else [day]


def group(word: str) -> list[str]:
    name = normalise_name(word)
    return sorted(given_name_groups().get(name, frozenset({name})))


@cache
def _columns() -> dict[str, str]:
    lower = {f: f"LOWER({column(Child, f)})" for f in ("given_name", "family_name")}
    return {
        "select": ", ".join(column(Child, f) for f in BLOCK_FIELDS),
        "table": table(Child),
        "key": column(Child, "family_name_key"),
        "born": column(Child, "date_of_birth"),
        "reference": column(Child, "reference"),
        "given": lower["given_name"],
        # LOWER(...) LIKE as the ORM writes a startswith on it (a cast to text on PostgreSQL,
        # an ESCAPE on SQLite).
        **{
            f"{f}_starts": connection.ops.lookup_cast("startswith", "CharField") % sql
            + " "
            + connection.operators["startswith"] % "%s"  # type: ignore[attr-defined]
            for f, sql in lower.items()
        },
    }


def _in(values: list[Any]) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def _starts(value: str) -> str:
    return connection.ops.prep_for_like_query(value) + "%"


def child_block(
    condition: tuple[str, tuple[Any, ...]],
    q: ParsedQuery,
    born: tuple[dt.date, dt.date] | None,
    limit: int,
) -> list[tuple[Any, ...]]:
    """The rows worth scoring (BLOCK_FIELDS), each found through an index (the phonetic
    family key with lower(given_name), or the date of birth), at most `limit`, in the child
    scope `condition` (`Scope.children_condition`) and born between `born` if given:

    - two or more words, either way round: the same phonetic family name with a given name
      of the same group (the nickname table) or starting with the same two letters, or a
      given name of the group with a family name starting with the same three letters; with
      a date of birth, also any given name on the same phonetic family name born that day;
    - one word: a family name that sounds the same, or a given name of its group.

    Two-word blocks are ranked in SQL (same group first) before the rows are taken; a
    one-word block is only a sample of a common name, and says so on the page."""
    c = _columns()
    scope_sql, scope_params = condition
    where = [f"({scope_sql})"]
    params: list[Any] = [*scope_params]
    if born is not None:
        where.append(f"{c['born']} BETWEEN %s AND %s")
        params += [born[0], born[1]]
    order = ""
    if not q.family:
        names = group(q.given)
        where.append(f"({c['key']} = %s OR {c['given']} IN {_in(names)})")
        params += [name_key(q.given), *names]
    else:
        branches = []
        for given, family in ((q.given, q.family), (q.family, q.given)):
            key, names = name_key(family), group(given)
            branches.append(
                f"({c['key']} = %s AND ({c['given']} IN {_in(names)} OR {c['given_name_starts']}))"
            )
            params += [key, *names, _starts(normalise_name(given)[:2])]
            # A family name misspelt so that it sounds different: same given name group, and
            # the family name's first three letters.
            branches.append(f"({c['family_name_starts']} AND {c['given']} IN {_in(names)})")
            params += [_starts(family[:3]), *names]
            if q.date_of_birth is not None:
                days = dates(q.date_of_birth)
                branches.append(f"({c['born']} IN {_in(days)} AND {c['key']} = %s)")
                params += [*days, key]
        where.append(f"({' OR '.join(branches)})")
        first = group(q.given)
        order = f" ORDER BY CASE WHEN ({c['given']} IN {_in(first)}) THEN 0 ELSE 1 END ASC,"
        order += f" {c['reference']} ASC"
        params += first
    sql = f"SELECT {c['select']} FROM {c['table']} WHERE {' AND '.join(where)}{order}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT {int(limit)}", params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows
