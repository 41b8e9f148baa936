from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "sightline.referrals"
    label = "referrals"
    verbose_name = "Referrals (front door)"
