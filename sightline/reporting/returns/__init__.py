"""Statutory returns: the CIN census (one writer per collection year) and Ofsted Annex A."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
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


def cin_census_export(*, user: Any, year: str, la: str = "999") -> CensusResult:
    """The census for a download (page or API): strict, so nothing is written while any error
    remains (the caller lists `failures`); a written census holds every referred child, so it
    writes one `record.export` audit row."""
    result = cin_census(year, la, strict=True)
    if result.xml is not None:
        with transaction.atomic():
            audit_record(
                actor=user,
                action=Action.EXPORT,
                object_type="cin_census",
                object_ref=f"CIN {year}",
                details={"year": year, "la": la, "children": result.children},
            )
    return result


def refusal(result: CensusResult) -> Invalid:
    """The 422 for a census with errors: the failures as JSON."""
    return Invalid(
        {
            "message": f"{len(result.errors)} error(s) must be corrected before the census.",
            "failures": [f.as_dict() for f in result.failures],
        }
    )
