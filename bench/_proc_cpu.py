"""CPU time per component of a `make prod-local` copy during a load run (bench/load.py), read
from /proc: where the machine's CPU of the mix goes (web workers, PostgreSQL primary and
replica, task worker, scheduler, clamd, the S3 server, nginx, locust, everything else).

A component is a process and its descendants: the process groups the copy started (their ids
in ``<state>/run/*.pid``), PostgreSQL's postmasters (``<state>/pg/<which>/postmaster.pid``) and
clamd (``<state>/clamav/clamd.pid``). A process's CPU is its user and system time plus that of
its children it has reaped (so a PostgreSQL backend that exited during the run is counted in
its postmaster's). A process that started during the run counts from zero.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Proc:
    ppid: int
    cpu: float  # seconds: utime + stime + cutime + cstime


def _read(pid: int) -> Proc | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(") ", 1)[1].split()
    # fields[0] is the state (field 3 of proc(5)): ppid is field 4, utime..cstime 14..17.
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return Proc(ppid, (utime + stime + cutime + cstime) / TICKS)


def snapshot() -> dict[int, Proc]:
    procs = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            found = _read(int(entry))
            if found is not None:
                procs[int(entry)] = found
    return procs


def machine_busy() -> float:
    """Seconds of CPU the whole machine has spent busy (every core), from /proc/stat."""
    first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in first[:8])
    return (user + nice + system + irq + softirq + steal) / TICKS


def _pid_in(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


COMPONENTS = {
    "web1": "web",
    "web2": "web",
    "worker": "task worker",
    "scheduler": "scheduler",
    "s3": "S3 server",
    "smtp": "SMTP sink",
    "nginx-master": "nginx",
}


def roots(state: Path) -> dict[int, str]:
    """The copy's root processes and the component each stands for."""
    found = {}
    for pidfile, component in COMPONENTS.items():
        pid = _pid_in(state / "run" / f"{pidfile}.pid")
        if pid:
            found[pid] = component
    for which in ("primary", "replica"):
        pid = _pid_in(state / "pg" / which / "postmaster.pid")
        if pid:
            found[pid] = f"PostgreSQL {which}"
    pid = _pid_in(state / "clamav" / "clamd.pid")
    if pid:
        found[pid] = "clamd"
    return found


def component_of(pid: int, procs: dict[int, Proc], named: dict[int, str]) -> str | None:
    seen = 0
    while pid in procs and seen < 64:
        if pid in named:
            return named[pid]
        pid, seen = procs[pid].ppid, seen + 1
    return named.get(pid)


def per_component(before: dict[int, Proc], after: dict[int, Proc], named: dict[int, str]) -> dict[str, float]:
    """CPU seconds per component between two snapshots."""
    totals: dict[str, float] = {}
    for pid, proc in after.items():
        component = component_of(pid, after, named)
        if component is None:
            continue
        earlier = before.get(pid)
        spent = proc.cpu - (earlier.cpu if earlier and earlier.ppid == proc.ppid else 0.0)
        totals[component] = totals.get(component, 0.0) + max(spent, 0.0)
    return totals


class CpuMeter:
    """Start before the run, ``stop()`` after: CPU seconds per component, locust's (the run's
    children, from ``os.wait4``'s accounting), the machine's and the rest."""

    def __init__(self, state: Path | None, extra: dict[int, str] | None = None) -> None:
        self.state = state
        self.named = {**(roots(state) if state else {}), **(extra or {})}
        self.before = snapshot()
        self.busy = machine_busy()
        self.children = os.times()
        self.began = _now()
        self.began_wall = _wall()

    def stop(self) -> dict:
        after = snapshot()
        times = os.times()
        seconds = _now() - self.began
        components = per_component(self.before, after, self.named)
        locust = (times.children_user + times.children_system) - (
            self.children.children_user + self.children.children_system
        )
        components["locust"] = components.get("locust", 0.0) + locust
        busy = machine_busy() - self.busy
        components["everything else"] = max(busy - sum(components.values()), 0.0)
        return {"seconds": seconds, "busy": busy, "components": components}


def _now() -> float:
    return time.monotonic()


def _wall() -> float:
    return time.time()


def describe(cpu: dict, requests: int) -> str:
    """One paragraph: each component's CPU in cores and in milliseconds a request."""
    seconds = cpu["seconds"] or 1.0
    parts = [
        f"{name} {spent / seconds:.2f} ({spent * 1000 / max(requests, 1):.1f} ms)"
        for name, spent in sorted(cpu["components"].items(), key=lambda item: -item[1])
    ]
    return (
        f"CPU during the main run, in cores (and milliseconds of CPU per request of the mix): "
        f"the machine {cpu['busy'] / seconds:.2f} ({cpu['busy'] * 1000 / max(requests, 1):.1f} ms); "
        + ", ".join(parts)
        + "."
    )
