from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "sightline.workforce"
    label = "workforce"
    verbose_name = "Workforce and training"
