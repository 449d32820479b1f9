from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("working-groups", views.WorkingGroupViewSet, basename="working-group")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("resources", views.ResourceViewSet, basename="resource")

urlpatterns = [
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
