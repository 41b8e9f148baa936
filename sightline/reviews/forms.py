"""Forms for the reviews pages. They parse and check shapes; the services hold the rules."""

from __future__ import annotations

import re
from typing import Any

from crispy_forms_gds.helper import FormHelper
from django import forms

from sightline.accounts.models import Agency, User
from sightline.reviews.choices import MAX_GRANT_DAYS, RecommendationStatus, ReviewKind


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class SignificanceForm(_Form):
    entry_key = forms.CharField(max_length=100, widget=forms.HiddenInput)
    significance = forms.CharField(
        label="Significance", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    is_key = forms.BooleanField(label="Key event", required=False)


class GrantForm(_Form):
    username = forms.CharField(
        label="Reviewer's username", max_length=150,
        error_messages={"required": "Give the reviewer's username."},
    )  # fmt: skip
    days = forms.IntegerField(
        label="Days of access", min_value=1, max_value=MAX_GRANT_DAYS, initial=90
    )

    def clean_username(self) -> User:
        user = User.objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise forms.ValidationError("There is no user with that username.")
        return user


class FindingForm(_Form):
    text = forms.CharField(
        label="Finding", max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3, "id": "finding_text"}),
        error_messages={"required": "Write the finding."},
    )  # fmt: skip


class RecommendationForm(_Form):
    text = forms.CharField(
        label="Recommendation", max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3, "id": "recommendation_text"}),
        error_messages={"required": "Write the recommendation."},
    )  # fmt: skip
    owner_agency = forms.ModelChoiceField(
        label="Owning agency", queryset=Agency.objects.filter(is_active=True),
        to_field_name="code", error_messages={"required": "Choose the owning agency."},
    )  # fmt: skip
    owner_username = forms.CharField(
        label="Owner's username", max_length=150,
        error_messages={"required": "Name the person who owns this recommendation."},
    )  # fmt: skip
    due_on = forms.DateField(
        label="Due on (YYYY-MM-DD)", error_messages={"required": "Give the date it is due."}
    )
    required_evidence = forms.CharField(
        label="Evidence that will show it is done", max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what evidence will show it is done."},
    )  # fmt: skip

    def clean_owner_username(self) -> User:
        user = User.objects.filter(username=self.cleaned_data["owner_username"].strip()).first()
        if user is None:
            raise forms.ValidationError("There is no user with that username.")
        return user


class RecommendationUpdateForm(_Form):
    status = forms.ChoiceField(
        label="Status", choices=[("", "Keep the status"), *RecommendationStatus.choices],
        required=False,
    )  # fmt: skip
    note = forms.CharField(
        label="Update", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        label="Evidence", required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class DetectorRunForm(_Form):
    start = forms.DateField(label="From (YYYY-MM-DD)")
    end = forms.DateField(label="To (YYYY-MM-DD)")
    children = forms.CharField(
        label="Children (references, one a line; leave empty for every child)",
        required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "'To' must be on or after 'From'.")
        refs = [r.strip() for r in (data.get("children") or "").split() if r.strip()]
        data["refs"] = list(dict.fromkeys(refs))
        return data


class AcknowledgeForm(_Form):
    note = forms.CharField(
        label="What you have done or will do", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


REFERENCES_MAX = 50  # children in one review's scope, as typed
DATE_INPUT = {"class": "govuk-input govuk-input--width-10", "inputmode": "numeric"}


class ReviewStartForm(_Form):
    """Starting a case review from the page (the API's `POST /reviews`): the children by
    reference, the period, the agencies (none ticked: all), and for a rapid review the time
    the serious incident became known."""

    kind = forms.ChoiceField(
        label="Kind of review", choices=ReviewKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of review."},
    )  # fmt: skip
    title = forms.CharField(
        label="Title", max_length=200,
        help_text="References, not names: the title is shown on lists and exports.",
        error_messages={"required": "Give the review a title (references, not names)."},
    )  # fmt: skip
    children = forms.CharField(
        label="Children in scope", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Their references, one a line or separated by commas, e.g. CH-2026-0000042.",
        error_messages={"required": "A review needs at least one child in its scope."},
    )  # fmt: skip
    period_start = forms.DateField(
        label="Period from (YYYY-MM-DD)", widget=forms.TextInput(attrs=DATE_INPUT),
        error_messages={"required": "Give the first day of the period reviewed."},
    )  # fmt: skip
    period_end = forms.DateField(
        label="Period to (YYYY-MM-DD)", widget=forms.TextInput(attrs=DATE_INPUT),
        error_messages={"required": "Give the last day of the period reviewed."},
    )  # fmt: skip
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies", required=False, widget=forms.CheckboxSelectMultiple,
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        help_text="Leave every box empty to review every agency's records.",
    )  # fmt: skip
    incident_at = forms.DateTimeField(
        label="When the serious incident became known (YYYY-MM-DD HH:MM; rapid reviews)",
        required=False, input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )  # fmt: skip

    def clean_children(self) -> list[str]:
        refs = [r.strip().upper() for r in re.split(r"[,\s]+", self.cleaned_data["children"])]
        refs = list(dict.fromkeys(r for r in refs if r))
        if not refs:
            raise forms.ValidationError("A review needs at least one child in its scope.")
        if len(refs) > REFERENCES_MAX:
            raise forms.ValidationError(f"At most {REFERENCES_MAX} children in one review.")
        if too_long := [r for r in refs if len(r) > 20]:
            raise forms.ValidationError(f"Not a child's reference: {too_long[0][:20]}…")
        return refs


class ReviewDatesForm(_Form):
    """When the national panel was notified and the rapid review done (either or both)."""

    notified_at = forms.DateTimeField(
        label="National panel notified (YYYY-MM-DD HH:MM)", required=False,
        input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )  # fmt: skip
    rapid_review_done_at = forms.DateTimeField(
        label="Rapid review done (YYYY-MM-DD HH:MM)", required=False,
        input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )  # fmt: skip
