from django.db import models


class Channel(models.TextChoices):
    WEB_FORM = "web_form", "Web form"
    API = "api", "Partner system (API)"
    PHONE = "phone", "Telephone"
    EMAIL = "email", "E-mail"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent: within the day"
    IMMEDIATE = "immediate", "Immediate: the child may be in danger now"


class ConcernCategory(models.TextChoices):
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation"
    CRIMINAL_EXPLOITATION = "criminal_exploitation", "Criminal exploitation"
    MISSING = "missing", "Missing from home, care or education"
    ONLINE_HARM = "online_harm", "Online harm"
    SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
    PHYSICAL_ABUSE = "physical_abuse", "Physical abuse"
    NEGLECT = "neglect", "Neglect"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    EMOTIONAL_WELLBEING = "emotional_wellbeing", "Emotional wellbeing or mental health"
    EDUCATION = "education", "Education (absence, exclusion)"
    OTHER = "other", "Other"


class PlaceKind(models.TextChoices):
    TAKEAWAY = "takeaway", "Takeaway or restaurant"
    TAXI_FIRM = "taxi_firm", "Taxi firm"
    HOTEL = "hotel", "Hotel or guest house"
    FLAT = "flat", "Flat or house"
    PARK = "park", "Park or open space"
    SHOP = "shop", "Shop"
    SCHOOL_GATE = "school_gate", "School gate"
    BUS_STATION = "bus_station", "Bus or train station"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    AWAITING_SCREENING = "awaiting_screening", "Awaiting CSE screening"
    AWAITING_DECISION = "awaiting_decision", "Awaiting decision"
    DECIDED = "decided", "Decided"
    # A challenge answered "decision to be changed": the decision stands until a new one
    # supersedes it, and the referral is back in the queue for that new decision.
    REOPENED = "reopened", "Reopened for a new decision"


# The allowed transitions; every transition service calls rules.guard_transition.
TRANSITIONS: dict[str, set[str]] = {
    Status.AWAITING_SCREENING: {Status.AWAITING_SCREENING, Status.AWAITING_DECISION},
    Status.AWAITING_DECISION: {Status.AWAITING_DECISION, Status.DECIDED},
    Status.DECIDED: {Status.REOPENED},
    Status.REOPENED: {Status.DECIDED},
}


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    INFORMATION_AND_ADVICE = "information_and_advice", "Information and advice"
    EARLY_HELP = "early_help", "Early help"
    ASSESSMENT = "assessment", "Child and family assessment"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    SPECIALIST_CSE_TEAM = "specialist_cse_team", "Referral to the specialist CSE team"
    OTHER_AGENCY = "other_agency", "Referral to another agency"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


RAG_RANK = {"red": 0, "amber": 1, "green": 2}


class MatchStatus(models.TextChoices):
    NEW_CHILD = "new_child", "New child record"
    MATCHED = "matched", "Matched to an existing child"
    CONFIRMED_NEW = "confirmed_new", "Confirmed as a new child"


class CandidateStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"
