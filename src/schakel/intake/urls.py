from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("report/", views.signal_report, name="report"),
    path("queue/", views.signal_queue, name="queue"),
    path("mine/", views.my_signals, name="mine"),
    path("<str:reference>/", views.signal_detail, name="detail"),
    path("<str:reference>/received/", views.signal_received, name="received"),
]
