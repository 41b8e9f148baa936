from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "sightline.escalation"
    label = "escalation"
    verbose_name = "Clocks and escalation"
