"""Forms for recording a meeting on its pages: attendance, an item's discussion, an action
agreed, an action's progress. They parse and check shapes only; the rules (owner in the
owning agency, due date not before the meeting, quorum, fixed minutes) are the services'."""

from __future__ import annotations

from typing import Any

from django import forms

from sightline.accounts.choices import AgencyKind
from sightline.accounts.models import Agency, User
from sightline.meetings.choices import ActionStatus, Attendance
from sightline.meetings.models import Meeting
from sightline.meetings.rules import QUORUM
from sightline.meetings.services.meetings import RISK_VIEWS

DATE_HINT = "For example, 2027-01-31 (year, month, day)."
CHAIR_AGENCY_KINDS = (AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE)


def _date_field(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        help_text=DATE_HINT,
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": f"Enter the {label.lower()} as a date, for example 2027-01-31.",
        },
    )


class AttendanceForm(forms.Form):
    """One choice per invited person, and one per invited agency with no invited person."""

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[str, Any, Any]] = []
        recorded = {(a.agency_id, a.user_id): a.status for a in meeting.attendance.all()}
        people = list(meeting.invited_people.select_related("agency").order_by("agency__name"))
        with_person = {p.agency_id for p in people}
        for person in people:
            self.rows.append((f"user-{person.pk}", person.agency, person))
        for agency in meeting.invited_agencies.order_by("name"):
            if agency.pk not in with_person:
                self.rows.append((f"agency-{agency.pk}", agency, None))
        for name, agency, person in self.rows:
            label = f"{person.display_name} ({agency.name})" if person else agency.name
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=Attendance.choices,
                initial=recorded.get((agency.pk, person.pk if person else None)),
                error_messages={"required": f"Say whether {label} was present."},
            )

    def entries(self) -> list[tuple[Any, Any, str]]:
        return [(agency, person, self.cleaned_data[name]) for name, agency, person in self.rows]


class DiscussionForm(forms.Form):
    summary = forms.CharField(
        label="Discussion summary", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    risk_view = forms.ChoiceField(
        label="Risk view agreed",
        required=False,
        choices=[("", "Not agreed")] + [(v, v.title()) for v in RISK_VIEWS],
    )
    decisions = forms.CharField(
        label="Decisions", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MinutesAmendForm(DiscussionForm):
    """An item's discussion changed after the minutes were approved: a new version of the
    minutes, with the chair's reason."""

    reason = forms.CharField(
        label="Why the approved minutes are changed",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the approved minutes are changed."},
    )


class ActionForm(forms.Form):
    description = forms.CharField(
        label="What is to be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what is to be done."},
    )
    item = forms.ChoiceField(label="Agenda item (optional)", required=False)
    owner = forms.ChoiceField(
        label="Owner",
        help_text="The person who will do it; their agency owns the action.",
        error_messages={"required": "Every action needs an owner: choose a person."},
    )
    due_on = _date_field("Due date")

    def __init__(self, *args: Any, items: list[Any], owners: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item_field = self.fields["item"]
        owner_field = self.fields["owner"]
        assert isinstance(item_field, forms.ChoiceField)
        assert isinstance(owner_field, forms.ChoiceField)
        item_field.choices = [("", "Not tied to an item")] + [
            (str(i.pk), f"{i.get_section_display()}: {i.subject_ref}") for i in items
        ]
        owner_field.choices = [("", "Choose the owner")] + [
            (str(u.pk), f"{u.display_name} ({u.agency.name})") for u in owners
        ]


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)
    update = forms.CharField(
        label="Progress update", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    due_on = _date_field("New due date", required=False)


def _person(user: User) -> str:
    agency = user.agency.name if user.agency else "no agency"
    return f"{user.display_name}, {user.get_role_display()} ({agency})"


class MeetingPlanForm(forms.Form):
    """Planning a meeting: its date, the two co-chairs, the agencies and people invited.
    The rules (a date from today, one chair from the police and one from the local authority,
    at least one agency) are the service's."""

    held_on = _date_field("Meeting date")
    chairs = forms.ModelMultipleChoiceField(
        label="Co-chairs",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="One from the police and one from the local authority.",
        error_messages={"required": "Choose the two co-chairs."},
    )
    invited_agencies = forms.ModelMultipleChoiceField(
        label="Agencies invited",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    invited_people = forms.ModelMultipleChoiceField(
        label="People invited (they see the meeting, its agenda and its pack)",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, members: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chairs = members.filter(agency__kind__in=CHAIR_AGENCY_KINDS)
        for name, rows in (("chairs", chairs), ("invited_people", members)):
            field: Any = self.fields[name]
            field.queryset = rows
            field.label_from_instance = _person
        agency_field: Any = self.fields["invited_agencies"]
        agency_field.queryset = agencies
        if not self.is_bound:
            self.initial["invited_agencies"] = [a.pk for a in agencies if a.kind in QUORUM]
