from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.security, name="security"),
    path("act-as/", views.act_as, name="act_as"),
    path("two-factor/enrol/", views.enrol, name="enrol"),
    path("two-factor/verify/", views.verify, name="verify"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-factor/turn-off/", views.turn_off, name="turn_off"),
    path("review/", views.rights_review, name="rights_review"),
    path("review/export.csv", views.rights_review_export, name="rights_review_export"),
]
