"""Fixtures of the fault tests: one PostgreSQL cluster for the session on the faults' own port,
a template database migrated once (with the uploader of ``appdata``), and a fresh database
cloned from it for each test. Outside CI the tests skip when the PostgreSQL server binaries are
missing; in CI (``CI=true``) that is a failure."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from . import harness


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


@pytest.fixture(scope="session")
def cluster():
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) and not shutil.which("initdb"):
        # A failure, never a skip: `make test` installs them (system-deps).
        pytest.fail("PostgreSQL server binaries are missing (scripts/system-deps.sh installs them)")
    directory = Path(tempfile.mkdtemp(prefix="ilonet-faults-pg-"))
    os.chmod(directory, 0o755)  # noqa: S103 - the postgres user must reach its cluster
    found = harness.Cluster(directory)
    found.start()
    yield found
    found.destroy()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def template(cluster, tmp_path_factory):
    """The migrated template database and the id of the uploader's space."""
    cluster.create_database(harness.TEMPLATE)
    data = tmp_path_factory.mktemp("template-data")
    env = harness.app_env(cluster, harness.TEMPLATE, data)
    harness.manage(env, "migrate", "--noinput", "-v0")
    harness.manage(env, "createcachetable")
    out = harness.run_python(env, "from tests.faults.appdata import seed_uploader\nprint(seed_uploader())")
    return {"space": int(out.strip().splitlines()[-1]), "template_data": data}


@pytest.fixture
def app(cluster, template, tmp_path, request):
    """A fresh database cloned from the template and a data directory of its own."""
    name = "faults_" + request.node.name.lower()[:40].replace("[", "_").replace("]", "").replace("-", "_")
    cluster.create_database(name, template=harness.TEMPLATE)
    data = tmp_path / "data"
    shutil.copytree(template["template_data"], data)  # the key stores of the template's rows
    os.chmod(tmp_path, 0o755)  # noqa: S103 - and the data directory
    return {"database": name, "data": data, "env": harness.app_env(cluster, name, data), **template}
