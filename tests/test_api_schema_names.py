"""The OpenAPI document names each response and request schema by its class name: two schemas of
the same name in two apps would silently share one component, and one app's answers would be
checked (and documented) against the other's shape. Every schema class of the API has a name of
its own."""

from collections import defaultdict

from ninja import Schema

from ilonet.site.api import api


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_every_api_schema_class_has_a_name_of_its_own():
    api.get_openapi_schema()  # every router is mounted and every schema class imported
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("ilonet."):
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: sorted(places) for name, places in by_name.items() if len(places) > 1}
    assert not shared, shared
