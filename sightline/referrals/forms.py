"""Web forms for the front door. They only parse: validation of the referral as a whole is
in referrals.inputs.validate, shared with the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Fieldset, Layout, Size
from django import forms

from sightline.people.choices import Sex
from sightline.referrals.choices import ConcernCategory, Outcome, PlaceKind, Urgency
from sightline.referrals.inputs import ChildInput, PersonInput, PlaceInput

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


class ChildForm(forms.Form):
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
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN)
    address = forms.CharField(label="Address", max_length=300, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    school = forms.CharField(label="School or college", max_length=200, required=False)
    nhs_number = forms.CharField(label="NHS number (optional)", max_length=12, required=False)
    has_learning_disability = forms.BooleanField(
        label="The child has a learning disability or autism", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def to_input(self) -> ChildInput:
        d = self.cleaned_data
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


class PersonForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, required=False)
    nickname = forms.CharField(
        label="Nickname or what the child calls them", max_length=100, required=False
    )
    approximate_age = forms.IntegerField(
        label="Approximate age", min_value=0, max_value=120, required=False
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(label="Phone number", max_length=30, required=False)
    vehicle_registration = forms.CharField(
        label="Vehicle registration (even part of one)", max_length=12, required=False
    )
    address = forms.CharField(label="Address", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def to_input(self) -> PersonInput:
        d = self.cleaned_data
        values: dict[str, Any] = {
            k: (d.get(k) if k == "approximate_age" else d.get(k) or "") for k in self.fields
        }
        return PersonInput(**values)


class PlaceForm(forms.Form):
    name = forms.CharField(label="Name of the place", max_length=200, required=False)
    kind = forms.ChoiceField(
        label="Kind of place", choices=PlaceKind.choices, initial=PlaceKind.OTHER
    )
    address = forms.CharField(label="Address", max_length=300, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def to_input(self) -> PlaceInput:
        d = self.cleaned_data
        return PlaceInput(
            name=d.get("name") or "",
            kind=d.get("kind") or PlaceKind.OTHER,
            address=d.get("address") or "",
            postcode=d.get("postcode") or "",
        )


ChildFormSet = forms.formset_factory(ChildForm, extra=0, min_num=1, max_num=20)
PersonFormSet = forms.formset_factory(PersonForm, extra=0, min_num=1, max_num=50)
PlaceFormSet = forms.formset_factory(PlaceForm, extra=0, min_num=1, max_num=50)


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
