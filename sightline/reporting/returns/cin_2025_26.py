"""CIN census XML for collection year 2025-26 (CIN_schema_2025-26.xsd): element names and
order as that schema has them. Next year's schema is a new module beside this one, registered
in `sightline.reporting.returns.EXPORTERS`."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from sightline.casework.choices import PlanKind
from sightline.reporting.returns.census import ChildRow, CollectionYear, Episode

SOFTWARE = "Sightline"
RELEASE = "1.0"


def _add(parent: etree._Element, tag: str, text: object = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text.isoformat() if isinstance(text, dt.date) else str(text)
    return element


def _upn_unknown(child: ChildRow, year: CollectionYear) -> str:
    if child.birth_date is not None and (year.end - child.birth_date).days < 6 * 365:
        return "UN1"  # under six and not yet assigned a UPN
    return "UN5"  # sources that collate UPNs do not hold it


def write(children: list[ChildRow], year: CollectionYear, la: str, now: dt.datetime) -> bytes:
    message = etree.Element("Message")
    header = _add(message, "Header")
    details = _add(header, "CollectionDetails")
    _add(details, "Collection", "CIN")
    _add(details, "Year", year.end.year)
    _add(details, "ReferenceDate", year.end)
    source = _add(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", la)
    _add(source, "SoftwareCode", SOFTWARE)
    _add(source, "Release", RELEASE)
    _add(source, "SerialNo", "001")
    _add(source, "DateTime", now.replace(microsecond=0, tzinfo=None).isoformat())
    children_el = _add(message, "Children")
    for child in children:
        child_el = _add(children_el, "Child")
        ids = _add(child_el, "ChildIdentifiers")
        _add(ids, "LAchildID", child.la_child_id)
        _add(ids, "UPNunknown", _upn_unknown(child, year))
        if child.birth_date is not None:
            _add(ids, "PersonBirthDate", child.birth_date)
        _add(ids, "Sex", child.sex)
        characteristics = _add(child_el, "ChildCharacteristics")
        _add(characteristics, "Ethnicity", "NOBT")  # Sightline does not record ethnicity
        disabilities = _add(characteristics, "Disabilities")
        _add(disabilities, "Disability", "LD" if child.disabled else "NONE")
        previous_cp = 0
        for episode in child.episodes:
            previous_cp = _episode(child_el, episode, previous_cp)
    return bytes(etree.tostring(message, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _episode(child_el: etree._Element, ep: Episode, previous_cp: int) -> int:  # noqa: PLR0912 (XSD elements in schema order)
    el = _add(child_el, "CINdetails")
    _add(el, "CINreferralDate", ep.referral_date)
    _add(el, "ReferralSource", ep.source)
    if ep.closure_date is not None:
        _add(el, "CINclosureDate", ep.closure_date)
        _add(el, "ReasonForClosure", ep.closure_reason or "RC7")
    if ep.initial_conferences:
        _add(el, "DateOfInitialCPC", ep.initial_conferences[0])
    for a in ep.assessments:
        a_el = _add(el, "Assessments")
        _add(a_el, "AssessmentActualStartDate", a.started_on)
        if a.authorised_on is not None:
            _add(a_el, "AssessmentAuthorisationDate", a.authorised_on)
        if a.factors:
            factors = _add(a_el, "FactorsIdentifiedAtAssessment")
            for code in a.factors:
                _add(factors, "AssessmentFactors", code)
    for p in ep.plans:
        if p.kind == PlanKind.CHILD_IN_NEED:
            p_el = _add(el, "CINPlanDates")
            _add(p_el, "CINPlanStartDate", p.started_on)
            if p.ended_on is not None:
                _add(p_el, "CINPlanEndDate", p.ended_on)
    for e in ep.enquiries:
        e_el = _add(el, "Section47")
        _add(e_el, "S47ActualStartDate", e.started_on)
        if e.conference_on is not None:
            _add(e_el, "DateOfInitialCPC", e.conference_on)
        _add(e_el, "ICPCnotRequired", 1 if e.no_conference else 0)
    _add(el, "ReferralNFA", 1 if ep.nfa else 0)
    for p in ep.plans:
        if p.kind != PlanKind.CHILD_PROTECTION:
            continue
        p_el = _add(el, "ChildProtectionPlans")
        _add(p_el, "CPPstartDate", p.started_on)
        if p.ended_on is not None:
            _add(p_el, "CPPendDate", p.ended_on)
        _add(p_el, "InitialCategoryOfAbuse", p.category)
        _add(p_el, "LatestCategoryOfAbuse", p.category)
        _add(p_el, "NumberOfPreviousCPP", previous_cp)
        previous_cp += 1
        if p.review_dates:
            reviews = _add(p_el, "Reviews")
            for d in p.review_dates:
                _add(reviews, "CPPreviewDate", d)
    return previous_cp
