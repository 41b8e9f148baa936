from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "sightline.meetings"
    label = "meetings"
    verbose_name = "MACE meetings and the disruption register"
