from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("registrations/", views.registrations, name="registrations"),
    path("registrations/<int:pk>/end/", views.end, name="end"),
    path("lookup/", views.lookup, name="lookup"),
    path("lookup/<uuid:token>/", views.result, name="result"),
    path("hits/", views.hits, name="hits"),
    path("hits/<int:pk>/decide/", views.decide, name="decide"),
    path("tasks/<int:pk>/status/", views.task_status, name="task_status"),
]
