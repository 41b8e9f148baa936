from django.urls import path

from sightline.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
]
