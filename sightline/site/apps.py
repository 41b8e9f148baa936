from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "sightline.site"
    label = "site"
    verbose_name = "Site shell: home, errors, pages for cross-app steps, worker scheduling"
