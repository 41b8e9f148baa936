"""When a record falls due under the schedule. Pure date arithmetic: the selectors gather the
dates and these predicates decide."""

from __future__ import annotations

import datetime as dt

from sightline.core.dates import add_months


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February becomes 28 February in a common year)."""
    result: dt.date = add_months(day, 12 * years)
    return result


def child_due_on(
    *,
    date_of_birth: dt.date | None,
    created_on: dt.date,
    last_activity_on: dt.date,
    keep_until_age: int,
    years_after_last_activity: int,
) -> dt.date:
    """The later of the birthday at `keep_until_age` and `years_after_last_activity` after the
    last referral or decision. With no date of birth, the record's own creation stands in for
    it (the child was at least newborn then): never earlier than a known birthday would be."""
    born = date_of_birth or created_on
    return max(
        years_after(born, keep_until_age), years_after(last_activity_on, years_after_last_activity)
    )
