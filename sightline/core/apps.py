from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sightline.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from sightline.core import checks  # noqa: F401  (registers system checks)
