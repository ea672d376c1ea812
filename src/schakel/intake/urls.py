from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    # Public, without login: the address printed on signal cards and leaflets.
    path("melden/", views.public_report, name="public_report"),
    path("melden/terugkoppeling/", views.public_feedback, name="public_feedback"),
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
