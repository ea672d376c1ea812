from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("organisations/<int:pk>/edit/", views.profile_edit, name="profile_edit"),
    path("who-does-what/", views.who_does_what, name="who_does_what"),
    path("trainings/", views.trainings, name="trainings"),
    path("trainings/interval/", views.training_interval, name="training_interval"),
    path("trainings/new/", views.training_new, name="training_new"),
    path("trainings/<int:pk>/", views.training_edit, name="training_edit"),
    path("trainings/status/", views.training_status, name="training_status"),
    path("care-map/", views.care_map, name="care_map"),
    path("care-map/new/", views.care_offer_new, name="care_offer_new"),
    path("care-map/<int:pk>/", views.care_offer_edit, name="care_offer_edit"),
]
