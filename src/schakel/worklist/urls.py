from django.urls import path

from . import views

app_name = "worklist"

urlpatterns = [
    # Under /cases/ where it has always been, so that bookmarks keep working.
    path("cases/actions/", views.my_actions, name="actions"),
]
