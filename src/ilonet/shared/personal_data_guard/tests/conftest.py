import logging

import pytest

from ilonet.shared.personal_data_guard.tests.corpus.build import build


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """The labelled corpus, written once per test session: (folder, labels)."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    folder = tmp_path_factory.mktemp("guard-corpus")
    return folder, build(folder)
