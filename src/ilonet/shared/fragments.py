"""``{% frozen %}…{% endfrozen %}``: a part of a template that is the same on every request
(for a language and the values it names), rendered once per process and then reused (a
built-in tag, settings ``TEMPLATES``; issue 9, rendering cost).

The layout of every page (``base.html``) draws its head, its header, its menu and its footer
with about a hundred tags (static URLs, translations, URL reversals, icons, a loop over the
menu) whose output changes only with the language: the pages paid for it on every request, the
bare signed-in view nothing. A frozen part is rendered the first time from the template itself,
so the markup stays in the template and the HTML stays the same; later requests reuse the text.

- ``{% frozen %}`` depends on nothing but the active language (and the URL configuration and
  script prefix, for ``{% url %}``).
- ``{% frozen current may_view %}`` also on the values of those variables, and
  ``{% frozen unread=notifications_unread %}`` on an expression under a name: the part sees
  these names, and only these. Values must be plain (None, booleans, numbers, text, lists,
  tuples and dicts of them); anything else (a model instance, a form) is an error, since a
  part kept for one object would be shown for another.

The part is rendered in a context that holds only those names: a part that reads any other
variable (``request``, ``user``, a ``{% csrf_token %}``) is an error when it is first rendered
(``TemplateSyntaxError``), not a value of one request shown to the next. It cannot hold a
``{% block %}`` (a child template's block would be frozen as the first child's) nor a
``{% csrf_token %}``. Variables it sets (``{% translate … as x %}``) do not leave it.

The parts are kept in memory, at most ``LIMIT`` of them; forgotten whenever a setting changes
(tests) and never kept with ``DEBUG`` (so template edits show).
"""

from collections import OrderedDict
from itertools import count
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template import Context, TemplateSyntaxError
from django.template.base import FilterExpression, Node, NodeList
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode, ExtendsNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.functional import Promise
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

LIMIT = 4096
_parts: "OrderedDict[tuple, SafeString]" = OrderedDict()
_serial = count(1)  # one number per parsed part: two templates' parts never share a key

_SCALARS = frozenset({type(None), bool, int, float})


def _plain(value: Any, name: str) -> Any:
    """``value`` as a key: equal keys render the same (safe text is told from plain text)."""
    kind = type(value)
    if kind is str:
        return value
    if kind in _SCALARS:
        return (kind, value)
    if isinstance(value, str):
        return (isinstance(value, SafeData), str(value))
    if isinstance(value, Promise):  # a lazy translation: its text in the active language
        return (False, str(value))
    if isinstance(value, list | tuple):
        return tuple([_plain(item, name) for item in value])
    if isinstance(value, dict):
        return ("dict", tuple([(key, _plain(item, name)) for key, item in value.items()]))
    raise TemplateSyntaxError(
        f"{{% frozen %}}: {name} is a {type(value).__name__}, not a plain value a part may depend on"
    )


class _Sealed(Context):
    """A context that notes the names a part reads without being given them."""

    def __init__(self, values: dict, outer: Context) -> None:
        super().__init__(values, autoescape=outer.autoescape, use_l10n=outer.use_l10n, use_tz=outer.use_tz)
        self.template = outer.template
        self.template_name = outer.template_name
        self.missing: set[str] = set()

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except KeyError:
            self.missing.add(key)
            raise

    def get(self, key, otherwise=None):
        for d in reversed(self.dicts):
            if key in d:
                return d[key]
        self.missing.add(key)
        return otherwise


class FrozenNode(Node):
    def __init__(self, nodelist: NodeList, values: list[tuple[str, FilterExpression]], where: tuple) -> None:
        self.nodelist = nodelist
        self.values = values
        self.where = where

    def render(self, context: Context) -> str:
        values = {name: expression.resolve(context) for name, expression in self.values}
        if settings.DEBUG:
            return self._render(values, context)
        key = (
            self.where,
            get_language(),
            get_script_prefix(),
            get_urlconf(),
            context.autoescape,
            tuple(_plain(value, name) for name, value in values.items()),
        )
        part = _parts.get(key)
        if part is None:
            part = self._render(values, context)
            _parts[key] = part
            while len(_parts) > LIMIT:
                _parts.popitem(last=False)
        return part

    def _render(self, values: dict, outer: Context) -> SafeString:
        sealed = _Sealed(values, outer)
        text = self.nodelist.render(sealed)
        if sealed.missing:
            names = ", ".join(sorted(sealed.missing))
            raise TemplateSyntaxError(
                f"{{% frozen %}} at {self.where[0]}: the part reads {names}, which it is not given"
            )
        return mark_safe(text)  # noqa: S308  (the template's own output, escaped as it renders)


@register.tag("frozen")
def frozen(parser, token) -> FrozenNode:
    """``{% frozen [name | name=expression] … %}…{% endfrozen %}``"""
    values: list[tuple[str, FilterExpression]] = []
    for bit in token.split_contents()[1:]:
        name, equals, expression = bit.partition("=")
        if not name.isidentifier():
            raise TemplateSyntaxError(f"{{% frozen %}}: {bit!r} is not a name or name=expression")
        values.append((name, parser.compile_filter(expression if equals else name)))
    nodelist = parser.parse(("endfrozen",))
    parser.delete_first_token()
    for forbidden, why in (
        (BlockNode, "a {% block %} (a child template's block would be frozen)"),
        (ExtendsNode, "an {% extends %}"),
        (CsrfTokenNode, "a {% csrf_token %} (one per request)"),
    ):
        if nodelist.get_nodes_by_type(forbidden):
            raise TemplateSyntaxError(f"{{% frozen %}} cannot hold {why}")
    origin = getattr(parser, "origin", None)
    where = (getattr(origin, "name", None) or "<string>", token.position, next(_serial))
    return FrozenNode(nodelist, values, where)


def forget() -> None:
    """Forget every rendered part (a setting changed: static URLs, languages, …)."""
    _parts.clear()


def _on_setting_changed(**_kwargs: Any) -> None:
    forget()


setting_changed.connect(_on_setting_changed, dispatch_uid="ilonet.shared.fragments")
