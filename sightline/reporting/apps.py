from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "sightline.reporting"
    label = "reporting"
    verbose_name = "Reporting: cross-app read models, information governance, exports"
