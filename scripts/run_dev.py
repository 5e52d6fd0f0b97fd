"""`make run`: the web server, the worker and the scheduler together, stopped together.

Starts three processes, each in its own process group, their output prefixed with their name:

    web        manage.py runserver 127.0.0.1:<port>
    worker     manage.py db_worker            (runs the queued jobs)
    scheduler  manage.py run_scheduler        (enqueues the periodic jobs)

Ctrl-C (SIGINT) or SIGTERM stops all three (SIGTERM to each group: the worker finishes the job it
is running; anything still alive after 15 s is killed). If one of them stops by itself, the
others are stopped too and the exit code is the first one's. In production these are three
separate services (docs/architecture.md, "Background work").

Usage: python scripts/run_dev.py [--port 8000] [--no-reload]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRACE = 15.0


def commands(port: int, reload: bool) -> dict[str, list[str]]:
    manage = [sys.executable, str(ROOT / "manage.py")]
    return {
        "web": [*manage, "runserver", f"127.0.0.1:{port}", *([] if reload else ["--noreload"])],
        # -v 0: no line per task; failures still show (the jobs app logs them).
        "worker": [*manage, "db_worker", "--reload" if reload else "--no-reload", "-v", "0"],
        "scheduler": [*manage, "run_scheduler"],
    }


def _pump(name: str, stream, lock: threading.Lock) -> None:
    for line in iter(stream.readline, ""):
        with lock:
            sys.stdout.write(f"{name:<9} | {line}")
            sys.stdout.flush()
    stream.close()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def stop_all(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()
    for process in processes.values():  # what a reloader left behind in the group
        _signal_group(process, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-reload", action="store_true", help="no automatic restart on code changes")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    lock = threading.Lock()
    processes: dict[str, subprocess.Popen] = {}
    stopping = threading.Event()

    def _stop(signum, frame) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    for name, command in commands(args.port, not args.no_reload).items():
        processes[name] = subprocess.Popen(  # noqa: S603  (our own manage.py, fixed arguments)
            command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, process_group=0,
        )  # fmt: skip
        threading.Thread(target=_pump, args=(name, processes[name].stdout, lock), daemon=True).start()
    print(
        f"run_dev: web server (http://127.0.0.1:{args.port}), worker and scheduler started "
        f"(pids {', '.join(str(p.pid) for p in processes.values())}); Ctrl-C stops all three.",
        flush=True,
    )
    code = 0
    while not stopping.is_set():
        ended = [(name, p.returncode) for name, p in processes.items() if p.poll() is not None]
        if ended:
            name, code = ended[0]
            print(f"run_dev: {name} stopped (exit code {code}); stopping the others.", flush=True)
            break
        stopping.wait(0.5)
    stop_all(processes)
    print("run_dev: web server, worker and scheduler stopped.", flush=True)
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
