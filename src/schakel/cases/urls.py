from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("shared/", views.case_shared, name="shared"),
    path("open/", views.case_open, name="open"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/<slug:action>/", views.inspection_act, name="inspection_act"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/<slug:action>/", views.case_act, name="act"),
]
