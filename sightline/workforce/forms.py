from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from sightline.workforce.choices import ImportKind, RoleGroup
from sightline.workforce.csvio import MAX_BYTES


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        label="What the file holds",
        error_messages={"required": "Choose what the file holds"},
    )
    file = forms.FileField(
        label="CSV file",
        help_text="Columns as in the import guide. UTF-8, up to 5 MB.",
        error_messages={"required": "Choose a CSV file to upload", "empty": "The file is empty"},
    )
    accept_valid = forms.BooleanField(
        required=False, label="Store the good rows even if some rows have errors"
    )

    def clean_file(self) -> forms.Field:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB")
        return upload  # type: ignore[no-any-return]


class HeadcountForm(forms.Form):
    as_on = forms.DateField(
        label="Date of the figure",
        help_text="For example, 2026-03-31",
        error_messages={"required": "Enter the date of the figure", "invalid": "Enter a real date"},
    )
    team = forms.CharField(
        max_length=200, label="Team", error_messages={"required": "Enter the team"}
    )
    role_group = forms.ChoiceField(
        choices=RoleGroup.choices,
        label="Role group",
        error_messages={"required": "Choose the role group"},
    )
    headcount = forms.IntegerField(
        min_value=0,
        max_value=1_000_000,
        label="Number of staff",
        error_messages={"required": "Enter the number of staff", "invalid": "Enter a whole number"},
    )

    def clean_as_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["as_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return value
