from django.urls import path

from . import report_views as views

urlpatterns = [
    path("", views.report_index, name="report_index"),
    path("<int:year>/", views.report, name="report"),
    path("<int:year>/edit/", views.report_edit, name="report_edit"),
    path("<int:year>/pdf/", views.report_pdf, name="report_pdf"),
    path("<int:year>/csv/", views.report_csv, name="report_csv"),
    path("<int:year>/xlsx/", views.report_xlsx, name="report_xlsx"),
]
