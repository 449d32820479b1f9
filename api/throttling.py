"""Rate limits in the shared cache: per token for token holders, per address for everyone
else (behind `TRUSTED_PROXY_COUNT` proxies, the client's address)."""

from rest_framework.throttling import SimpleRateThrottle


class PerToken(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        token = request.auth
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class PerAddress(SimpleRateThrottle):
    scope = "address"

    def get_cache_key(self, request, view):
        if request.auth is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
