"""docs/returns-state-machines.md, written from the machines in the code (``manage.py
returns_diagrams``); a test fails when the committed file differs."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from .machine import INFO, MACHINES, STAGES, diagram

TITLES = {
    "voluntary": "Assisted voluntary return",
    "enforced": "Enforced return",
    "own_means": "Departure by own means",
}


def path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "returns-state-machines.md"


def render() -> str:
    parts = [
        "# Return cases: the state machines",
        "",
        "Generated from `src/ilonet/returns/machine.py` by `manage.py returns_diagrams`; do not edit by hand",
        "(`src/ilonet/returns/tests/test_diagrams.py` fails when this file is stale). Stage and status are",
        "derived from the timeline (RS 2(a), RS 2(c)); see [returns.md](returns.md).",
        "",
        "Kinds allowed in every open state without moving it (left out of the diagrams): "
        + ", ".join(f"`{k}`" for k in sorted(INFO))
        + ". Every open state may be closed (`case_closed`); nothing follows a closed case.",
        "",
    ]
    for case_type, machine in MACHINES.items():
        parts += [f"## {TITLES[case_type]} (`{case_type}`)", ""]
        parts += [
            "| state | stage | base status |",
            "|---|---|---|",
            *[f"| `{s.name}` | {STAGES[s.stage]} | `{s.status}` |" for s in machine.states],
            "",
        ]
        parts += ["```mermaid", diagram(machine), "```", ""]
    return "\n".join(parts)
