from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from schakel.core import views as core_views
from schakel.core.access import authenticated, public
from schakel.core.admin_site import site as admin_site

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "login/",
        public(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("logout/", authenticated(auth_views.LogoutView.as_view()), name="logout"),
    path("language/", public(set_language), name="set_language"),
    path("", include("schakel.intake.urls")),
    path("audit/", include("schakel.audit.urls")),
    path("signaalkaarten/", include("schakel.catalogue.urls")),
    path("admin/", admin_site.urls),
]
