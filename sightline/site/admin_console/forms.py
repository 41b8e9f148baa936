"""Forms of the administration console. Shape only: the rules (a role that fits the agency,
the screening age never above 12, a schedule that keeps audit longest) are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password

from sightline.accounts.choices import AgencyKind
from sightline.accounts.models import Agency, Team, User
from sightline.accounts.roles import Role
from sightline.escalation.choices import Rung, TimescaleKey, Unit
from sightline.retention.choices import HoldKind


class UserForm(forms.Form):
    username = forms.RegexField(regex=r"^[\w.@+-]+$", min_length=3, max_length=150)
    password = forms.CharField(
        widget=forms.PasswordInput, min_length=12, max_length=200,
        help_text="At least 12 characters. The user changes it at first sign-in.",
    )  # fmt: skip
    given_name = forms.CharField(max_length=150, required=False)
    family_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    job_title = forms.CharField(max_length=200, required=False)
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True), to_field_name="code"
    )
    role = forms.ChoiceField(choices=Role.choices)
    team = forms.ModelChoiceField(queryset=Team.objects.select_related("agency"), required=False)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password, User(username=self.data.get("username", "")))
        return password


class UserEditForm(forms.Form):
    given_name = forms.CharField(max_length=150, required=False)
    family_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    job_title = forms.CharField(max_length=200, required=False)
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True), to_field_name="code"
    )
    role = forms.ChoiceField(choices=Role.choices)
    team = forms.ModelChoiceField(queryset=Team.objects.select_related("agency"), required=False)

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "first_name": data["given_name"], "last_name": data["family_name"],
            "email": data["email"], "job_title": data["job_title"], "agency": data["agency"],
            "role": data["role"], "team": data["team"],
        }  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AgencyForm(forms.Form):
    name = forms.CharField(max_length=200)
    code = forms.SlugField(max_length=40)
    kind = forms.ChoiceField(choices=AgencyKind.choices)


class TeamForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True), to_field_name="code"
    )
    name = forms.CharField(max_length=200)


class TokenForm(forms.Form):
    username = forms.CharField(max_length=150)
    name = forms.CharField(max_length=100, initial="api")


class ClockPolicyForm(forms.Form):
    key = forms.ChoiceField(choices=TimescaleKey.choices)
    amount = forms.IntegerField(min_value=0)
    unit = forms.ChoiceField(choices=Unit.choices)


class LadderRungForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True), to_field_name="code"
    )
    rung = forms.TypedChoiceField(choices=Rung.choices, coerce=int)
    role = forms.ChoiceField(choices=Role.choices)
    hours = forms.IntegerField(min_value=1)


class ClosureDayForm(forms.Form):
    day = forms.DateField(help_text="For example 2027-12-24.")
    description = forms.CharField(max_length=200)


class ScreeningAgeForm(forms.Form):
    screening_min_age = forms.IntegerField(
        min_value=0, label="Screen every referral of a child aged",
        help_text="Never above 12: every referral of a child over 12 is screened for CSE.",
    )  # fmt: skip


class ThresholdForm(forms.Form):
    key = forms.SlugField(max_length=60)
    value = forms.IntegerField(min_value=0)
    description = forms.CharField(max_length=200, required=False)


class ScheduleForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 24}), max_length=20_000)


class HoldForm(forms.Form):
    child_reference = forms.CharField(max_length=20, label="Child's reference")
    kind = forms.ChoiceField(choices=HoldKind.choices)
    matter = forms.CharField(max_length=200, help_text="The review, claim or inquiry.")
