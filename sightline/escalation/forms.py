from __future__ import annotations

from django import forms

from sightline.escalation.choices import ChallengeOutcome

REASON_HELP = "Say what has been done or decided. This is recorded and cannot be changed."


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        help_text=REASON_HELP,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"}),
        error_messages={"required": "Give a reason: nothing is dismissed without one."},
    )

    def clean_reason(self) -> str:
        value = str(self.cleaned_data["reason"]).strip()
        if not value:
            raise forms.ValidationError("Give a reason: nothing is dismissed without one.")
        return value


class ChallengeForm(ReasonForm):
    reason = forms.CharField(
        label="Why do you disagree with the decision?",
        help_text=(
            "What has happened, what you know that the decision may have missed, and what you "
            "think should happen for the child."
        ),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "govuk-textarea"}),
        error_messages={"required": "Say why you disagree with the decision."},
    )
    immediate_risk = forms.BooleanField(
        label="The child is at immediate risk: go straight to the partnership stage",
        required=False,
    )


RESPONSE_CHOICES = [
    (ChallengeOutcome.DECISION_UPHELD.value, "The decision stands"),
    (ChallengeOutcome.DECISION_CHANGED.value, "The decision will be changed"),
    (ChallengeOutcome.ESCALATED.value, "Not agreed: escalate to the next stage"),
]


class ChallengeResponseForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome of this stage", choices=RESPONSE_CHOICES)
    notes = forms.CharField(
        label="Notes of the discussion",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"}),
    )
