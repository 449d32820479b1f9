"""Personal API tokens on the person's account: created (the key is shown once) and revoked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import TokenForm
from api.models import MAX_LIVE_TOKENS, ApiToken


@require_http_methods(["GET", "POST"])
@login_required
def token_list(request):
    tokens = ApiToken.objects.owned_by(request.user)
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        if tokens.live().count() >= MAX_LIVE_TOKENS:
            form.add_error(
                None,
                ngettext(
                    "You have %(count)s active token, the most allowed. Revoke it first.",
                    "You have %(count)s active tokens, the most allowed. Revoke one first.",
                    MAX_LIVE_TOKENS,
                )
                % {"count": MAX_LIVE_TOKENS},
            )
        else:
            _token, new_key = ApiToken.issue(user=request.user, name=form.cleaned_data["name"])
            form = TokenForm()
    response = render(
        request,
        "api/token_list.html",
        {"form": form, "tokens": tokens, "new_key": new_key},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "private, no-store"  # the new key is on this page once
    return response


@require_POST
@login_required
def revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.owned_by(request.user).live(), pk=pk)
    token.revoke()
    messages.success(request, _("The token was revoked: it no longer opens the API."))
    return redirect("tokens:list")
