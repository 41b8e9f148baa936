"""The decision, match and break-glass forms."""

from __future__ import annotations

from typing import Any

from django import forms

from sightline.referrals.choices import Outcome
from sightline.referrals.forms.fields import form_helper


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
        self.helper = form_helper()


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
        self.helper = form_helper()
