from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "sightline.intel"
    label = "intel"
    verbose_name = "Intelligence"
