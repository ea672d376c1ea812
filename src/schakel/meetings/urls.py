from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/plan/", views.meeting_plan, name="plan"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/document.pdf", views.meeting_pdf, name="pdf"),
    path("meetings/<int:pk>/items/<int:item_pk>/", views.agenda_item, name="item"),
    path(
        "meetings/<int:pk>/proposals/<int:proposal_pk>/",
        views.decide_proposal,
        name="decide_proposal",
    ),
    path(
        "meetings/<int:pk>/interventions/<int:intervention_pk>/",
        views.acknowledge_intervention,
        name="acknowledge",
    ),
    path("meetings/<int:pk>/<slug:action>/", views.meeting_act, name="act"),
]
