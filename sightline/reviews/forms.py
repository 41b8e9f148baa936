"""Forms for the reviews pages. They parse and check shapes; the services hold the rules."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from django import forms

from sightline.accounts.models import Agency, User
from sightline.reviews.choices import MAX_GRANT_DAYS, RecommendationStatus


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
