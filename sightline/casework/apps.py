from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "sightline.casework"
    label = "casework"
    verbose_name = "Casework after the front door"
