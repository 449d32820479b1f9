"""The read-only JSON API (/api/v1/): the same rows the pages show to the same reader.

Who reads: `Audience.of(request.user)`, where the user comes only from an API token (or is
anonymous): never a coordinator, and never a browser session. Each list reuses the filter set
of its page; a malformed filter answers 400 with the field errors as JSON.
"""

import hashlib

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from drf_spectacular.utils import extend_schema
from rest_framework import generics, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from advocacy.filters import StatementFilter
from advocacy.models import Endorsement, PriorityStatement
from api import serializers
from knowledge_bank.filters import ProgrammeFilter, ResourceFilter
from knowledge_bank.models import Programme, Resource
from members.filters import OrganisationFilter
from members.models import Governorate, Organisation, Subsector
from platform_site.audience import Audience
from working_groups.models import WorkingGroup

MAX_AGE = 60  # seconds a client or a shared cache may reuse an answer


def audience_of(request) -> Audience:
    """The token owner's audience (or anonymous): `request.user` is set by the API's own
    authentication, so a session never counts."""
    return Audience.of(request.user)


class ReadOnly:
    """ETag, Last-Modified, Cache-Control and Vary on every successful read; 304 when the
    client already has it."""

    _last_modified = None

    def note_modified(self, objects):
        stamps = [getattr(obj, "updated_at", None) for obj in objects]
        stamps = [stamp for stamp in stamps if stamp is not None]
        if stamps:
            self._last_modified = max(stamps)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self.note_modified(page)
        return page

    def get_object(self):
        obj = super().get_object()
        self.note_modified([obj])
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "Accept-Language"])
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
        response["ETag"] = etag
        timestamp = int(self._last_modified.timestamp()) if self._last_modified else None
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        scope = "public" if request.auth is None else "private"
        response["Cache-Control"] = f"{scope}, max-age={MAX_AGE}"
        return get_conditional_response(
            request._request, etag=etag, last_modified=timestamp, response=response
        )


class OrganisationViewSet(ReadOnly, viewsets.ReadOnlyModelViewSet):
    """Organisations of the directory (HSDS organization), with the directory's filters."""

    serializer_class = serializers.OrganisationSerializer
    filterset_class = OrganisationFilter
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return Organisation.objects.visible_to(audience_of(self.request)).prefetch_related(
            "governorates", "subsectors", "target_groups"
        )


class ProgrammeViewSet(ReadOnly, viewsets.ReadOnlyModelViewSet):
    """Programmes (HSDS service; 4W records), with the programme list's filters."""

    serializer_class = serializers.ProgrammeSerializer
    filterset_class = ProgrammeFilter

    def get_queryset(self):
        return (
            Programme.objects.visible_to(audience_of(self.request))
            .select_related("organisation")
            .prefetch_related("governorates", "subsectors", "target_groups")
        )


class WorkingGroupViewSet(ReadOnly, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.WorkingGroupSerializer
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        audience = audience_of(self.request)
        leads = Organisation.objects.visible_to(audience).only("slug", "name_ar", "name_en")
        return WorkingGroup.objects.visible_to(audience).prefetch_related(
            "subsectors", Prefetch("lead_organisations", leads, to_attr="visible_leads")
        )


class StatementViewSet(ReadOnly, viewsets.ReadOnlyModelViewSet):
    """Published priority statements and the organisations that endorse them."""

    serializer_class = serializers.StatementSerializer
    filterset_class = StatementFilter
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        audience = audience_of(self.request)
        endorsements = (
            Endorsement.objects.live()
            .visible_to(audience)
            .select_related("organisation")
            .order_by("organisation__name_ar", "pk")
        )
        return (
            PriorityStatement.objects.published()
            .select_related("current", "author_organisation", "author_group")
            .annotate(
                author_hidden=~Exists(
                    Organisation.objects.visible_to(audience).filter(
                        pk=OuterRef("author_organisation")
                    )
                )
            )
            .prefetch_related(
                "subsectors",
                "governorates",
                Prefetch("endorsements", endorsements, to_attr="visible_endorsements"),
            )
        )


class ResourceViewSet(ReadOnly, viewsets.ReadOnlyModelViewSet):
    """The knowledge bank's resource library, with its filters."""

    serializer_class = serializers.ResourceSerializer
    filterset_class = ResourceFilter
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return (
            Resource.objects.visible_to(audience_of(self.request))
            .select_related("publisher", "working_group")
            .prefetch_related("subsectors")
        )


class CoverageView(ReadOnly, generics.GenericAPIView):
    """Organisations and people reached per governorate × sub-sector, as on the coverage page
    (ongoing programmes unless `status` says otherwise)."""

    serializer_class = serializers.CoverageSerializer
    filterset_class = ProgrammeFilter
    pagination_class = None

    def get_queryset(self):
        return Programme.objects.visible_to(audience_of(self.request))

    @extend_schema(responses=serializers.CoverageSerializer)
    def get(self, request):
        params = request.query_params.copy()
        params.setdefault("status", Programme.Status.ONGOING)
        filterset = ProgrammeFilter(params, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        cells = filterset.qs.coverage()
        governorates = dict(Governorate.objects.values_list("pk", "pcode"))
        subsectors = dict(Subsector.objects.values_list("pk", "code"))
        rows = [
            {
                "governorate": governorates[governorate],
                "subsector": subsectors[subsector],
                "organisations": count,
                "reached": reached,
            }
            for (governorate, subsector), (count, reached) in cells.items()
            if governorate in governorates and subsector in subsectors
        ]
        rows.sort(key=lambda row: (row["governorate"], row["subsector"]))
        return Response(self.get_serializer({"cells": rows}).data)
