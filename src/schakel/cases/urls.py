from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("shared/", views.case_shared, name="shared"),
    path("open/", views.case_open, name="open"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/deel/<slug:section>/", views.case_section, name="section"),
    path("<str:reference>/<slug:action>/", views.case_act, name="act"),
]
