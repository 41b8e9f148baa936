"""Readable references such as SL-2026-000123, made under a row lock so two concurrent
intakes never share a number. Must be called inside a transaction."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from sightline.core.models import ReferenceCounter


def next_reference(prefix: str, year: int, width: int = 6) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_reference must run inside a transaction")
    counter = ReferenceCounter.objects.select_for_update().filter(prefix=prefix, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(prefix=prefix, year=year, last_value=0)
        except IntegrityError:
            pass  # another transaction created it first; lock it below
        counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
    ReferenceCounter.objects.filter(pk=counter.pk).update(last_value=F("last_value") + 1)
    counter.refresh_from_db(fields=["last_value"])
    return f"{prefix}-{year}-{counter.last_value:0{width}d}"
