from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("start/", views.assessment_start, name="start"),
    path("<int:pk>/questions/<slug:element>/", views.assessment_questions, name="questions"),
    path("<int:pk>/answer/<slug:condition>/", views.assessment_answer, name="answer"),
    path("<int:pk>/evidence/<slug:condition>/", views.assessment_evidence_add, name="evidence_add"),
    path(
        "<int:pk>/evidence/<int:evidence>/remove/",
        views.assessment_evidence_remove,
        name="evidence_remove",
    ),
    path("<int:pk>/results/", views.assessment_results, name="results"),
    path("<int:pk>/finalise/", views.assessment_finalise, name="finalise"),
    path("<int:pk>/pdf/", views.assessment_pdf, name="pdf"),
]
