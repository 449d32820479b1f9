"""The shared cache (Redis) as an optional part: without it the site is slower, never down.

Django's `RedisCache` raises as soon as Redis is unreachable, and every page that touches the
cache (the anonymous page cache, cached results, allauth's login rate limits) answers 500.
`ResilientRedisCache` is that backend behind a circuit breaker (docs/deploy.md, "Outages"):

- Each call to Redis has short timeouts (`DEFAULT_OPTIONS`: 0.5 s to connect, 0.5 s to read)
  and one immediate retry on a broken connection (a restarted Redis), none on a timeout.
- The first failure opens the circuit: for `RETRY_AFTER` seconds no call goes to Redis; then
  one call tries again. The log gets one warning when an outage starts and one line when it
  ends, per process — not one per request.
- While the circuit is open, calls go to a small cache inside the process (`LocMemCache`).
  Rate limits and locks (allauth's login, sign-up and password-reset limits, its TOTP replay
  guard) keep counting, but per process: a limit lets through at most its rate times the
  number of worker processes, never an unlimited number, and the warning says so.
- `platform_site.cache` caches no pages or results while the circuit is open (each process
  would keep copies that other processes' changes cannot invalidate) and, listening to
  `cache_available_again`, renews every content generation when Redis returns, since changes
  made during the outage could not renew them.

Everything here is per process and per cache location; nothing is shared between processes.
"""

import logging
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.dispatch import Signal
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger("platform_site.cache")

RETRY_AFTER = 5.0  # seconds without trying Redis after a failure
DEFAULT_OPTIONS = {
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
    # A connection Redis closed (it restarted) is re-opened once at once; a timeout is not
    # retried, so one call never waits longer than the timeouts above.
    "retry": Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
}
FALLBACK_MAX_ENTRIES = 5000

# Sent (in the process that noticed) when Redis answers again after an outage.
cache_available_again = Signal()


@dataclass
class _Circuit:
    """The state of one cache location, shared by the threads of a process."""

    fallback: LocMemCache
    down_since: float | None = None  # time.monotonic() of the first failure, None when up
    retry_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class ReusedClientCache(RedisCacheClient):
    """Django's Redis client, keeping one redis-py client per connection pool.

    Django makes a new `redis.Redis` for every cache operation, and redis-py fills some two
    hundred response callbacks for each: about 0.15 ms of CPU per operation, a quarter of a
    signed-in page served from the page cache. A redis-py client is safe to share (every
    command takes a connection from the pool), so one is made per pool and kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis cache behind a circuit breaker, with an in-process stand-in."""

    _circuits: dict[str, _Circuit] = {}
    _circuits_lock = threading.Lock()

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientCache
        self._options = {**DEFAULT_OPTIONS, **self._options}
        self._location = ",".join(self._servers)
        with self._circuits_lock:
            if self._location not in self._circuits:
                fallback_params = {
                    key: params[key]
                    for key in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
                    if key in params
                }
                fallback_params["OPTIONS"] = {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}
                self._circuits[self._location] = _Circuit(
                    fallback=LocMemCache(f"redis-stand-in:{self._location}", fallback_params)
                )
        self._circuit = self._circuits[self._location]

    @property
    def available(self) -> bool:
        """False while the circuit is open (Redis failed less than RETRY_AFTER seconds ago,
        or has not answered since). Asks Redis nothing."""
        return self._circuit.down_since is None

    def ping(self) -> bool:
        """Ask Redis now, whatever the circuit says (for /readyz); the answer opens or closes
        the circuit like any other call."""
        try:
            self._cache.get_client(write=True).ping()
        except RedisError as error:
            self._failed(error)
            return False
        self._answered()
        return True

    def _call(self, operation: str, *args, **kwargs):
        circuit = self._circuit
        if circuit.down_since is not None:
            with circuit.lock:
                now = time.monotonic()
                trying = now >= circuit.retry_at
                if trying:  # this call tries Redis; the others keep to the stand-in meanwhile
                    circuit.retry_at = now + RETRY_AFTER
            # The trial is a ping, so that whoever listens to cache_available_again (content
            # generations) acts before this call reads anything.
            if not trying or not self.ping():
                return getattr(circuit.fallback, operation)(*args, **kwargs)
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except RedisError as error:
            self._failed(error)
            return getattr(circuit.fallback, operation)(*args, **kwargs)

    def _failed(self, error: Exception) -> None:
        circuit = self._circuit
        with circuit.lock:
            now = time.monotonic()
            circuit.retry_at = now + RETRY_AFTER
            if circuit.down_since is not None:
                return
            circuit.down_since = now
            circuit.fallback.clear()
        logger.warning(
            "Shared cache %s unavailable (%s: %s). Serving pages without it; rate limits "
            "count in each process until it returns. Trying again every %g s.",
            self._safe_location(),
            type(error).__name__,
            error,
            RETRY_AFTER,
        )

    def _answered(self) -> None:
        circuit = self._circuit
        with circuit.lock:
            if circuit.down_since is None:
                return
            outage = time.monotonic() - circuit.down_since
            circuit.down_since = None
            circuit.fallback.clear()
        logger.warning(
            "Shared cache %s available again after %.0f s.", self._safe_location(), outage
        )
        cache_available_again.send(sender=type(self), cache=self)

    def _safe_location(self) -> str:
        """The servers without user names or passwords, for the log."""
        parts = []
        for server in self._servers:
            parsed = urlparse(server)
            parts.append(f"{parsed.scheme}://{parsed.hostname}:{parsed.port or 6379}{parsed.path}")
        return ",".join(parts)

    # Every operation of Django's cache API goes through the circuit. The others (get_or_set,
    # decr, the async variants…) are built on these.

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        return self._call("clear")


def shared_cache_available(cache) -> bool:
    """Whether `cache` is shared by every process right now: always for a cache without a
    circuit (the in-process cache of development and tests); for Redis, when a call through
    the circuit reaches it (the call tries Redis again when a retry is due)."""
    if not hasattr(cache, "available"):
        return True
    cache.has_key("availability-probe")
    return cache.available
