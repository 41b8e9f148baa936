from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.dates import add_months
from sightline.core.errors import Invalid
from sightline.core.transactions import in_callers_transaction
from sightline.screening import scoring
from sightline.screening.choices import MarkStatus
from sightline.screening.models import (
    IndicatorCatalogue,
    IndicatorDefinition,
    Screening,
    ScreeningMark,
)


class ScreeningError(Invalid):
    """Bad screening input: unknown codes, a lowered level, a missing reason."""


def catalogue_load() -> IndicatorCatalogue:
    """Load the catalogue data file into the database (idempotent per version)."""
    catalogue = scoring.load_catalogue()
    existing = IndicatorCatalogue.objects.filter(version=catalogue.version).first()
    if existing is not None:
        if not existing.is_current:
            IndicatorCatalogue.objects.update(is_current=False)
            existing.is_current = True
            existing.save(update_fields=["is_current"])
        return existing
    raw = scoring.catalogue_raw()
    categories = catalogue.categories
    try:
        with transaction.atomic():
            IndicatorCatalogue.objects.update(is_current=False)
            row = IndicatorCatalogue.objects.create(
                version=catalogue.version, title=catalogue.title, data=raw, is_current=True
            )
            IndicatorDefinition.objects.bulk_create(
                IndicatorDefinition(
                    catalogue=row,
                    code=ind.code,
                    category=ind.category,
                    category_name=categories.get(ind.category, ind.category),
                    label=ind.label,
                    weight=ind.weight,
                    position=i,
                )
                for i, ind in enumerate(catalogue.indicators)
            )
    except IntegrityError:
        return IndicatorCatalogue.objects.get(version=catalogue.version)
    return row


def screening_record(
    *,
    acting_user: Any,
    referral_child: Any,
    catalogue_row: IndicatorCatalogue,
    marks: Iterable[dict[str, str]],
    age_years: int | None,
    has_learning_disability: bool,
    raised_level: str | None = None,
    raised_reason: str = "",
) -> Screening:
    """Score and store a screening. Must run inside the caller's transaction (the referral
    service that also moves the referral on)."""
    catalogue = scoring.load_catalogue()
    parsed: list[scoring.Mark] = []
    seen: set[str] = set()
    for item in marks:
        code = str(item.get("code", "")).strip().upper()
        if code not in catalogue.codes:
            raise ScreeningError(f"Unknown indicator code {code!r}.")
        if code in seen:
            raise ScreeningError(f"Indicator {code} is given more than once.")
        seen.add(code)
        try:
            status = scoring.Status(item.get("status", "not_known"))
            basis_raw = item.get("basis") or None
            basis = scoring.Basis(basis_raw) if basis_raw else None
        except ValueError as exc:
            raise ScreeningError(f"Indicator {code}: {exc}") from exc
        parsed.append(scoring.Mark(code, status, basis, str(item.get("note", ""))[:2000]))
    result = scoring.score(
        catalogue, parsed, age_years=age_years, has_learning_disability=has_learning_disability
    )
    if raised_level:
        try:
            requested = scoring.Level.from_name(raised_level)
        except (KeyError, ValueError) as exc:
            raise ScreeningError(f"Unknown level {raised_level!r}.") from exc
        if requested != result.level:
            try:
                result = scoring.apply_override(result, requested, raised_reason)
            except ValueError as exc:
                raise ScreeningError(str(exc)) from exc
    now = timezone.now()
    review_on: dt.date | None = None
    if result.level >= scoring.Level.MEDIUM:
        review_on = add_months(timezone.localdate(now), settings.SIGHTLINE_SCREENING_REVIEW_MONTHS)
    referral_child.screenings.filter(is_current=True).update(is_current=False)
    screening = Screening.objects.create(
        referral_child=referral_child,
        catalogue=catalogue_row,
        screened_by=acting_user,
        screened_at=now,
        age_years=age_years,
        score=result.score,
        computed_level=result.computed_level.value_name,
        level=result.level.value_name,
        raised_reason=raised_reason if result.level != result.computed_level else "",
        harm_indicated=result.harm_indicated,
        reasons=list(result.reasons),
        review_on=review_on,
        is_current=True,
    )
    ScreeningMark.objects.bulk_create(
        ScreeningMark(
            screening=screening,
            code=m.code,
            status=m.status.value,
            basis=m.basis.value if m.basis else "",
            note=m.note,
        )
        for m in parsed
    )
    audit_record(
        actor=acting_user,
        action=Action.SCREEN,
        object_type="screening",
        object_id=screening.pk,
        object_ref=referral_child.referral.reference,
        child_id=referral_child.child_id,
        referral_id=referral_child.referral_id,
        reason=screening.raised_reason,
        details={
            "level": screening.level,
            "computed_level": screening.computed_level,
            "score": screening.score,
            "catalogue": catalogue_row.version,
            "codes": sorted(m.code for m in parsed if m.status.value != "not_known"),
        },
    )
    return screening


def screening_level_preview(
    *, marks: dict[str, dict[str, str]], age_years: int | None, has_learning_disability: bool
) -> scoring.Level:
    """The level the marks on the screening page give (the current screening's, or what was
    just sent), before anything is stored: the page offers only this level and those above it
    to raise to. `marks` maps an indicator code to its `status`; unknown codes and statuses
    other than present or possible are left out, and marks the catalogue refuses give none."""
    catalogue = scoring.load_catalogue()
    chosen = [
        scoring.Mark(code, scoring.Status(v["status"]))
        for code, v in marks.items()
        if code in catalogue.codes and v.get("status") in (MarkStatus.PRESENT, MarkStatus.POSSIBLE)
    ]
    try:
        result = scoring.score(
            catalogue, chosen, age_years=age_years, has_learning_disability=has_learning_disability
        )
    except ValueError:
        return scoring.Level.NONE
    return result.computed_level


@in_callers_transaction
def screenings_purge(*, referral_child_ids: Iterable[Any]) -> int:
    """Delete the screenings (and their marks) of these referral children: the first step of
    deleting a child under the retention schedule (Screening PROTECTs its referral child)."""
    ScreeningMark.objects.filter(screening__referral_child_id__in=list(referral_child_ids)).delete()
    deleted, _ = Screening.objects.filter(referral_child_id__in=list(referral_child_ids)).delete()
    return deleted
