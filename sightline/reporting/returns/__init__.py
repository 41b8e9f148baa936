"""Statutory returns: the CIN census (one writer per collection year) and Ofsted Annex A."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from sightline.core.errors import Invalid
from sightline.reporting.returns import cin_2025_26
from sightline.reporting.returns.census import (
    ChildRow,
    CollectionYear,
    Failure,
    check,
    collection_year,
    gather,
)

Writer = Callable[[list[ChildRow], CollectionYear, str, dt.datetime], bytes]
EXPORTERS: dict[str, Writer] = {"2025-26": cin_2025_26.write}


@dataclass
class CensusResult:
    xml: bytes | None
    failures: list[Failure]
    children: int

    @property
    def errors(self) -> list[Failure]:
        return [f for f in self.failures if not f.is_query]


def cin_census(year: str, la: str = "999", *, strict: bool = False) -> CensusResult:
    """Gather, check and (unless `strict` and an error remains) write the census."""
    writer = EXPORTERS.get(year)
    if writer is None:
        supported = ", ".join(sorted(EXPORTERS))
        raise Invalid(f"Collection year {year!r} is not supported (supported: {supported}).")
    if not (la.isdigit() and len(la) == 3):
        raise Invalid("The local authority code must be three digits.")
    period = collection_year(year)
    children = gather(period)
    failures = check(children, period)
    result = CensusResult(None, failures, len(children))
    if strict and result.errors:
        return result
    result.xml = writer(children, period, la, timezone.now())
    return result
