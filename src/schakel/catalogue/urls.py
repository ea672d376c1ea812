from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    # Public: signal cards to print and hand out (mounted at /signaalkaarten/).
    path("", views.card_index, name="cards"),
    path("<str:cbs_code>/<slug:sector>/", views.card_detail, name="card"),
    path("<str:cbs_code>/<slug:sector>.pdf", views.card_pdf, name="card_pdf"),
]
