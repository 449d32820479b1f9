"""Values kept per worker (platform_site.process_cache): readers' values never push out the
ones every request needs, and nothing outlives a request while the shared cache is away."""

from types import SimpleNamespace

import pytest
from django.core.signals import request_finished, request_started

from platform_site import process_cache
from platform_site.cache import bump_content_generation
from platform_site.process_cache import GROUP_SIZE, process_cached


@pytest.fixture(autouse=True)
def empty():
    process_cache.forget_all()
    yield
    process_cache.forget_all()


def counting():
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    return computed, compute


def test_many_readers_values_never_push_out_the_shared_ones():
    computed, compute = counting()
    process_cached("index", ("members",), compute)
    for n in range(GROUP_SIZE * 20):  # a reader per member, say
        process_cached(f"rows-{n}", ("members",), lambda n=n: n, group="rows")
    assert process_cached("index", ("members",), compute) == 1 and len(computed) == 1
    assert len(process_cache._groups["rows"]) == GROUP_SIZE


def test_the_least_recently_used_reader_goes_first():
    for n in range(GROUP_SIZE):
        process_cached(f"rows-{n}", ("members",), lambda n=n: n, group="rows")
    process_cached("rows-0", ("members",), lambda: "again", group="rows")  # used: kept
    process_cached("rows-new", ("members",), lambda: "new", group="rows")
    assert "rows-0" in process_cache._groups["rows"]
    assert "rows-1" not in process_cache._groups["rows"]


def test_a_change_renews_a_kept_value():
    computed, compute = counting()
    assert process_cached("index", ("members",), compute) == 1
    assert process_cached("index", ("members",), compute) == 1
    bump_content_generation("members")
    assert process_cached("index", ("members",), compute) == 2


@pytest.mark.django_db
def test_while_the_shared_cache_is_away_a_value_lives_for_one_request(monkeypatch):
    monkeypatch.setattr(process_cache, "cache", SimpleNamespace(available=False))
    computed, compute = counting()
    request_started.send(sender=None)
    try:
        assert process_cached("index", ("members",), compute) == 1
        assert process_cached("index", ("members",), compute) == 1  # once per request
        bump_content_generation("members")  # this request changed content
        assert process_cached("index", ("members",), compute) == 2
    finally:
        request_finished.send(sender=None)
    request_started.send(sender=None)
    try:
        assert process_cached("index", ("members",), compute) == 3  # the next request
    finally:
        request_finished.send(sender=None)
    assert process_cached("index", ("members",), compute) == 4  # outside a request: every time
