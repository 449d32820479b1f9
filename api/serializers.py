"""What the API says about each object: public fields only, never personal data.

Field names follow Open Referral's HSDS where HSDS has the concept (organization, service,
service area); each field's description names its HXL hashtag, as the exports write it.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from advocacy.models import PriorityStatement
from knowledge_bank.models import Programme, Resource
from members.models import Organisation
from working_groups.models import WorkingGroup


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def codes(slug_field: str, help_text: str, source: str | None = None):
    """A many-to-many vocabulary as a list of its codes."""
    return serializers.SlugRelatedField(
        slug_field=slug_field, many=True, read_only=True, help_text=help_text, source=source
    )


class OrganisationSerializer(serializers.ModelSerializer):
    """HSDS `organization`."""

    id = serializers.CharField(source="slug", help_text="Stable identifier (slug). HXL: #org+code")
    name = serializers.CharField(
        source="display_name", help_text="Name in Arabic, else in English. HXL: #org+name"
    )
    name_ar = serializers.CharField(help_text="Name in Arabic. HXL: #org+name+i_ar")
    name_en = serializers.CharField(help_text="Name in English. HXL: #org+name+i_en")
    alternate_name = serializers.CharField(source="acronym", help_text="Acronym. HXL: #org+acronym")
    description_ar = serializers.CharField(help_text="Description in Arabic.")
    description_en = serializers.CharField(help_text="Description in English.")
    organization_type = serializers.CharField(
        source="org_type",
        help_text="Organisation type code (local_ngo, international_ngo, un_agency, network, "
        "academic, authority, school, community, donor, other). HXL: #org+type",
    )
    status = serializers.CharField(
        help_text="Membership status in the network (active; pending only for its own users)."
    )
    year_incorporated = serializers.IntegerField(
        source="founded_year", allow_null=True, help_text="Year founded. HXL: #date+founded"
    )
    email = serializers.EmailField(
        source="public_email", help_text="The organisation's public e-mail. HXL: #contact+email"
    )
    phone = serializers.CharField(
        source="public_phone", help_text="The organisation's public phone. HXL: #contact+phone"
    )
    website = serializers.CharField(help_text="Website. HXL: #org+url")
    headquarters_country = serializers.CharField(
        source="hq_country", help_text="ISO 3166-1 alpha-2 code. HXL: #country+code+hq"
    )
    headquarters_city = serializers.CharField(source="hq_city", help_text="HXL: #loc+name+hq")
    service_areas = codes(
        "pcode",
        "Governorates of operation, OCHA p-codes (HSDS service_area). HXL: #adm1+code",
        source="governorates",
    )
    host_countries = serializers.SerializerMethodField(
        help_text="Countries of operation outside Syria, ISO codes. HXL: #country+code"
    )
    subsectors = codes("code", "Education sub-sector codes. HXL: #subsector+code")
    target_groups = codes("code", "Target group codes. HXL: #targeted+type")
    last_verified = serializers.DateTimeField(
        source="verified_at",
        allow_null=True,
        help_text="When the profile was last confirmed current. HXL: #date+verified",
    )
    last_modified = serializers.DateTimeField(source="updated_at", help_text="HSDS last_modified.")
    uri = serializers.SerializerMethodField(help_text="The profile page. HSDS uri.")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "name_ar",
            "name_en",
            "alternate_name",
            "description_ar",
            "description_en",
            "organization_type",
            "status",
            "year_incorporated",
            "email",
            "phone",
            "website",
            "headquarters_country",
            "headquarters_city",
            "service_areas",
            "host_countries",
            "subsectors",
            "target_groups",
            "last_verified",
            "last_modified",
            "uri",
        ]

    def get_host_countries(self, organisation) -> list[str]:
        return organisation.host_country_codes

    def get_uri(self, organisation) -> str:
        return _absolute(self.context.get("request"), organisation.get_absolute_url())


class ProgrammeSerializer(serializers.ModelSerializer):
    """HSDS `service`: a 4W record (who does what, where, when, for whom)."""

    id = serializers.IntegerField(help_text="HXL: #activity+code")
    organization_id = serializers.CharField(
        source="organisation.slug", help_text="The organisation's id. HXL: #org+code"
    )
    name = serializers.SerializerMethodField(
        help_text="Title in Arabic, else in English. HXL: #activity+name"
    )
    name_ar = serializers.CharField(source="title_ar", help_text="HXL: #activity+name+i_ar")
    name_en = serializers.CharField(source="title_en", help_text="HXL: #activity+name+i_en")
    status = serializers.CharField(help_text="planned, ongoing or completed. HXL: #status")
    subsectors = codes("code", "Education sub-sector codes. HXL: #subsector+code")
    service_areas = codes(
        "pcode", "Governorates, OCHA p-codes (HSDS service_area). HXL: #adm1+code", "governorates"
    )
    target_groups = codes("code", "Target group codes. HXL: #targeted+type")
    start_date = serializers.DateField(help_text="HXL: #date+start")
    end_date = serializers.DateField(allow_null=True, help_text="HXL: #date+end")
    targeted = serializers.IntegerField(
        allow_null=True, help_text="People targeted. HXL: #targeted"
    )
    targeted_girls = serializers.IntegerField(
        allow_null=True, help_text="HXL: #targeted+f+children"
    )
    targeted_boys = serializers.IntegerField(allow_null=True, help_text="HXL: #targeted+m+children")
    targeted_women = serializers.IntegerField(allow_null=True, help_text="HXL: #targeted+f+adults")
    targeted_men = serializers.IntegerField(allow_null=True, help_text="HXL: #targeted+m+adults")
    reached = serializers.IntegerField(allow_null=True, help_text="People reached. HXL: #reached")
    reached_girls = serializers.IntegerField(allow_null=True, help_text="HXL: #reached+f+children")
    reached_boys = serializers.IntegerField(allow_null=True, help_text="HXL: #reached+m+children")
    reached_women = serializers.IntegerField(allow_null=True, help_text="HXL: #reached+f+adults")
    reached_men = serializers.IntegerField(allow_null=True, help_text="HXL: #reached+m+adults")
    funders = serializers.CharField(help_text="HXL: #org+funder")
    visibility = serializers.CharField(help_text="public, or members (network members only).")
    last_modified = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Programme
        fields = [
            "id",
            "organization_id",
            "name",
            "name_ar",
            "name_en",
            "status",
            "subsectors",
            "service_areas",
            "target_groups",
            "start_date",
            "end_date",
            "targeted",
            "targeted_girls",
            "targeted_boys",
            "targeted_women",
            "targeted_men",
            "reached",
            "reached_girls",
            "reached_boys",
            "reached_women",
            "reached_men",
            "funders",
            "visibility",
            "last_modified",
        ]

    def get_name(self, programme) -> str:
        return programme.title_ar or programme.title_en


class OrganisationRef(serializers.Serializer):
    id = serializers.CharField(source="slug", help_text="HXL: #org+code")
    name_ar = serializers.CharField(help_text="HXL: #org+name+i_ar")
    name_en = serializers.CharField(help_text="HXL: #org+name+i_en")


class WorkingGroupSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="slug", help_text="Stable identifier (slug).")
    name_ar = serializers.CharField()
    name_en = serializers.CharField()
    mandate_ar = serializers.CharField(help_text="Terms of reference in Arabic.")
    mandate_en = serializers.CharField(help_text="Terms of reference in English.")
    status = serializers.CharField(help_text="open (for joining), closed or archived.")
    subsectors = codes("code", "Education sub-sector codes. HXL: #subsector+code")
    lead_organisations = serializers.SerializerMethodField(
        help_text="Lead organisations this reader may see."
    )
    uri = serializers.SerializerMethodField()

    class Meta:
        model = WorkingGroup
        fields = [
            "id",
            "name_ar",
            "name_en",
            "mandate_ar",
            "mandate_en",
            "status",
            "subsectors",
            "lead_organisations",
            "uri",
        ]

    @extend_schema_field(OrganisationRef(many=True))
    def get_lead_organisations(self, group):
        return OrganisationRef(group.visible_leads, many=True).data

    def get_uri(self, group) -> str:
        return _absolute(self.context.get("request"), group.get_absolute_url())


class StatementSerializer(serializers.ModelSerializer):
    """A published priority statement: the text of its current published version."""

    id = serializers.CharField(source="slug", help_text="Stable identifier (slug).")
    version = serializers.IntegerField(help_text="Number of the current published version.")
    title_ar = serializers.CharField(source="current.title_ar")
    title_en = serializers.CharField(source="current.title_en")
    summary_ar = serializers.CharField(source="current.summary_ar")
    summary_en = serializers.CharField(source="current.summary_en")
    body_ar = serializers.CharField(source="current.body_ar", help_text="Plain text or Markdown.")
    body_en = serializers.CharField(source="current.body_en", help_text="Plain text or Markdown.")
    published_at = serializers.DateTimeField(source="current.published_at")
    author_organisation = serializers.SerializerMethodField(
        help_text="The author, when this reader may see it. HXL: #org+code"
    )
    author_group = serializers.SerializerMethodField(help_text="The authoring working group.")
    subsectors = codes("code", "Education sub-sector codes. HXL: #subsector+code")
    governorates = codes("pcode", "Governorates, OCHA p-codes. HXL: #adm1+code")
    endorsing_organisations = serializers.SerializerMethodField(
        help_text="Organisations that endorse the statement (never persons), as far as this "
        "reader may see them."
    )
    uri = serializers.SerializerMethodField()

    class Meta:
        model = PriorityStatement
        fields = [
            "id",
            "version",
            "title_ar",
            "title_en",
            "summary_ar",
            "summary_en",
            "body_ar",
            "body_en",
            "published_at",
            "author_organisation",
            "author_group",
            "subsectors",
            "governorates",
            "endorsing_organisations",
            "uri",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_author_organisation(self, statement):
        if statement.author_organisation_id is None or statement.author_hidden:
            return None
        return statement.author_organisation.slug

    @extend_schema_field(OpenApiTypes.STR)
    def get_author_group(self, statement):
        return statement.author_group.slug if statement.author_group_id else None

    @extend_schema_field(OrganisationRef(many=True))
    def get_endorsing_organisations(self, statement):
        return OrganisationRef(
            [endorsement.organisation for endorsement in statement.visible_endorsements],
            many=True,
        ).data

    def get_uri(self, statement) -> str:
        return _absolute(self.context.get("request"), statement.get_absolute_url())


class ResourceSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="slug", help_text="Stable identifier (slug).")
    title_ar = serializers.CharField()
    title_en = serializers.CharField()
    summary_ar = serializers.CharField()
    summary_en = serializers.CharField()
    kind = serializers.CharField(help_text="report, study, guide, tool, policy, training or data.")
    language = serializers.CharField(help_text="ar, en, both or other.")
    publisher = serializers.SerializerMethodField(
        help_text="Publishing organisation. HXL: #org+code"
    )
    working_group = serializers.SerializerMethodField()
    subsectors = codes("code", "Education sub-sector codes. HXL: #subsector+code")
    published_on = serializers.DateField(allow_null=True, help_text="HXL: #date+published")
    visibility = serializers.CharField(help_text="public, or members (network members only).")
    link = serializers.SerializerMethodField(help_text="The document's download or its link.")
    uri = serializers.SerializerMethodField()

    class Meta:
        model = Resource
        fields = [
            "id",
            "title_ar",
            "title_en",
            "summary_ar",
            "summary_en",
            "kind",
            "language",
            "publisher",
            "working_group",
            "subsectors",
            "published_on",
            "visibility",
            "link",
            "uri",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_publisher(self, resource):
        return resource.publisher.slug if resource.publisher_id else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_working_group(self, resource):
        return resource.working_group.slug if resource.working_group_id else None

    def get_link(self, resource) -> str:
        from django.urls import reverse

        if resource.file:
            url = reverse("knowledge_bank:download", kwargs={"slug": resource.slug})
            return _absolute(self.context.get("request"), url)
        return resource.url

    def get_uri(self, resource) -> str:
        return _absolute(self.context.get("request"), resource.get_absolute_url())


class CoverageCellSerializer(serializers.Serializer):
    governorate = serializers.CharField(help_text="OCHA p-code. HXL: #adm1+code")
    subsector = serializers.CharField(help_text="Education sub-sector code. HXL: #subsector+code")
    organisations = serializers.IntegerField(
        help_text="Organisations with programmes in the cell. HXL: #org+num"
    )
    reached = serializers.IntegerField(help_text="People reached. HXL: #reached")


class CoverageSerializer(serializers.Serializer):
    cells = CoverageCellSerializer(many=True)
