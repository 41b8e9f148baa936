"""Deterministic generator of a synthetic borough with planted exploitation networks.

Pure Python (no Django): it returns frozen dataclasses and a JSON-serialisable ground truth,
and the demo loaders turn those into database rows. Everything is SYNTHETIC:

- People's names come from ``Faker("en_GB")`` (seeded per borough); they are not real people.
- The borough ("Northbrook"), its localities, streets, schools, GP practices, takeaways, taxi
  firms and so on are invented.
- Postcodes use the outward codes NB1 to NB9. "NB" is not a real UK postcode area, so the
  postcodes are format-valid (``NB4 7QX``) but cannot point at a real address.
- NHS numbers start 999 (the range the NHS keeps for test numbers) and pass the mod-11 check.
- Mobile numbers come from the range Ofcom reserves for drama, 07700 900000 to 07700 900999;
  only a borough with more than 1,000 numbers to give out goes past it (07700 901000 upwards).
- Output is deterministic for a given seed and Faker version (Faker's name lists can change
  between releases).
- Vehicle registrations follow the current format ("AB12 CDE") and are random letters.

Volumes: each child has 1 to 5 referrals (mostly 1 to 3), siblings sometimes share a referral,
and children drawn into a network have 2 to 5 network referrals plus 0 to 2 others. Overall the
borough has about 2.0 referrals per child (1.9 to 2.2 in practice), so
``generate_borough(children=5000, years=3, seed=...)`` gives about 10,000 referrals; the count
does not depend on ``years``, which only spreads the referrals out.

Planted networks (default ``max(1, children // 150)``): 2 to 5 adults who touch 3 to 8
children, named across months of referrals from at least two agencies, and shared places. A
third of network adults have names from the borough's communities (with the short forms they go
by), some the commonest surnames, some hyphenated surnames (``people``). They are written the way
practitioners write people (``writing``): "Given Surname", "SURNAME Given", "Surname, Given",
"Mr Surname", one half of a hyphenated surname, initials with and without a stop, spelling
variants, short forms no nickname table holds ("Kev", "Seun", "Tomek"), one-letter typos,
nicknames only; phones as 07..., +44 7..., +44 (0)7..., 0044 7..., 7... without the 0, spaced
and dashed; registrations full, joined, partial, in words ("starts AB12", "ends in CDE") and
misread (0/O, 1/I, 5/S, 8/B). Each mention's styles are in the ground truth.
Each network adult presents himself consistently (``persona``, ADR 0212): every mention of him
after the first shares at least one detail of his persona (given name, a surname half, the
nickname, one of his one or two phones, the front or back of his plate, his address) with an
earlier mention, written in any style; ``generate_borough(persona=False)`` draws each mention's
details independently, as before.
About 93% of referrals at the default density belong to no network; some of those name ordinary
adults (a parent's partner, a neighbour, a coach), who are not persons of concern; three in ten
of those outside the child's family share a network adult's surname (half of them the initial
too) and more have the commonest surnames, so that linking is measured where precision is hard.

``Borough.truth`` records which mentions belong to which network adult or place. It is for
scoring the linking and alerting features and must never be written into the database;
``ReferralSpec.network_key`` is likewise for the caller only.

Language follows the practice reference: "child", "young person", "exploitation"; the word
"boyfriend" appears only as a quoted report of what a child called an adult.

Run ``python -m sightline.demo.generator --children 5000 --years 3`` for counts and timing.

The package's modules, in the order a borough is drawn: ``world`` (random source, ``period``,
identifiers, streets), ``organisations``, ``children``, ``networks``, ``drafts``, ``referrals``
(with ``narrative`` and ``mentions``), ``truth``; ``borough`` runs them in turn. The
vocabularies are in ``vocab``, ``names``, ``templates`` and ``cse_templates``.
"""

from sightline.demo.generator.borough import generate_borough, write_truth
from sightline.demo.generator.helpers import age_on, cin_source_code_for, nhs_number_is_valid
from sightline.demo.generator.names import NAME_VARIANTS
from sightline.demo.generator.specs import (
    AgencySpec,
    Borough,
    Channel,
    ChildSpec,
    PersonNamed,
    PlaceNamed,
    ReferralSpec,
    Sex,
    StaffSpec,
    TeamSpec,
    Urgency,
)
from sightline.demo.generator.vocab import (
    AGENCY_KINDS,
    BOROUGH_NAME,
    CONCERN_CATEGORIES,
    GP_PRACTICES,
    LONDON,
    PLACE_KINDS,
    ROLES,
    SCHOOLS,
)

__all__ = [
    "AGENCY_KINDS",
    "BOROUGH_NAME",
    "CONCERN_CATEGORIES",
    "GP_PRACTICES",
    "LONDON",
    "NAME_VARIANTS",
    "PLACE_KINDS",
    "ROLES",
    "SCHOOLS",
    "AgencySpec",
    "Borough",
    "Channel",
    "ChildSpec",
    "PersonNamed",
    "PlaceNamed",
    "ReferralSpec",
    "Sex",
    "StaffSpec",
    "TeamSpec",
    "Urgency",
    "age_on",
    "cin_source_code_for",
    "generate_borough",
    "nhs_number_is_valid",
    "write_truth",
]
