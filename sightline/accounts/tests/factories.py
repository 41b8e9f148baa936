from __future__ import annotations

from typing import Any

import factory

from sightline.accounts.choices import CIN_SOURCE_DEFAULTS
from sightline.accounts.models import Agency, Team, User
from sightline.accounts.roles import Role


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    kind = "csc"
    code = factory.LazyAttribute(lambda o: f"{o.kind}-agency")
    name = factory.LazyAttribute(lambda o: f"Testborough {o.kind} service")
    cin_source_code = factory.LazyAttribute(lambda o: CIN_SOURCE_DEFAULTS[o.kind])


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    agency = factory.SubFactory(AgencyFactory)
    role = Role.REFERRER

    @factory.post_generation
    def password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        obj.set_password(extracted or "correct horse battery staple")
        if create:
            obj.save()
