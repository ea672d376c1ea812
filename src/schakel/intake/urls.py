from django.urls import path

from . import subject_views, views

app_name = "intake"

urlpatterns = [
    # Public, without login: the address printed on signal cards and leaflets.
    path("melden/", views.public_report, name="public_report"),
    path("melden/terugkoppeling/", views.public_feedback, name="public_feedback"),
    path("privacy/subjects/", subject_views.subject_search, name="subjects"),
    path("privacy/subjects/<int:pk>/", subject_views.subject_detail, name="subject"),
    path(
        "privacy/subjects/<int:pk>/correct/", subject_views.subject_correct, name="subject_correct"
    ),
    path(
        "privacy/subjects/<int:pk>/export.json", subject_views.subject_export, name="subject_export"
    ),
    path(
        "privacy/subjects/case-persons/<int:pk>/",
        subject_views.case_subject_detail,
        name="case_subject",
    ),
    path(
        "privacy/subjects/case-persons/<int:pk>/correct/",
        subject_views.case_subject_correct,
        name="case_subject_correct",
    ),
    path(
        "privacy/subjects/case-persons/<int:pk>/export.json",
        subject_views.case_subject_export,
        name="case_subject_export",
    ),
    path("signals/report/", views.signal_report, name="report"),
    path("signals/queue/", views.signal_queue, name="queue"),
    path("signals/mine/", views.my_signals, name="mine"),
    path("signals/<str:reference>/", views.signal_detail, name="detail"),
    path("signals/<str:reference>/received/", views.signal_received, name="received"),
    path(
        "signals/<str:reference>/attachments/<int:pk>/",
        views.signal_attachment,
        name="attachment",
    ),
    path("signals/<str:reference>/<slug:action>/", views.signal_handle, name="handle"),
]
