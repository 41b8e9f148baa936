"""Narrative templates for ordinary referrals, and the pronouns they are written with.

Placeholders: {name} child's given name, {subj}/{Subj}, {obj}, {poss}/{Poss}, {refl}, {is},
{was}, {has}, {s}, {es} (verb agreement), {age}, {year}, {school}, {carer}, {locality},
{team}/{the_team}/{The_team}, {when}, {n}, {pct}, {ordinal}, {oplace}, {gp}. Each template
carries the concern categories it evidences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

Tpl = tuple[str, tuple[str, ...]]
PersonTpl = tuple[str, tuple[str, ...], tuple[str, ...]]


def tpls(*lines: str) -> tuple[Tpl, ...]:
    """Templates written as "category,category: sentence"."""
    out: list[Tpl] = []
    for line in lines:
        categories, _, text = line.partition(": ")
        out.append((text, tuple(categories.split(","))))
    return tuple(out)


def person_tpls(*lines: str) -> tuple[PersonTpl, ...]:
    """Templates written as "category,category / agency,agency: sentence" (no agency: any)."""
    out: list[PersonTpl] = []
    for line in lines:
        head, _, text = line.partition(": ")
        categories, _, agencies = head.partition(" / ")
        out.append((text, tuple(categories.split(",")), tuple(a for a in agencies.split(",") if a)))
    return tuple(out)


OPENINGS: Final[dict[str, tuple[str, ...]]] = {
    "police": (
        "Officers from {the_team} are referring {name} ({age}), who lives with {poss} {carer} "
        "in {locality}.",
        "This referral follows police contact with {name} ({age}) {when}.",
    ),
    "education": (
        "{name} is a Year {year} pupil at {school}.",
        "I am the designated safeguarding lead at {school} and am referring {name}, who is in "
        "Year {year}.",
    ),
    "health": (
        "{name} ({age}) was seen by {the_team} {when}.",
        "{name} ({age}) is registered at {gp} and is known to {the_team}.",
    ),
    "csc": (
        "{name} ({age}) is known to {the_team}.",
        "I am a worker in {the_team} and am referring {name} ({age}).",
    ),
    "voluntary": (
        "{name} ({age}) has been attending {the_team} for the last {n} months.",
        "{name} ({age}) is supported by our {team}.",
    ),
    "youth-justice": (
        "{name} ({age}) is open to the Youth Justice Service following an out-of-court disposal.",
    ),
    "housing": (
        "{name} ({age}) lives with {poss} {carer} in a property managed by {BOROUGH} Homes in "
        "{locality}.",
        "{The_team} has been working with the household of {name} ({age}).",
    ),
    "prosecution": (
        "{name} ({age}) is a witness in a case being prepared for {BOROUGH} Magistrates' Court.",
    ),
    "other": (
        "I volunteer with {the_team}, which {name} ({age}) attends.",
        "{name} ({age}) is known to us through {the_team}.",
    ),
}

GP_OPENINGS: Final[tuple[str, ...]] = (
    "{name} ({age}) is registered with {team} and was seen by a GP {when}.",
    "I am a GP at {team}, where {name} ({age}) is registered.",
)

THEMES: Final[dict[str, tuple[Tpl, ...]]] = {
    "school_absence": tpls(
        "education: {name}'s attendance has fallen to {pct}% this term, with a pattern of missed "
        "afternoons.",
        "education: {Subj} {has} been late to registration on {n} occasions since half term.",
        "education: {name} was seen leaving the school site at lunchtime {when} and did not "
        "return for afternoon lessons.",
        "education: {name} has been excluded for a fixed term following an incident with another "
        "pupil.",
    ),
    "missing": tpls(
        "missing: {name} was reported missing by {poss} {carer} {when} and returned home the "
        "following morning.",
        "missing: This is the {ordinal} missing episode recorded for {name} in the last {n} "
        "months.",
        "missing: On return {name} would not say where {subj} had been, and a return home "
        "interview has been requested.",
        "missing: {name} was located by officers {oplace} after being missing for several hours.",
    ),
    "health": tpls(
        "sexual_exploitation: {name} attended the sexual health clinic requesting a pregnancy "
        "test.",
        "physical_abuse: {name} was treated in the Emergency Department for an injury to {poss} "
        "wrist, and the explanation given was inconsistent.",
        "sexual_exploitation: {name} has been diagnosed with a sexually transmitted infection "
        "and did not want to say who {poss} contacts were.",
        "emotional_wellbeing: {name} has lost a noticeable amount of weight and the school nurse "
        "is concerned about {poss} eating.",
    ),
    "online": tpls(
        "online_harm: {name}'s {carer} found messages on {poss} phone from an adult {subj} met "
        "through an online game.",
        "online_harm: Staff were told that images of {name} have been shared in a group chat by "
        "other pupils.",
        "online_harm,emotional_wellbeing: {name} has been using {poss} phone late into the night "
        "and appears exhausted in the mornings.",
    ),
    "family": tpls(
        "emotional_wellbeing: {name}'s {carer} has told us that it has become very hard to "
        "manage {poss} behaviour at home.",
        "emotional_wellbeing: There has been a recent family breakdown and {name} is currently "
        "staying with relatives.",
        "emotional_wellbeing: {name} has been a young carer for {poss} mother, who has long-term "
        "mental health difficulties.",
    ),
    "neglect": tpls(
        "neglect: {name} often arrives at school hungry and in the same unwashed uniform.",
        "neglect: During a home visit there was very little food in the house and no working "
        "heating.",
        "neglect: {name} has missed several dental and medical appointments this year.",
    ),
    "domestic_abuse": tpls(
        "domestic_abuse: Police attended the family home {when} following a report of domestic "
        "abuse between adults, and {name} was present.",
        "domestic_abuse: {name} disclosed that there is shouting and fighting at home most "
        "weekends.",
        "domestic_abuse: {name}'s mother has a non-molestation order against a former partner, "
        "who has been seen near the house again.",
    ),
    "low_level": tpls(
        "emotional_wellbeing: Staff have noticed that {name} seems withdrawn and tired in lessons.",
        "emotional_wellbeing: {name} has fallen out with {poss} friendship group and is spending "
        "break times alone.",
        "emotional_wellbeing: {name}'s behaviour has changed over the last few weeks and {subj} "
        "{is} more irritable than usual.",
    ),
    "emotional": tpls(
        "emotional_wellbeing: {name} disclosed thoughts of self-harm to the school nurse.",
        "emotional_wellbeing: {name} has been referred to the Child and Adolescent Mental Health "
        "Service for low mood and anxiety.",
        "emotional_wellbeing: Fresh cuts were seen on {name}'s forearm.",
    ),
    "physical_abuse": tpls(
        "physical_abuse: {name} arrived at school with bruising to {poss} upper arm and said an "
        "adult at home had grabbed {obj}.",
        "physical_abuse: {name} flinched when a member of staff raised a hand to point at the "
        "board, and has a healing mark on {poss} cheek.",
    ),
    "criminal_exploitation": tpls(
        "criminal_exploitation: {name} was found with a large amount of cash and a second phone, "
        "and officers are concerned that {subj} may be being criminally exploited.",
        "criminal_exploitation,missing: {name} was stopped in a town where {subj} has no known "
        "connections, carrying a train ticket {subj} could not have paid for.",
    ),
    "housing": tpls(
        "neglect: The family are in temporary accommodation after an eviction, and {name} shares "
        "a room with {poss} younger siblings.",
        "neglect: There are rent arrears and the family have received a notice seeking possession.",
    ),
}

AGENCY_THEMES: Final[dict[str, tuple[tuple[str, float], ...]]] = {
    "police": (
        ("missing", 5),
        ("domestic_abuse", 4),
        ("criminal_exploitation", 2),
        ("online", 2),
        ("physical_abuse", 1),
    ),
    "education": (
        ("school_absence", 5),
        ("low_level", 4),
        ("emotional", 2),
        ("neglect", 2),
        ("family", 2),
        ("online", 1),
        ("physical_abuse", 1),
    ),
    "health": (("health", 5), ("emotional", 3), ("neglect", 1), ("physical_abuse", 1)),
    "csc": (("family", 3), ("neglect", 3), ("domestic_abuse", 2), ("missing", 1)),
    "voluntary": (("emotional", 3), ("missing", 2), ("family", 2), ("online", 1)),
    "youth-justice": (("criminal_exploitation", 4), ("school_absence", 2), ("family", 2)),
    "housing": (("housing", 5), ("neglect", 2), ("domestic_abuse", 2)),
    "prosecution": (("domestic_abuse", 3), ("physical_abuse", 2), ("online", 2)),
    "other": (("low_level", 3), ("family", 2), ("emotional", 1)),
}


POSITIVE: Final[tuple[str, ...]] = (
    "{name} has a good relationship with {poss} form tutor and has engaged well with the "
    "school counsellor.",
    "{Poss} {carer} is a protective factor and is keen to work with services.",
    "{name} attends a weekly youth club and staff describe {obj} as reliable and kind.",
    "{name} is doing well in English and enjoys art.",
    "{name} has said that {subj} would like support and trusts {poss} youth worker.",
)

CLOSINGS: Final[dict[str, tuple[str, ...]]] = {
    "routine": (
        "I would be grateful for advice on next steps.",
        "Please could this be considered for early help support.",
        "We will continue to monitor and record any further concerns.",
    ),
    "urgent": (
        "I am requesting a MASH check and an assessment.",
        "Please could the front door consider whether a strategy discussion is needed.",
    ),
    "immediate": (
        "This is referred as an immediate safeguarding concern, and the police have been informed.",
        "I believe {name} is at immediate risk of significant harm and ask for a same-day "
        "response.",
    ),
}

SIBLING_TEMPLATES: Final[tuple[Tpl, ...]] = tpls(
    "domestic_abuse: Both children were at home when police attended {when} following a report "
    "of domestic abuse.",
    "neglect: The children have been arriving at school hungry and have missed medical "
    "appointments.",
    "neglect: The family are living in one room of temporary accommodation.",
    "emotional_wellbeing: The children's mother has told us she is not coping and has asked for "
    "help.",
    "neglect: Neighbours have reported the children being left alone at home overnight.",
    "physical_abuse: {name} told staff that {poss} younger sibling has been hit by an adult at "
    "home.",
)

# Ordinary adults named in ordinary referrals: (role, sentence). {pname} is the adult as
# written; {paddr} their address when recorded.
ORDINARY_ROLES: Final[tuple[tuple[str, str, str], ...]] = (
    ("mother's partner", "male", "{name} lives with {poss} mother and her partner, {pname}."),
    ("neighbour", "any", "A neighbour, {pname}, who lives at {paddr}, raised the concern with us."),
    ("uncle", "male", "{name} sometimes stays with {poss} uncle, {pname}, at weekends."),
    (
        "father",
        "male",
        "{Poss} father, {pname}, does not live at the family home and has limited contact.",
    ),
    (
        "grandmother",
        "female",
        "{Poss} grandmother, {pname}, provides regular care and is a protective factor.",
    ),
    (
        "football coach",
        "any",
        "{Poss} football coach, {pname}, describes {obj} as reliable and well liked.",
    ),
    (
        "aunt",
        "female",
        "{Poss} aunt, {pname}, has offered for {name} to stay with her for a while.",
    ),
    (
        "former partner of the mother",
        "male",
        "{Poss} mother's former partner, {pname}, has recently been released from prison.",
    ),
)


@dataclass(frozen=True)
class Pronouns:
    subj: str
    obj: str
    poss: str
    refl: str
    is_: str
    was: str
    has: str
    s: str
    es: str


PRONOUNS: Final[dict[str, Pronouns]] = {
    "female": Pronouns("she", "her", "her", "herself", "is", "was", "has", "s", "es"),
    "male": Pronouns("he", "him", "his", "himself", "is", "was", "has", "s", "es"),
    "unknown": Pronouns("they", "them", "their", "themselves", "are", "were", "have", "", ""),
}
