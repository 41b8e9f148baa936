"""Partner events API: an event arrives (`POST /events`), a missing episode's later facts
(`PATCH /events/{id}`), a child's events (`GET /children/{id}/events`), CSV imports
(`POST /imports`) and the return interviews due or overdue (`GET /missing/return-interviews`).
Mounted at the API root. Arrivals call the `event_receive` workflows."""

from __future__ import annotations

import json
import uuid
from typing import Any, Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from ninja import Body, Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from sightline.accounts.models import Agency
from sightline.accounts.roles import Cap
from sightline.api.idempotency import idempotent
from sightline.core.api import Detail, InputSchema
from sightline.core.errors import ApiError, NotFound
from sightline.events import rules, selectors
from sightline.events.choices import EventKind
from sightline.events.csvio import MAX_BYTES
from sightline.events.imports import rows_parse
from sightline.events.kinds import EventOrInterviewIn, MissingFacts, ReturnInterviewIn
from sightline.events.models import Event, MissingEpisode
from sightline.intel.api_schemas import AlertOut
from sightline.people.models import Child
from sightline.reporting.alerts_reads import event_alert_out
from sightline.reviews.api import StoredFlagOut
from sightline.reviews.selectors import language_flags_of, record_flags
from sightline.workflows import (
    EventReceived,
    episode_update,
    event_alert_status_record,
    event_receive,
    events_import,
    return_interview_step,
)

router = Router(tags=["events"])

EventAlertStatusLiteral = Literal["reviewed", "actioned", "dismissed"]
KindLiteral = Literal[
    "police_incident",
    "missing_episode",
    "safe_and_well",
    "health_attendance",
    "education",
    "youth_justice",
    "housing",
]


class EventCreatedOut(Schema):
    id: uuid.UUID
    reference: str
    created: bool
    child: dict[str, Any]
    alerts_raised: list[str]
    language_flags: list[StoredFlagOut] = Field(
        default_factory=list,
        description="The flags of the event's summary and of who a missing child was found with.",
    )


class EventAlertStatusOut(AlertOut):
    language_flags: list[StoredFlagOut] = Field(
        default_factory=list, description="The flags of the reason given."
    )


class EventOut(Schema):
    id: uuid.UUID
    reference: str
    kind: str
    code: str
    agency: str
    source_id: str
    occurred_at: Any
    recorded_at: Any
    summary: str
    fields: dict[str, Any]


class ReturnInterviewOut(Schema):
    event_id: uuid.UUID
    reference: str
    child: dict[str, Any]
    returned_at: Any
    due_at: Any
    status: str
    is_overdue: bool


class ReturnInterviewFilter(Schema):
    status: Literal["due", "overdue"] = "due"


class KindFilter(Schema):
    kind: KindLiteral | None = None


class EventImportOut(Schema):
    kind: str
    rows: int
    valid: int
    rejected_rows: int
    errors: list[dict[str, Any]]
    errors_total: int
    stored: int
    already_stored: int
    children_created: int
    alerts_raised: list[str]


def _user(request: HttpRequest) -> Any:
    return request.user


def _agency(user: Any, code: str | None) -> Agency:
    if user.agency_id is None:
        raise ApiError(422, "Your account has no agency to send events for.")
    if code is not None and code != user.agency.code:
        raise ApiError(422, "You can only send events for your own agency.")
    agency: Agency = user.agency
    return agency


def _child_given(user: Any, child_id: uuid.UUID | None) -> Child | None:
    if child_id is None:
        return None
    child = selectors.child_for_events(user=user, child_id=child_id)
    if child is None:
        raise ApiError(422, "No child with that id that you can see: send the child's details.")
    return child


def _event_flags(event: Event) -> list[dict[str, Any]]:
    """The stored flags of the event's text: its summary, its episode's "found with"."""
    ids = [event.pk, *MissingEpisode.objects.filter(event=event).values_list("pk", flat=True)]
    flags = record_flags(record_ids=ids)
    return [flag for record_id in ids for flag in flags[record_id]]


def received_out(result: EventReceived) -> dict[str, Any]:
    event = result.event
    return {
        "id": event.pk,
        "reference": event.reference,
        "created": result.created,
        "child": {
            "id": event.child_id,
            "reference": event.child.reference,
            "match": event.match_status,
            "candidates": event.candidates.count(),
        },
        "alerts_raised": result.alerts_raised,
        "language_flags": _event_flags(event),
    }


@router.post(
    "/events",
    response={
        201: EventCreatedOut,
        200: EventCreatedOut,
        403: Detail,
        404: Detail,
        409: Detail,
        422: Detail,
    },
    summary="A partner event arrives (police, health, education, youth justice, housing)",
    description=(
        "Idempotent twice over: by `Idempotency-Key`, and by the source system's own id (the "
        "same agency, kind and `source_id` again answers 200 with the event already stored). "
        "A return interview naming a missing episode you cannot see answers 404."
    ),
)
def event_create(
    request: HttpRequest,
    payload: Body[EventOrInterviewIn],
) -> Status[Any]:
    user = _user(request)
    if isinstance(payload, ReturnInterviewIn):
        return _interview_step(request, user, payload)
    if not user.has_capability(Cap.EVENT_SUBMIT):
        raise ApiError(403, "Your role cannot send partner events.")
    agency = _agency(user, payload.agency)
    child = _child_given(user, payload.child.id)

    def work() -> tuple[int, Any]:
        result = event_receive(acting_user=user, agency=agency, data=payload, child=child)
        body = json.loads(json.dumps(received_out(result), cls=DjangoJSONEncoder))
        return (201 if result.created else 200), body

    status, body = idempotent(request, user, work)
    return Status(status, body)


def _interview_step(request: HttpRequest, user: Any, payload: ReturnInterviewIn) -> Status[Any]:
    """Kind `return_interview`: a step of the episode's return interview (the front door and
    the CSE specialists record them), on an episode the user may see (else 404)."""
    if not user.has_capability(Cap.RETURN_INTERVIEW_RECORD):
        raise ApiError(403, "Your role cannot record return interviews.")
    episode = selectors.episode_for_interview(
        user=user, event_id=payload.episode_id, source_id=payload.episode_source_id
    )
    if episode is None:
        raise NotFound("No missing episode with that id that you can see.")

    def work() -> tuple[int, Any]:
        return_interview_step(acting_user=user, episode=episode, **payload.step())
        result = EventReceived(episode.event, False)
        body = json.loads(json.dumps(received_out(result), cls=DjangoJSONEncoder))
        return 201, body

    status, body = idempotent(request, user, work)
    return Status(status, body)


@router.patch(
    "/events/{event_id}",
    response={200: EventCreatedOut, 404: Detail, 409: Detail, 422: Detail},
    summary="A missing episode's return and later facts",
)
def event_update(request: HttpRequest, event_id: uuid.UUID, payload: MissingFacts) -> Any:
    user = _user(request)
    event = selectors.event_get(user=user, event_id=event_id)
    if event is None or not user.has_capability(Cap.EVENT_SUBMIT):
        raise NotFound("No event with that id that you can see.")
    if event.kind != EventKind.MISSING_EPISODE:
        raise ApiError(422, "Only a missing episode takes later facts.")
    if event.agency_id != user.agency_id and not rules.sees_all_events(user):
        raise ApiError(403, "Only the agency that sent this episode can add to it.")
    result = episode_update(acting_user=user, event=event, facts=payload)
    return received_out(result)


class EventAlertStatusIn(InputSchema):
    status: EventAlertStatusLiteral = Field(..., description="reviewed, actioned or dismissed")
    reason: str = Field("", max_length=2000, description="Required to dismiss.")


@router.post(
    "/events/alerts/{alert_id}/status",
    response={200: EventAlertStatusOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Acknowledge (reviewed) or close (actioned, or dismissed with a reason) a "
    "partner-event detector's alert",
)
def event_alert_status(
    request: HttpRequest, alert_id: uuid.UUID, payload: EventAlertStatusIn
) -> dict[str, Any]:
    user = _user(request)
    alert = selectors.alert_get(user=user, alert_id=alert_id)
    if alert is None:
        raise NotFound("No alert with that id that you can see.")
    if not user.has_capability(Cap.ALERT_ACTION):
        raise ApiError(403, "Your role cannot act on alerts.")
    alert = event_alert_status_record(
        acting_user=user, alert=alert, status=payload.status, reason=payload.reason
    )
    return {**event_alert_out(alert), "language_flags": language_flags_of(alert.pk)}


@router.get(
    "/children/{child_id}/events",
    response={200: list[EventOut], 404: Detail},
    summary="A child's partner events you may see",
)
def child_events(
    request: HttpRequest, child_id: uuid.UUID, filters: Query[KindFilter]
) -> list[dict[str, Any]]:
    user = _user(request)
    _child, events = selectors.child_events_read(
        user=user, child_id=child_id, kind=filters.kind or ""
    )
    return [
        {
            "id": e.pk,
            "reference": e.reference,
            "kind": e.kind,
            "code": e.code,
            "agency": e.agency.code,
            "source_id": e.source_id,
            "occurred_at": e.occurred_at,
            "recorded_at": e.recorded_at,
            "summary": e.summary,
            "fields": e.fields,
        }
        for e in events
    ]


@router.post(
    "/imports",
    response={201: EventImportOut, 403: Detail, 422: Detail},
    summary="Import a CSV of partner events of one kind for your agency",
)
def events_import_api(
    request: HttpRequest,
    kind: Form[KindLiteral | None] = None,
    file: File[UploadedFile | None] = None,
    accept_valid: Form[bool] = False,
) -> Status[Any]:
    """Multipart: `file` (CSV, columns in docs/imports.md "Partner events") and `kind`. A file
    with any bad row stores nothing and answers 422 with the row report as `detail`, unless
    `accept_valid` is true. Re-importing the same file stores nothing new."""
    user = _user(request)
    if not rules.may_import(user):
        raise ApiError(403, "Your role cannot import partner events for an agency.")
    if kind is None or file is None:
        raise ApiError(422, "Send a multipart form with `kind` and `file`.")
    if file.size and file.size > MAX_BYTES:
        raise ApiError(422, f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    rules.guard_kind_for_agency(user.agency, kind)
    parsed = rows_parse(kind=kind, data=file.read())
    report = parsed.report()
    if parsed.errors and not (accept_valid and parsed.valid):
        # Like every error answer, `{"detail": ...}`: here the row report, naming each bad
        # row and column; nothing was stored.
        return Status(422, {"detail": {**report, "stored": 0}})
    result = events_import(
        acting_user=user,
        agency=user.agency,
        rows=[event for _line, event in parsed.valid],
        filename=file.name or "",
    )
    return Status(
        201,
        {
            **report,
            "stored": result.stored,
            "already_stored": result.already_stored,
            "children_created": result.children_created,
            "alerts_raised": result.alerts,
        },
    )


@router.get(
    "/missing/return-interviews",
    response={200: list[ReturnInterviewOut], 403: Detail, 422: Detail},
    summary="Return interviews still open: due within their 72 hours, or overdue",
)
def return_interviews(
    request: HttpRequest, filters: Query[ReturnInterviewFilter]
) -> list[dict[str, Any]]:
    user = _user(request)
    if not user.has_capability(Cap.MISSING_VIEW):
        raise ApiError(403, "Your role cannot see the missing-children lists.")
    episodes = selectors.return_interviews_read(user=user, status=filters.status)
    return [
        {
            "event_id": e.event_id,
            "reference": e.event.reference,
            "child": {"id": e.child_id, "reference": e.child.reference},
            "returned_at": e.returned_at,
            "due_at": e.interview_due_at,
            "status": e.interview_status,
            "is_overdue": filters.status == "overdue",
        }
        for e in episodes
    ]
