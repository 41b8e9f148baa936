from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "sightline.events"
    label = "events"
    verbose_name = "Partner events"
