from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from network.models import CodeOfConduct, MembershipCriterion
from platform_site.cache import AUDIENCE, cache_page


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class MembershipView(TemplateView):
    """Who may join the network, and the code of conduct in force (earlier versions listed)."""

    template_name = "network/membership.html"

    def get_context_data(self, **kwargs):
        audience = self.request.audience
        versions = list(CodeOfConduct.objects.visible_to(audience).published())
        return {
            **super().get_context_data(**kwargs),
            "criteria": MembershipCriterion.objects.visible_to(audience),
            "conduct": versions[0] if versions else None,
            "earlier": versions[1:],
        }


class CodeOfConductView(TemplateView):
    template_name = "network/codeofconduct_detail.html"

    def get_context_data(self, **kwargs):
        conduct = get_object_or_404(
            CodeOfConduct.objects.visible_to(self.request.audience), version=kwargs["version"]
        )
        current = CodeOfConduct.objects.current()
        return {
            **super().get_context_data(**kwargs),
            "conduct": conduct,
            "is_current": current is not None and current.pk == conduct.pk,
        }
