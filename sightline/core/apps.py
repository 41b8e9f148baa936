from django.apps import AppConfig

from sightline.core import checks, lookups


class CoreConfig(AppConfig):
    name = "sightline.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        checks.register_all()
        lookups.register()
