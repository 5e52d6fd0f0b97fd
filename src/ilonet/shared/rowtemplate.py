"""Row templates: the markup of one table row, in a template file, rendered for every row of a
page without the template language's cost per cell (issue 9, rendering cost).

A table of fifty rows and seven cells made the Django template engine resolve about 800
variables per page (each through dictionary, attribute and index lookups, filters, escaping and
a node per piece of text): about half of the registry page's time (cProfile). A row template is
compiled once into a list of text pieces and look-ups, then joined for each row.

The language of a row file is a strict subset of Django's, so the file reads as any template:

- ``{{ name }}``: the row's value for ``name`` (rows are dicts), else the variable ``name`` of
  the template that renders the rows (the translated column headers, read once); escaped as
  Django escapes (values marked safe stay as they are);
- ``{{ name|short_date }}`` and the other date filters of ``ilonet.shared.date_tags``;
- ``{% if name %}…{% else %}…{% endif %}`` (``{% if not name %}`` too), nested or not;
- ``{# comments #}``.

Anything else (``{% for %}``, ``{% translate %}``, dotted names, other filters) is a
``TemplateSyntaxError`` when the file is compiled: translate in the surrounding template and
pass the words in, or compute the value in the rows.

Use (a built-in tag, settings ``TEMPLATES``): ``{% render_rows "deployments/_deployment_row.html" rows %}``.
"""

import html
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django import template
from django.template import Engine, TemplateSyntaxError
from django.utils.safestring import SafeString, mark_safe

from . import date_tags

register = template.Library()

FILTERS: dict[str, Callable[[Any], str]] = {
    "short_date": date_tags.short_date,
    "long_date": date_tags.long_date,
    "short_datetime": date_tags.short_datetime,
    "long_datetime": date_tags.long_datetime,
}

TOKEN = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.DOTALL)
NAME = r"[A-Za-z_][A-Za-z0-9_]*"
VARIABLE = re.compile(rf"\{{\{{\s*({NAME})\s*(?:\|\s*({NAME})\s*)?\}}\}}")
IF = re.compile(rf"\{{%\s*if\s+(not\s+)?({NAME})\s*%\}}")


def _escape(value: Any) -> str:
    """Django's ``conditional_escape``: safe values as they are, None as "None", others escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


# A compiled template: a list of nodes, each a str (text), a tuple ("var", name, filter) or a
# tuple ("if", negated, name, then-nodes, else-nodes).
Node = Any


def compile_row(source: str, origin: str = "<row>") -> list[Node]:
    """Parse a row template into nodes; unknown syntax is refused."""
    stack: list[tuple[list[Node], list[Node] | None, tuple]] = []
    nodes: list[Node] = []
    for piece in TOKEN.split(source):
        if not piece or piece.startswith("{#"):
            continue
        if piece.startswith("{{"):
            match = VARIABLE.fullmatch(piece)
            if not match or (match.group(2) and match.group(2) not in FILTERS):
                raise TemplateSyntaxError(f"{origin}: a row template cannot render {piece!r}")
            nodes.append(("var", match.group(1), match.group(2)))
        elif piece.startswith("{%"):
            word = piece[2:-2].split()[0] if piece[2:-2].split() else ""
            if word == "if" and (match := IF.fullmatch(piece)):
                stack.append((nodes, None, (bool(match.group(1)), match.group(2))))
                nodes = []
            elif word == "else" and stack and stack[-1][1] is None:
                outer, _none, condition = stack.pop()
                stack.append((outer, nodes, condition))
                nodes = []
            elif word == "endif" and stack:
                outer, then, (negated, name) = stack.pop()
                then, otherwise = (nodes, []) if then is None else (then, nodes)
                node = ("if", negated, name, then, otherwise)
                nodes = outer
                nodes.append(node)
            else:
                raise TemplateSyntaxError(f"{origin}: a row template cannot use {piece!r}")
        else:
            nodes.append(piece)
    if stack:
        raise TemplateSyntaxError(f"{origin}: an {{% if %}} is not closed")
    return nodes


def _bind(nodes: list[Node], row_keys: set[str], context: Callable[[str], Any]) -> list[Any]:
    """Resolve once what does not change between rows: names of the surrounding template are
    looked up and escaped here; a row's names stay look-ups."""
    bound: list[Any] = []
    for node in nodes:
        if isinstance(node, str):
            bound.append(node)
        elif node[0] == "var":
            _kind, name, filter_name = node
            if name in row_keys:
                bound.append((name, FILTERS[filter_name] if filter_name else None))
            else:
                value = context(name)
                bound.append(_escape(FILTERS[filter_name](value) if filter_name else value))
        else:
            _kind, negated, name, then, otherwise = node
            then_bound, else_bound = _bind(then, row_keys, context), _bind(otherwise, row_keys, context)
            if name in row_keys:
                bound.append((negated, name, then_bound, else_bound))
            else:
                bound.extend(else_bound if bool(context(name)) == negated else then_bound)
    return bound


def _render(bound: list[Any], row: Mapping[str, Any], out: list[str]) -> None:
    for piece in bound:
        if isinstance(piece, str):
            out.append(piece)
        elif len(piece) == 2:
            name, apply = piece
            value = row[name]
            out.append(_escape(apply(value) if apply else value))
        else:
            negated, name, then, otherwise = piece
            _render(otherwise if bool(row[name]) == negated else then, row, out)


_compiled: dict[tuple[str, str], list[Node]] = {}


def row_template(name: str) -> list[Node]:
    """The compiled row template ``name`` (found by the template loaders; compiled again when
    its source changes)."""
    source = Engine.get_default().get_template(name).source
    key = (name, source)
    if key not in _compiled:
        if len(_compiled) > 200:
            _compiled.clear()
        _compiled[key] = compile_row(source, name)
    return _compiled[key]


def render_rows(name: str, rows: Iterable[Mapping[str, Any]], context: Callable[[str], Any]) -> SafeString:
    """Every row through the row template ``name``; ``context(name)`` gives the value of a name
    that is not a key of the rows."""
    rows = list(rows)
    if not rows:
        return mark_safe("")  # noqa: S308  (nothing)
    bound = _bind(row_template(name), set(rows[0]), context)
    out: list[str] = []
    for row in rows:
        _render(bound, row, out)
    return mark_safe("".join(out))  # noqa: S308  (text of the template, values escaped above)


@register.simple_tag(takes_context=True, name="render_rows")
def render_rows_tag(context: template.Context, name: str, rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """``{% render_rows "app/_row.html" rows %}``: the rows through a row template, the other
    names it uses read from this template's context."""
    return render_rows(name, rows, lambda key: context.get(key, ""))
