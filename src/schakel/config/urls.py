from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from schakel.accounts import views as account_views
from schakel.core import views as core_views
from schakel.core.access import authenticated, public
from schakel.core.admin_site import site as admin_site

# The normal error page, rendered with the request (Django's default renders 400.html without it).
handler400 = "schakel.core.views.bad_request"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    # Django's login view, which also sends on to the second factor (accounts.views.LoginView).
    path("login/", account_views.login, name="login"),
    path("logout/", authenticated(auth_views.LogoutView.as_view()), name="logout"),
    path("language/", public(set_language), name="set_language"),
    path("accounts/", include("schakel.accounts.urls")),
    path("", include("schakel.intake.urls")),
    path("inspections/", include("schakel.inspections.urls")),
    # Before the cases: /cases/actions/ is not a case number.
    path("", include("schakel.worklist.urls")),
    path("cases/", include("schakel.cases.urls")),
    path("audit/", include("schakel.audit.urls")),
    path("matching/", include("schakel.matching.urls")),
    path("figures/", include("schakel.monitoring.urls")),
    path("assessment/", include("schakel.assessment.urls")),
    path("network/", include("schakel.network.urls")),
    path("signaalkaarten/", include("schakel.catalogue.urls")),
    path("", include("schakel.meetings.urls")),
    path("", include("schakel.privacy.urls")),
    path("admin/", admin_site.urls),
]

if settings.SCHAKEL_OIDC_ENABLED:
    # Login through the municipality's identity provider; mounted only when configured.
    urlpatterns.append(path("oidc/", include("schakel.accounts.oidc")))
