"""Pieces the front door's forms share: the crispy-forms-gds helper, the optional date field,
a fixed-width text input."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Fieldset, Layout, Size
from django import forms

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]


def form_helper(*fields: Any, legend: str | None = None) -> FormHelper:
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


def text_input(width: int, **attrs: str) -> forms.TextInput:
    """A GOV.UK text input of a fixed width (govuk-input--width-N); crispy-forms-gds adds
    govuk-input itself. Numbers use inputmode rather than type=number, as GOV.UK advises."""
    return forms.TextInput(attrs={"class": f"govuk-input--width-{width}", **attrs})
