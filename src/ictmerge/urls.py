"""Top-level URLs: pages, the REST API and its schema, sign-in, language switch."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token

from ictmerge.core.urls import api_router

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api_docs"),
    path("api/token/", obtain_auth_token, name="api_token"),
    path("api/", include(api_router().urls)),
    path("", include("ictmerge.reforms.urls")),
    path("", include("ictmerge.reports.urls")),
    path("", include("ictmerge.imports.urls")),
    path("", include("ictmerge.consolidation.urls")),
    path("", include("ictmerge.software.urls")),
    path("", include("ictmerge.systems.urls")),
    path("", include("ictmerge.planning.urls")),
    path("", include("ictmerge.review.urls")),
    path("", include("ictmerge.core.urls")),
]
