from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/subjects/", views.subject_search, name="subjects"),
    path("privacy/subjects/<int:pk>/", views.subject_detail, name="subject"),
    path("privacy/subjects/<int:pk>/correct/", views.subject_correct, name="subject_correct"),
    path("privacy/subjects/<int:pk>/export.json", views.subject_export, name="subject_export"),
    path(
        "privacy/subjects/case-persons/<int:pk>/",
        views.case_subject_detail,
        name="case_subject",
    ),
    path(
        "privacy/subjects/case-persons/<int:pk>/correct/",
        views.case_subject_correct,
        name="case_subject_correct",
    ),
    path(
        "privacy/subjects/case-persons/<int:pk>/export.json",
        views.case_subject_export,
        name="case_subject_export",
    ),
]
