from django.utils import translation

from ilonet.returns import diagrams


def test_the_committed_state_diagrams_are_generated_from_the_code():
    """Run ``manage.py returns_diagrams`` after changing a machine."""
    with translation.override("en"):
        assert diagrams.path().read_text(encoding="utf-8") == diagrams.render()
