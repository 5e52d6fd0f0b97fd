from django.template import engines

from ilonet.shared.icon_tags import _icon

CASES = [
    'name="close" size="s"',
    'name="close"',
    'name="corner-arrow" size="xs" transform="rotate-90" extra_classes="ecl-link__icon"',
    'name="error" size="l" extra_classes="ecl-notification__icon" title=title',
]


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_the_icon_tag_draws_what_the_icon_include_draws():
    _icon.cache_clear()
    for arguments in CASES:
        for title in ("Error", 'A "quoted" <title> & more'):
            included = _render(f'{{% include "includes/icon.html" with {arguments} only %}}', title=title)
            tagged = _render(f"{{% icon {arguments} %}}", title=title)
            assert tagged == included, arguments
            assert _render(f"{{% icon {arguments} %}}", title=title) == included  # from the cache


def test_an_icon_title_is_escaped():
    drawn = _render('{% icon name="error" title=title %}', title='<b onclick="x">')
    assert 'aria-label="&lt;b onclick=&quot;x&quot;&gt;"' in drawn
