"""Narrative templates for referrals about child sexual exploitation (network referrals)."""

from __future__ import annotations

from typing import Final

from sightline.demo.generator.templates import PersonTpl, Tpl, person_tpls, tpls

# Indicator sentences with no named adult (network referrals and a few ordinary ones).
CSE_GENERIC: Final[tuple[Tpl, ...]] = tpls(
    "missing,sexual_exploitation: {name} has been going missing and returns home tired and "
    "unwilling to say where {subj} has been.",
    "sexual_exploitation: {name} has been seen with older young people and adults who are not "
    "known to {poss} family.",
    "sexual_exploitation: {name} has become secretive about {poss} phone and receives calls late "
    "at night.",
    "sexual_exploitation: {name} has been smelling of alcohol on arrival at school.",
    "physical_abuse,sexual_exploitation: {name} has unexplained bruising to {poss} arms and "
    "would not say how it happened.",
    "sexual_exploitation: {name} has new clothes and gifts that {poss} family cannot account for.",
    'sexual_exploitation: {Subj} talk{s} about an older "boyfriend" but will not give his name.',
)

CSE_ASSESSMENT: Final[tuple[str, ...]] = (
    "There are concerns that {name} is being sexually exploited; {subj} may have been groomed, "
    "and coercion and control by the adults involved is suspected.",
    "{name} is a child, and the adults involved appear to be exploiting {poss} vulnerability.",
    "The pattern of missing episodes, gifts and contact with older adults is consistent with "
    "child sexual exploitation.",
    "{name} does not see {refl} as a victim, which is common where a child has been groomed.",
    "It is unclear whether {name} is under duress, and the situation is giving adults the "
    "opportunity to abuse {obj}.",
)

# Templates naming a network adult: {person} is the adult as written in the referral,
# {partner} is "boyfriend" or "girlfriend" (always quoted), {agency_hint} picks agencies.
CSE_PERSON: Final[tuple[PersonTpl, ...]] = person_tpls(
    "sexual_exploitation / education: {name} has been seen being picked up in a car outside "
    "{school} by {person}.",
    'sexual_exploitation / : {Subj} call{s} {person} {poss} "{partner}", although this adult is '
    "much older than {obj}.",
    "sexual_exploitation / : {name} has a new phone, new trainers and money that {subj} cannot "
    "account for, and has said that the gifts came from {person}.",
    "sexual_exploitation / education,voluntary: {name} told a member of staff that {person} "
    "gives {obj} alcohol and lets {obj} stay out late.",
    "sexual_exploitation,missing / police: Officers found {name} in a parked car with {person} "
    "in the early hours while {subj} {was} reported missing.",
    "sexual_exploitation,missing / : {name} has been going missing overnight, and a friend says "
    "{subj} {is} with {person} when this happens.",
    "sexual_exploitation,online_harm / : {name} disclosed that {person} has asked {obj} to send "
    "images of {refl}.",
    "sexual_exploitation,online_harm / csc,police: {name}'s {carer} has found messages on {poss} "
    "phone from {person} arranging to meet late at night.",
    "sexual_exploitation / health: {name} attended for a pregnancy test and, when asked, named "
    "{person} as someone {subj} had been staying with.",
    "sexual_exploitation / police: {name} has been seen getting into and out of cars driven by "
    "{person} near the town centre.",
    "sexual_exploitation,missing / : {name} returned from a missing episode with a new phone "
    "that {subj} said was a present from {person}.",
    "sexual_exploitation / police,voluntary: It is reported that {person} is using {name} to "
    "introduce other young people to adults.",
    "sexual_exploitation / health: {name} was treated for a sexually transmitted infection and "
    "said {subj} had been drinking alcohol with {person}.",
    "sexual_exploitation / education: School staff saw {person} waiting at the school gates for "
    "{name} at the end of the day.",
    "sexual_exploitation,physical_abuse / health: {name} was brought into the Emergency "
    "Department intoxicated and with injuries to {poss} face, and said {subj} had been with "
    "{person}.",
)

CSE_PLACE: Final[dict[str, tuple[str, ...]]] = {
    "takeaway": (
        "{name} is regularly seen late at night at {place}, a takeaway on {street}, where "
        "adults give young people free food and alcohol.",
        "Staff have heard that {name} spends evenings at {place} on {street} and is given "
        "free food there.",
    ),
    "taxi_firm": (
        "Cars from {place} have been seen collecting {name} from outside {poss} home late at "
        "night, and no fare appears to be paid.",
        "{name} has been dropped at school by a driver from {place}, a taxi firm on {street}.",
    ),
    "flat": (
        "{name} has been staying overnight at {place}, {street}, where adults are said to "
        "supply alcohol and cannabis.",
        "Police were called to {place}, {street}, and found {name} there with several adults.",
    ),
    "park": (
        "{name} was found in {place} in the early hours, drunk and distressed.",
        "Young people gather in {place} off {street} in the evenings, where adults in cars "
        "have been seen offering them lifts and alcohol.",
    ),
    "hotel": (
        "{name} was found at {place} on {street} with an adult; the room had been booked by "
        "someone else.",
        "Hotel staff at {place} reported that {name} arrived late at night with two adults.",
    ),
    "shop": (
        "Staff at {place} on {street} have been seen giving {name} cigarettes, vapes and alcohol.",
        "{name} has been seen waiting outside {place} on {street} for adults to collect {obj}.",
    ),
}
