from __future__ import annotations

from typing import Any

from django import forms

from sightline.reporting.choices import SearchPurpose, SearchType
from sightline.reporting.search import MAX_QUERY, searchable_types


class SearchForm(forms.Form):
    """Purpose first: no result shows until the user has said why they are searching."""

    purpose = forms.ChoiceField(
        label="Why are you searching?",
        choices=SearchPurpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why you are searching before the results are shown."},
    )
    q = forms.CharField(
        label="Name, date of birth or age, reference, postcode, phone or registration",
        max_length=MAX_QUERY,
        strip=True,
        error_messages={
            "required": "Enter a name, date of birth or age, reference, postcode, phone number "
            "or registration to search for.",
            "max_length": f"Search for {MAX_QUERY} characters or fewer.",
        },
    )
    types = forms.MultipleChoiceField(
        label="Search for", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = searchable_types(user)
        self.fields["types"].choices = [(t, SearchType(t).label) for t in allowed]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("types", allowed)
