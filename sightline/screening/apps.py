from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "sightline.screening"
    label = "screening"
    verbose_name = "CSE screening"
