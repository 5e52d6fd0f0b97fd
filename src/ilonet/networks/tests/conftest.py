import pytest

from ilonet.directory import demo as directory_demo


@pytest.fixture(autouse=True)
def authorities(db):
    """National deploying authorities (``<ms>-auth``), as the demo and a real set-up have."""
    return directory_demo.ensure_authorities()
