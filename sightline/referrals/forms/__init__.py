"""Web forms for the front door. They only parse: validation of the referral as a whole is
in referrals.inputs.validate, shared with the API. The referral page's parts (parts), the
page's forms together with their error summary (bundle), and the decision, match and
break-glass forms (decision)."""

from sightline.referrals.forms.bundle import (
    SECTIONS,
    ReferralForms,
    Section,
    SummaryItem,
    field_anchor,
)
from sightline.referrals.forms.decision import BreakGlassForm, DecisionForm, MatchForm
from sightline.referrals.forms.fields import YES_NO_UNKNOWN, OptionalDateField
from sightline.referrals.forms.parts import (
    ChildForm,
    ChildFormSet,
    PersonForm,
    PersonFormSet,
    PlaceForm,
    PlaceFormSet,
    ReferralForm,
    RowForm,
)

__all__ = [
    "SECTIONS",
    "YES_NO_UNKNOWN",
    "BreakGlassForm",
    "ChildForm",
    "ChildFormSet",
    "DecisionForm",
    "MatchForm",
    "OptionalDateField",
    "PersonForm",
    "PersonFormSet",
    "PlaceForm",
    "PlaceFormSet",
    "ReferralForm",
    "ReferralForms",
    "RowForm",
    "Section",
    "SummaryItem",
    "field_anchor",
]
