"""The referral page's forms together (ReferralForms): adding and removing rows, the errors
of the shared validation put back on the fields they are about, and the error summary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone

from sightline.referrals.choices import Urgency
from sightline.referrals.forms.parts import (
    ChildFormSet,
    PersonFormSet,
    PlaceFormSet,
    ReferralForm,
)
from sightline.referrals.inputs import ReferralInput, ReferralInvalid, validate


@dataclass(frozen=True)
class Section:
    """A repeated part of the referral form: its form prefix, its key in ReferralInput and in
    ReferralInvalid.errors, and the word for one row."""

    prefix: str
    key: str
    noun: str
    formset_class: Any


SECTIONS = (
    Section("child", "children", "Child", ChildFormSet),
    Section("person", "persons_named", "Person", PersonFormSet),
    Section("place", "places_named", "Place", PlaceFormSet),
)
_SECTION_BY_KEY = {s.key: s for s in SECTIONS}
# `children[0].date_of_birth`, `persons_named[2]`
_ERROR_KEY = re.compile(r"^(?P<key>\w+)\[(?P<index>\d+)\](?:\.(?P<field>\w+))?$")


@dataclass(frozen=True)
class SummaryItem:
    """One line of the error summary: the message and the id of the input it is about
    ("" for a problem with the referral as a whole)."""

    message: str
    anchor: str


def field_anchor(bound: forms.BoundField) -> str:
    """The id the error summary links to: the first input of a date (the day), the first
    option of radios or checkboxes (crispy-forms-gds numbers them from 1), else the input."""
    widget = bound.field.widget
    if isinstance(widget, forms.MultiWidget):
        return f"{bound.auto_id}_0"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_1"
    return str(bound.auto_id)


def _total(data: QueryDict, prefix: str) -> int | None:
    try:
        return int(data.get(f"{prefix}-TOTAL_FORMS", ""))
    except ValueError:
        return None


def _add_row(data: QueryDict, section: Section) -> QueryDict:
    total = _total(data, section.prefix) or 0
    if total >= section.formset_class.max_num:
        return data
    data = data.copy()
    data[f"{section.prefix}-TOTAL_FORMS"] = str(total + 1)
    return data


def _remove_row(data: QueryDict, section: Section, raw_index: str) -> QueryDict:
    """Drop row `index` and renumber the rows after it, so the formset stays contiguous. The
    first row cannot be removed (a referral names at least one child)."""
    total = _total(data, section.prefix) or 0
    try:
        index = int(raw_index)
    except ValueError:
        return data
    if not 1 <= index < total:
        return data
    row = re.compile(rf"^{section.prefix}-(\d+)-(.+)$")
    kept = QueryDict(mutable=True)
    for key in data:
        match = row.match(key)
        if match is None:
            kept.setlist(key, data.getlist(key))
            continue
        position = int(match[1])
        if position != index:
            moved = position - 1 if position > index else position
            kept.setlist(f"{section.prefix}-{moved}-{match[2]}", data.getlist(key))
    kept[f"{section.prefix}-TOTAL_FORMS"] = str(total - 1)
    return kept


def _unbound_copy(form: forms.Form) -> Any:
    """The same form, unbound, showing what was typed as its initial values: re-rendered after
    adding or removing a row, it shows no errors. A value that was not sent (a new row) keeps
    the field's own default."""
    initial = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            initial[name] = value
    return type(form)(
        initial=initial,
        prefix=form.prefix,
        auto_id=form.auto_id,
        use_required_attribute=form.use_required_attribute,
    )


class ReferralForms:
    """The referral page's forms together: the concern, and the child, person and place rows.

    A POST is one of three things: adding a row (`add_child`, ...), removing one
    (`remove_child=<n>`), or sending the referral. Adding or removing re-renders the page with
    what was typed and shows no errors; only sending validates. Blank extra rows are ignored.
    """

    def __init__(self, data: QueryDict | None = None) -> None:
        self.general_errors: list[str] = []
        self.section_errors: dict[str, list[str]] = {s.key: [] for s in SECTIONS}
        self.rows: dict[str, list[int]] = {s.key: [] for s in SECTIONS}
        self.changing_rows = False
        if data is not None and all(_total(data, s.prefix) is not None for s in SECTIONS):
            for section in SECTIONS:
                if f"add_{section.prefix}" in data:
                    data, self.changing_rows = _add_row(data, section), True
                elif f"remove_{section.prefix}" in data:
                    raw = data.get(f"remove_{section.prefix}", "")
                    data, self.changing_rows = _remove_row(data, section, raw), True
        self.form = ReferralForm(data)
        self.formsets = {s.key: s.formset_class(data, prefix=s.prefix) for s in SECTIONS}
        if self.changing_rows:
            self.form = _unbound_copy(self.form)
            for formset in self.formsets.values():
                formset.forms[:] = [_unbound_copy(f) for f in formset.forms]

    @property
    def is_submit(self) -> bool:
        return self.form.is_bound and not self.changing_rows

    def is_valid(self) -> bool:
        """Parse every form (no short cut, so every error is found) and note which rows hold
        something: blank extra rows are left out of the referral."""
        results = [self.form.is_valid()] + [fs.is_valid() for fs in self.formsets.values()]
        for section in SECTIONS:
            forms_ = self.formsets[section.key].forms
            rows = [i for i, f in enumerate(forms_) if not f.is_blank()]
            if section.key == "children" and not rows and forms_:
                rows = [0]  # so "name the child" lands on the first child
            self.rows[section.key] = rows
        return all(results)

    def to_input(self) -> ReferralInput:
        d = getattr(self.form, "cleaned_data", {})
        rows = {
            s.key: [self.formsets[s.key].forms[i].to_input() for i in self.rows[s.key]]
            for s in SECTIONS
        }
        return ReferralInput(
            narrative=d.get("narrative") or "",
            children=rows["children"],
            concern_categories=d.get("concern_categories") or [],
            persons_named=rows["persons_named"],
            places_named=rows["places_named"],
            child_aware=ReferralForm.tristate(d.get("child_aware") or ""),
            family_aware=ReferralForm.tristate(d.get("family_aware") or ""),
            urgency=d.get("urgency") or Urgency.ROUTINE,
        )

    def check_whole_referral(self) -> None:
        """When some fields did not parse, still run the shared validation on the rest, so the
        summary lists every problem at once rather than one batch after another."""
        now = timezone.now()
        try:
            validate(self.to_input(), today=timezone.localdate(now), now=now)
        except ReferralInvalid as exc:
            self.add_errors(exc.errors)

    def add_errors(self, errors: dict[str, str]) -> None:
        """Attach errors keyed like ReferralInvalid.errors (`children[0].date_of_birth`) to the
        field of the row they are about. A field that already shows an error keeps it."""
        for key, message in errors.items():
            match = _ERROR_KEY.match(key)
            section = _SECTION_BY_KEY.get(match["key"]) if match else None
            if match and section:
                rows = self.rows[section.key]
                index = int(match["index"])
                if index < len(rows):
                    form = self.formsets[section.key].forms[rows[index]]
                    name = match["field"]
                    if name in form.fields:
                        if not form.has_error(name):
                            form.add_error(name, message)
                    else:
                        form.row_errors.append(message)
                    continue
            if key in self.section_errors:
                self.section_errors[key].append(message)
            elif key in self.form.fields:
                if not self.form.has_error(key):
                    self.form.add_error(key, message)
            else:
                self.general_errors.append(message)

    def summary(self) -> list[SummaryItem]:
        """Every error on the page, in page order, each linked to its input."""
        if not self.is_submit:
            return []
        items = [SummaryItem(m, "") for m in self.general_errors]
        for section in SECTIONS:
            formset = self.formsets[section.key]
            forms_ = formset.forms
            first = field_anchor(forms_[0][next(iter(forms_[0].fields))]) if forms_ else ""
            for message in [*self.section_errors[section.key], *formset.non_form_errors()]:
                items.append(SummaryItem(message, first or section.key))
            for n, form in enumerate(forms_, start=1):
                label = f"{section.noun} {n}: "
                own_first = field_anchor(form[next(iter(form.fields))])
                items += [SummaryItem(label + m, own_first) for m in form.row_errors]
                for bound in form:
                    items += [
                        SummaryItem(label + str(m), field_anchor(bound)) for m in bound.errors
                    ]
            if section.key == "children":
                for bound in self.form:
                    items += [SummaryItem(str(m), field_anchor(bound)) for m in bound.errors]
        return items

    @property
    def has_errors(self) -> bool:
        return bool(self.summary())

    def sections(self) -> list[dict[str, Any]]:
        """What the template draws for each repeated part."""
        return [
            {
                "section": s,
                "formset": self.formsets[s.key],
                "errors": [*self.section_errors[s.key], *self.formsets[s.key].non_form_errors()]
                if self.is_submit
                else [],
                "can_add": len(self.formsets[s.key].forms) < s.formset_class.max_num,
            }
            for s in SECTIONS
        ]
