"""The admin asks the access policy too (docs/architecture.md).

The admin opens only for staff with a session verified by a second factor, who see
everything; scoping the admin's querysets by the same verb keeps that a decision of the policy,
not of each admin class, should a role with narrower rights ever reach the admin.
"""


class VisibleToAudienceAdmin:
    """Mix into a ModelAdmin whose model's queryset has `visible_to(audience)`."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.audience)
