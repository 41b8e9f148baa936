from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "sightline.workflows"
    label = "workflows"
    verbose_name = "Workflows: one function per step that spans apps"
