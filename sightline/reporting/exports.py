"""The child's chronology as JSON rows, CSV and PDF, each export audited (action export).

CSV cells that a spreadsheet would read as a formula (starting =, +, -, @, or a tab or
carriage return) are prefixed with a single quote. The PDF is drawn by WeasyPrint from a
template, with every outside fetch refused (the document carries its own styles).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Invalid
from sightline.reporting.child_hub import ChildHub, child_hub
from sightline.reporting.chronology import Entry

FORMATS = ("json", "csv", "pdf")
COLUMNS = (
    "date", "time", "age", "agency", "kind", "summary", "outcome", "source_reference",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def entry_row(entry: Entry) -> dict[str, Any]:
    local = timezone.localtime(entry.at)
    return {
        "date": local.date().isoformat(),
        "time": local.strftime("%H:%M"),
        "age": entry.age,
        "agency": entry.agency,
        "kind": entry.kind,
        "kind_label": entry.kind_label,
        "summary": entry.summary,
        "outcome": entry.outcome,
        "source_reference": entry.source_ref,
        "source_url": entry.source_url,
    }


def chronology_csv(hub: ChildHub) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for entry in hub.chronology:
        row = entry_row(entry)
        row["kind"] = row["kind_label"]
        writer.writerow([safe_cell(row[c]) for c in COLUMNS])
    return buffer.getvalue()


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError("the chronology PDF fetches nothing")


def chronology_pdf(hub: ChildHub) -> bytes:
    html = render_to_string(
        "reporting/chronology_pdf.html",
        {"hub": hub, "child": hub.child, "rows": [entry_row(e) for e in hub.chronology],
         "printed_at": timezone.localtime()},
    )  # fmt: skip
    pdf: bytes = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    return pdf


@dataclass(frozen=True)
class Export:
    hub: ChildHub
    format: str
    content: bytes | str | list[dict[str, Any]]

    @property
    def content_type(self) -> str:
        return {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}.get(
            self.format, "application/json"
        )

    @property
    def filename(self) -> str:
        return f"chronology-{self.hub.child.reference}.{self.format}"


def chronology_export(*, user: Any, child_id: Any, fmt: str) -> Export | None:
    """The chronology in `fmt`, with its export recorded; None for a child the user may not
    see (nothing recorded)."""
    if fmt not in FORMATS:
        raise Invalid(f"Choose a format from {', '.join(FORMATS)}.")
    with transaction.atomic():
        hub = child_hub(user=user, child_id=child_id)
        if hub is None:
            return None
        content: bytes | str | list[dict[str, Any]]
        if fmt == "csv":
            content = chronology_csv(hub)
        elif fmt == "pdf":
            content = chronology_pdf(hub)
        else:
            content = [entry_row(e) for e in hub.chronology]
        audit_record(
            actor=user,
            action=Action.EXPORT,
            object_type="chronology",
            object_id=hub.child.pk,
            object_ref=hub.child.reference,
            child_id=hub.child.pk,
            details={"format": fmt, "rows": len(hub.chronology)},
        )
        return Export(hub=hub, format=fmt, content=content)
