"""``make bench`` runs every benchmark of bench/, found by itself (issue 9): a new module with a
``__main__`` block is run without an edit to bench/run.py; helpers say they are not benchmarks."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_module():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_new_benchmark_is_found_with_its_declared_arguments(tmp_path):
    (tmp_path / "new_one.py").write_text(
        'BENCH_RUN = {"quick": ["--rows", "10"], "database": False}\n'
        'if __name__ == "__main__":\n    print("--write-docs")\n'
    )
    (tmp_path / "plain.py").write_text('if __name__ == "__main__":\n    pass\n')
    (tmp_path / "helper.py").write_text('BENCH_RUN = None\nif __name__ == "__main__":\n    pass\n')
    (tmp_path / "settings_like.py").write_text("ROOT_URLCONF = 'x'\n")
    found = _run_module().discover(tmp_path)
    assert set(found) == {"new_one.py", "plain.py"}
    assert found["new_one.py"]["quick"] == ["--rows", "10"]
    assert found["new_one.py"]["database"] is False and found["new_one.py"]["write_docs"] is True
    assert found["plain.py"]["full"] == [] and found["plain.py"]["write_docs"] is False


def test_every_benchmark_of_the_repository_is_run():
    found = _run_module().discover()
    assert {"deployments.py", "paging.py", "http_bench.py", "audit_trail.py"} <= set(found)
    assert not {"presidio_runner.py", "locustfile.py", "http_urls.py", "http_settings.py"} & set(found)
