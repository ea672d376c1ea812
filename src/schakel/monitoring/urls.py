from django.urls import include, path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("annual-report/", include("schakel.monitoring.report_urls")),
    path("comensha/", include("schakel.monitoring.comensha_urls")),
]
