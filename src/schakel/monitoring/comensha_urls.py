from django.urls import URLPattern, path

from . import comensha_views as views

urlpatterns: list[URLPattern] = [
    path("", views.registration, name="comensha"),
    path("csv/", views.registration_csv, name="comensha_csv"),
    path("xlsx/", views.registration_xlsx, name="comensha_xlsx"),
]
