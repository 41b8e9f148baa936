from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "sightline.retention"
    label = "retention"
    verbose_name = "Retention"
