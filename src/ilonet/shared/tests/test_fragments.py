"""Frozen parts of templates (``{% frozen %}``, ilonet.shared.fragments, issue 9): rendered
once per language and values, they give the HTML the template gives without them, refuse to
depend on what they are not given, and the pages that use them are byte for byte the pages
rendered without them (English and Dutch, signed in with and without unread notifications,
signed out)."""

import re

import pytest
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from ilonet.shared import fragments

ENGINE = Engine(builtins=["ilonet.shared.fragments"], libraries={"i18n": "django.templatetags.i18n"})


def render(source: str, **values) -> str:
    return ENGINE.from_string(source).render(Context(values))


@pytest.fixture(autouse=True)
def _fresh():
    fragments.forget()
    yield
    fragments.forget()


def test_a_part_renders_what_its_content_renders():
    source = "<p>{% frozen name %}Hello {{ name }} &amp; {{ name|upper }}{% endfrozen %}</p>"
    assert render(source, name="<b>Ann</b>") == render(source.replace("{% frozen name %}", "").replace(
        "{% endfrozen %}", ""), name="<b>Ann</b>")  # fmt: skip
    assert "&lt;b&gt;Ann&lt;/b&gt;" in render(source, name="<b>Ann</b>")


def test_a_part_is_rendered_once_per_value_and_kept():
    template = ENGINE.from_string("{% frozen n %}{{ n }}:{% now 'u' %}{% endfrozen %}")
    first = template.render(Context({"n": 1}))
    assert template.render(Context({"n": 1})) == first  # the same text, not rendered again
    assert template.render(Context({"n": 2})).startswith("2:")


def test_safe_text_and_plain_text_are_different_keys():
    source = "{% frozen v %}{{ v }}{% endfrozen %}"
    template = ENGINE.from_string(source)
    assert template.render(Context({"v": "<i>"})) == "&lt;i&gt;"
    assert template.render(Context({"v": mark_safe("<i>")})) == "<i>"  # noqa: S308
    assert template.render(Context({"v": "<i>"})) == "&lt;i&gt;"


def test_a_named_expression_is_a_value_of_the_part():
    assert render("{% frozen x=items|length %}{{ x }}{% endfrozen %}", items=[1, 2, 3]) == "3"


def test_a_part_is_kept_per_language():
    template = ENGINE.from_string('{% load i18n %}{% frozen %}{% translate "Search" %}{% endfrozen %}')
    with translation.override("en"):
        assert template.render(Context()) == "Search"
    with translation.override("nl"):
        assert template.render(Context()) == "Zoeken"
    with translation.override("en"):
        assert template.render(Context()) == "Search"


def test_two_parts_of_two_templates_never_share_their_text():
    assert render("{% frozen %}one{% endfrozen %}") == "one"
    assert render("{% frozen %}two{% endfrozen %}") == "two"


@pytest.mark.parametrize(
    "source",
    [
        "{% frozen %}{{ user }}{% endfrozen %}",
        "{% frozen a %}{{ a }}{{ b }}{% endfrozen %}",
        "{% frozen %}{% if request %}x{% endif %}{% endfrozen %}",
    ],
)
def test_a_part_that_reads_a_name_it_is_not_given_is_refused(source):
    with pytest.raises(TemplateSyntaxError, match="not given"):
        render(source, user="Ann", a=1, b=2, request=object())


@pytest.mark.parametrize(
    "source",
    [
        "{% frozen %}{% csrf_token %}{% endfrozen %}",
        "{% frozen %}{% block x %}{% endblock %}{% endfrozen %}",
        "{% frozen %}{% if a %}{% csrf_token %}{% endif %}{% endfrozen %}",
        "{% frozen a.b %}{% endfrozen %}",
        "{% frozen %}open",
    ],
)
def test_what_a_part_cannot_hold_is_refused_when_parsed(source):
    with pytest.raises(TemplateSyntaxError):
        ENGINE.from_string(source)


def test_a_part_depends_only_on_plain_values():
    class Thing:
        pass

    with pytest.raises(TemplateSyntaxError, match="plain value"):
        render("{% frozen thing %}x{% endfrozen %}", thing=Thing())
    nested = {"items": [{"label": "a", "active": True}, ("b", None, 1.5)]}
    assert render("{% frozen nested %}x{% endfrozen %}", nested=nested) == "x"


def test_with_debug_a_part_is_rendered_every_time(settings):
    settings.DEBUG = True
    template = ENGINE.from_string("{% frozen %}{{ n }}{% endfrozen %}")
    with pytest.raises(TemplateSyntaxError):
        template.render(Context({"n": 1}))  # still sealed
    template = ENGINE.from_string("{% frozen n %}{{ n }}{% endfrozen %}")
    assert template.render(Context({"n": 1})) == "1"
    fragments._parts.clear()
    assert template.render(Context({"n": 2})) == "2"
    assert not fragments._parts


def test_a_changed_setting_forgets_the_parts(settings):
    render("{% frozen %}x{% endfrozen %}")
    assert fragments._parts
    settings.STATIC_URL = "/other-static/"
    assert not fragments._parts


# --- the pages: byte for byte what the templates give without frozen parts -------------------

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|<meta name="csrf-token" content=")[^"]*"')


def _unfrozen(self, context):
    """The part rendered in place, its named values bound as ``{% with %}`` binds them."""
    with context.push(**{name: expression.resolve(context) for name, expression in self.values}):
        return self.nodelist.render(context)


def _both(client, path: str, monkeypatch) -> tuple[str, str]:
    """The page with its frozen parts (twice: filled, then from memory) and rendered in place."""
    frozen_first = client.get(path, secure=True)
    frozen = client.get(path, secure=True)
    assert frozen.status_code == 200, path
    with monkeypatch.context() as patch:
        patch.setattr(fragments.FrozenNode, "render", _unfrozen)
        plain = client.get(path, secure=True)
    texts = [CSRF.sub(r"\1…", r.content.decode()) for r in (frozen_first, frozen, plain)]
    assert texts[0] == texts[1], path
    return texts[1], texts[2]


def _unread(user, n: int) -> None:
    from ilonet.notifications.models import Notification

    Notification.objects.bulk_create(
        Notification(recipient=user, kind="test", key=f"k{i}", created_at=timezone.now()) for i in range(n)
    )


LIST_PAGES = ["/", "/deployments/", "/deployments/contacts/", "/networks/", "/deployments/gaps/"]


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("unread", [0, 3, 120])
def test_the_list_pages_are_the_pages_without_frozen_parts(
    make_user, login, client, monkeypatch, language, unread
):
    from ilonet.deployments.tests.helpers import deploy, desk, officer
    from ilonet.directory import demo as directory_demo

    directory_demo.ensure_authorities()
    reader = make_user("secretariat", organisation="com")
    deploy(desk(make_user), officer(make_user, first_name="Ann", last_name="<O'Neil>"))
    _unread(reader, unread)
    client = login(reader)
    client.cookies["django_language"] = language
    for path in LIST_PAGES:
        frozen, plain = _both(client, path, monkeypatch)
        assert frozen == plain, path
        assert f'<html lang="{language}"' in frozen


def test_a_page_signed_out_is_the_page_without_frozen_parts(client, monkeypatch, db):
    frozen, plain = _both(client, "/accounts/login/", monkeypatch)
    assert frozen == plain


def test_the_menu_follows_the_roles_of_each_user(make_user, login, client):
    officer_page = login(make_user("ilo")).get("/deployments/", secure=True).content.decode()
    client.logout()
    admin_page = login(make_user("platform_admin", organisation="com")).get("/", secure=True).content.decode()
    assert "/audit/" in admin_page and "/audit/" not in officer_page
