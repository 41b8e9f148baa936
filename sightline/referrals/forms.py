"""Web forms for the front door. They only parse: validation of the referral as a whole is
in referrals.inputs.validate, shared with the API."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Fieldset, Layout, Size
from django import forms
from django.http import QueryDict
from django.utils import timezone

from sightline.people.choices import Sex
from sightline.referrals.choices import ConcernCategory, Outcome, PlaceKind, Urgency
from sightline.referrals.inputs import (
    ChildInput,
    PersonInput,
    PlaceInput,
    ReferralInput,
    ReferralInvalid,
    validate,
)

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]


def _helper(*fields: Any, legend: str | None = None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if legend:
        helper.layout = Layout(Fieldset(*fields, legend=legend, legend_size=Size.MEDIUM))
    return helper


class OptionalDateField(DateInputField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.required = False
        self.require_all_fields = False
        for field in self.fields:
            field.required = False

    def compress(self, data_list: list[Any]) -> dt.date | None:
        if not data_list or not any(data_list):
            return None
        try:
            day, month, year = (int(v) for v in data_list)
            return dt.date(year, month, day)
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError("Enter a real date of birth, like 27 3 2011.") from exc


class ReferralForm(forms.Form):
    narrative = forms.CharField(
        label="What is the concern?",
        help_text="Say what happened, what you saw or were told, by whom and when. Describe what "
        "adults did; a child cannot consent to their own exploitation.",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=50_000,
        error_messages={"required": "Describe the concern: what has happened."},
    )
    concern_categories = forms.MultipleChoiceField(
        label="What kind of concern is it?",
        choices=ConcernCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Urgency.choices,
        initial=Urgency.ROUTINE,
        widget=forms.RadioSelect,
    )
    child_aware = forms.ChoiceField(
        label="Does the child know about this referral?",
        choices=YES_NO_UNKNOWN,
        initial="unknown",
        widget=forms.RadioSelect,
    )
    family_aware = forms.ChoiceField(
        label="Does the family know about this referral?",
        choices=YES_NO_UNKNOWN,
        initial="unknown",
        widget=forms.RadioSelect,
        help_text="Tell the family unless that would put the child at greater risk.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    @staticmethod
    def tristate(value: str) -> bool | None:
        return {"yes": True, "no": False}.get(value)


def _text(width: int, **attrs: str) -> forms.TextInput:
    """A GOV.UK text input of a fixed width (govuk-input--width-N); crispy-forms-gds adds
    govuk-input itself. Numbers use inputmode rather than type=number, as GOV.UK advises."""
    return forms.TextInput(attrs={"class": f"govuk-input--width-{width}", **attrs})


class RowForm(forms.Form):
    """One repeated row of the referral form (a child, a person or a place)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        # Problems with the row as a whole (not one field), shown above the row and in the
        # error summary. Kept apart from non_field_errors, which crispy-forms-gds draws in
        # Bootstrap's style.
        self.row_errors: list[str] = []

    def is_blank(self) -> bool:
        """Nothing was entered: every value is empty or the field's default (a select left at
        'Not known'). A blank extra row is ignored rather than sent as a phantom child."""
        if not self.is_bound:
            return True
        for name, field in self.fields.items():
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            values = raw if isinstance(raw, list | tuple) else [raw]
            if all(
                v is None or v is False or (isinstance(v, str) and not v.strip()) for v in values
            ):
                continue
            if raw == self.get_initial_for_field(field, name):
                continue
            return False
        return True


class ChildForm(RowForm):
    given_name = forms.CharField(label="Given name", max_length=100, required=False)
    family_name = forms.CharField(label="Family name", max_length=100, required=False)
    date_of_birth = OptionalDateField(
        label="Date of birth", help_text="For example, 27 3 2011. Leave blank if not known."
    )
    approximate_age = forms.IntegerField(
        label="Approximate age, if the date of birth is not known",
        min_value=0,
        max_value=25,
        required=False,
        widget=_text(3, inputmode="numeric", spellcheck="false"),
        error_messages={"invalid": "Enter the approximate age as a number of years, like 14."},
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN, required=False)
    address = forms.CharField(label="Address", max_length=300, required=False)
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        widget=_text(10, spellcheck="false", autocomplete="off"),
    )
    school = forms.CharField(label="School or college", max_length=200, required=False)
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        max_length=12,
        required=False,
        widget=_text(10, inputmode="numeric", spellcheck="false", autocomplete="off"),
    )
    has_learning_disability = forms.BooleanField(
        label="The child has a learning disability or autism", required=False
    )

    def to_input(self) -> ChildInput:
        d = getattr(self, "cleaned_data", {})
        return ChildInput(
            given_name=d.get("given_name") or "",
            family_name=d.get("family_name") or "",
            date_of_birth=d.get("date_of_birth"),
            approximate_age=d.get("approximate_age"),
            sex=d.get("sex") or Sex.UNKNOWN,
            address=d.get("address") or "",
            postcode=d.get("postcode") or "",
            school=d.get("school") or "",
            nhs_number=d.get("nhs_number") or "",
            has_learning_disability=bool(d.get("has_learning_disability")),
        )


class PersonForm(RowForm):
    name = forms.CharField(label="Name", max_length=200, required=False)
    nickname = forms.CharField(
        label="Nickname or what the child calls them", max_length=100, required=False
    )
    approximate_age = forms.IntegerField(
        label="Approximate age",
        min_value=0,
        max_value=120,
        required=False,
        widget=_text(3, inputmode="numeric", spellcheck="false"),
        error_messages={"invalid": "Enter the approximate age as a number of years, like 25."},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        required=False,
        widget=_text(20, inputmode="tel", spellcheck="false", autocomplete="off"),
    )
    vehicle_registration = forms.CharField(
        label="Vehicle registration (even part of one)",
        max_length=12,
        required=False,
        widget=_text(10, spellcheck="false", autocomplete="off"),
    )
    address = forms.CharField(label="Address", max_length=300, required=False)

    def to_input(self) -> PersonInput:
        d = getattr(self, "cleaned_data", {})
        values: dict[str, Any] = {
            k: (d.get(k) if k == "approximate_age" else d.get(k) or "") for k in self.fields
        }
        return PersonInput(**values)


class PlaceForm(RowForm):
    name = forms.CharField(label="Name of the place", max_length=200, required=False)
    kind = forms.ChoiceField(
        label="Kind of place", choices=PlaceKind.choices, initial=PlaceKind.OTHER, required=False
    )
    address = forms.CharField(label="Address", max_length=300, required=False)
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        widget=_text(10, spellcheck="false", autocomplete="off"),
    )

    def to_input(self) -> PlaceInput:
        d = getattr(self, "cleaned_data", {})
        return PlaceInput(
            name=d.get("name") or "",
            kind=d.get("kind") or PlaceKind.OTHER,
            address=d.get("address") or "",
            postcode=d.get("postcode") or "",
        )


# absolute_max = max_num: a posted TOTAL_FORMS above the limit is cut to it (and reported)
# rather than building a thousand forms.
ChildFormSet = forms.formset_factory(ChildForm, extra=0, min_num=1, max_num=20, absolute_max=20)
PersonFormSet = forms.formset_factory(PersonForm, extra=0, min_num=1, max_num=50, absolute_max=50)
PlaceFormSet = forms.formset_factory(PlaceForm, extra=0, min_num=1, max_num=50, absolute_max=50)


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


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome."},
    )
    reason = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        error_messages={"required": "Give the reason for the decision."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class MatchForm(forms.Form):
    reason = forms.CharField(label="Why (optional)", required=False, max_length=2000)


class BreakGlassForm(forms.Form):
    reference = forms.CharField(
        label="Referral reference", max_length=20, help_text="For example, SL-2026-000123."
    )
    reason = forms.CharField(
        label="Why do you need to open this record now?",
        help_text="Your reason is recorded and the front door's managers are told straight away.",
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=10,
        max_length=2000,
        error_messages={"required": "Give the reason you need to open this record."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
