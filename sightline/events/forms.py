from __future__ import annotations

from django import forms

from sightline.events.choices import EventKind, InterviewStatus
from sightline.events.csvio import MAX_BYTES


class ImportForm(forms.Form):
    kind = forms.ChoiceField(choices=EventKind.choices, widget=forms.RadioSelect)
    file = forms.FileField(
        help_text=f"A CSV file, UTF-8, at most {MAX_BYTES // (1024 * 1024)} MB.",
        error_messages={"required": "Choose the CSV file to upload."},
    )
    accept_valid = forms.BooleanField(required=False)


class InterviewForm(forms.Form):
    status = forms.ChoiceField(
        choices=[c for c in InterviewStatus.choices if c[0] != InterviewStatus.DUE],
        widget=forms.RadioSelect,
    )
    at = forms.DateTimeField(
        label="When", help_text="For example 2026-03-02 14:30", input_formats=["%Y-%m-%d %H:%M"]
    )
    not_offered_reason = forms.CharField(required=False, widget=forms.Textarea, max_length=2000)
    interviewer = forms.CharField(required=False, max_length=200)
    where_stayed = forms.CharField(required=False, widget=forms.Textarea, max_length=2000)
    with_whom = forms.CharField(required=False, widget=forms.Textarea, max_length=2000)
    child_said = forms.CharField(required=False, widget=forms.Textarea, max_length=5000)
    actions = forms.CharField(required=False, widget=forms.Textarea, max_length=2000)
