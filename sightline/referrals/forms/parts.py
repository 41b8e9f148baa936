"""The referral form's parts: the concern, and one row each for a child, a person named and a
place named, with their formsets. They only parse: validation of the referral as a whole is
in referrals.inputs.validate, shared with the API."""

from __future__ import annotations

from typing import Any

from django import forms

from sightline.people.choices import Sex
from sightline.referrals.choices import ConcernCategory, PlaceKind, Urgency
from sightline.referrals.forms.fields import (
    YES_NO_UNKNOWN,
    OptionalDateField,
    form_helper,
    text_input,
)
from sightline.referrals.inputs import ChildInput, PersonInput, PlaceInput


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
        self.helper = form_helper()

    @staticmethod
    def tristate(value: str) -> bool | None:
        return {"yes": True, "no": False}.get(value)


class RowForm(forms.Form):
    """One repeated row of the referral form (a child, a person or a place)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
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
        widget=text_input(3, inputmode="numeric", spellcheck="false"),
        error_messages={"invalid": "Enter the approximate age as a number of years, like 14."},
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN, required=False)
    address = forms.CharField(label="Address", max_length=300, required=False)
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        widget=text_input(10, spellcheck="false", autocomplete="off"),
    )
    school = forms.CharField(label="School or college", max_length=200, required=False)
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        max_length=12,
        required=False,
        widget=text_input(10, inputmode="numeric", spellcheck="false", autocomplete="off"),
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
    # The description last, so the language flags shown as it is typed sit right below it.
    field_order = (
        "name", "nickname", "approximate_age", "phone", "vehicle_registration", "address",
        "description",
    )  # fmt: skip
    name = forms.CharField(label="Name", max_length=200, required=False)
    nickname = forms.CharField(
        label="Nickname or what the child calls them", max_length=100, required=False
    )
    approximate_age = forms.IntegerField(
        label="Approximate age",
        min_value=0,
        max_value=120,
        required=False,
        widget=text_input(3, inputmode="numeric", spellcheck="false"),
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
        widget=text_input(20, inputmode="tel", spellcheck="false", autocomplete="off"),
    )
    vehicle_registration = forms.CharField(
        label="Vehicle registration (even part of one)",
        max_length=12,
        required=False,
        widget=text_input(10, spellcheck="false", autocomplete="off"),
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
        widget=text_input(10, spellcheck="false", autocomplete="off"),
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
