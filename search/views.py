from django.http import QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from members import search as directory_search
from members.filters import OrganisationFilter
from members.models import Organisation
from platform_site.cache import AUDIENCE, cache_page
from search.forms import SearchForm
from search.registry import KINDS

PER_KIND = 5


@require_safe
@cache_page(AUDIENCE)
def search(request):
    """Everything this reader may see that holds the words typed, grouped by kind."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    groups, offers = [], []
    if query:
        for kind in KINDS:
            results = kind.results(request.audience, query)
            rows = list(results[:PER_KIND])
            count = len(rows) if len(rows) < PER_KIND else results.count()
            if kind.key == "organisations":
                directory_search.explain_matches(rows, query, request.audience)
            groups.append(
                {"kind": kind, "rows": rows, "count": count, "more": kind.more_url(query)}
            )
        # «حلب» also offers the directory's Aleppo filter.
        visible = Organisation.objects.visible_to(request.audience)
        filterset = OrganisationFilter(QueryDict(), queryset=visible, request=request)
        filterset.is_valid()
        offers = directory_search.matching_filters(query, filterset, visible)
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": query,
            "groups": groups,
            "total": sum(group["count"] for group in groups),
            "matching_filters": offers,
        },
    )
