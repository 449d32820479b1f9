"""The preferences page and the one-click unsubscribe link (DESIGN §5)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from platform_site.account_forms import PreferencesForm
from platform_site.audience import holds_coordinator_role
from platform_site.mail import preferences_of, read_unsubscribe_token
from platform_site.models import Category, Preferences

# The account's other pages, listed on the preferences page: (URL name, label). Pages added
# later (API tokens, calendar tokens) add a line here; names that do not resolve are skipped.
ACCOUNT_LINKS = [
    ("account_email", gettext_lazy("E-mail addresses")),
    ("account_change_password", gettext_lazy("Password")),
    ("mfa_index", gettext_lazy("Two-factor authentication")),
    ("credentials:calendar", gettext_lazy("Calendar links")),
    ("tokens:list", gettext_lazy("API tokens")),
]


def offered_categories(user) -> list[Category]:
    """The categories a person can turn on or off (the digest has its own setting)."""
    categories = [c for c in Category if c not in (Category.DIGEST, Category.ACCOUNT)]
    if not holds_coordinator_role(user):
        categories.remove(Category.COORDINATION)
    return categories


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = preferences_of(request.user)
    form = PreferencesForm(
        request.POST or None, instance=current, categories=offered_categories(request.user)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences were saved."))
        return redirect("account_preferences")
    return TemplateResponse(
        request, "platform_site/preferences.html", {"form": form, "links": account_links()}
    )


def account_links() -> list[tuple[str, str]]:
    links = []
    for name, label in ACCOUNT_LINKS:
        try:
            links.append((reverse(name), label))
        except NoReverseMatch:
            continue
    return links


# Mail programs confirm a one-click unsubscribe (RFC 8058) with a POST that carries no
# session and no CSRF token; the signed token in the address is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    found = read_unsubscribe_token(token)
    user = None
    if found is not None:
        user = get_user_model().objects.filter(pk=found[0], is_active=True).first()
    if user is None:
        return TemplateResponse(request, "platform_site/unsubscribe_invalid.html", status=400)
    category = Category(found[1])
    if request.method == "GET":
        return TemplateResponse(
            request,
            "platform_site/unsubscribe.html",
            {"category": category, "token": token, "done": False},
        )
    current, _created = Preferences.objects.get_or_create(user=user)
    if category == Category.DIGEST:
        current.digest = Preferences.Digest.NEVER
    elif category not in current.muted_categories:
        current.muted_categories = [*current.muted_categories, category.value]
    current.save(update_fields=["digest", "muted_categories", "updated_at"])
    return TemplateResponse(
        request, "platform_site/unsubscribe.html", {"category": category, "done": True}
    )
