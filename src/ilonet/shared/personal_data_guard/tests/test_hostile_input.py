"""Bad input fails safely: whatever the bytes, the guard returns a report or raises one of its
ExtractionError subclasses (a clear, translated refusal), never another exception."""

import io
import random

import pytest

from ilonet.shared.personal_data_guard import ExtractionError, scan
from ilonet.shared.personal_data_guard.tests.corpus.render import Spec, render

FORMATS = ["pdf", "docx", "xlsx", "odt", "csv", "txt"]


def _sample(fmt: str) -> bytes:
    spec = Spec(
        name=f"s.{fmt}", fmt=fmt, lang="en", positive=True, kinds=(), where="", title="Report",
        paragraphs=["Arrivals rose.", "Contact jan@example.org"], table=(["A", "B"], [["1", "2"]]),
        header="Header", comment="Note",
    )  # fmt: skip
    return render(spec)


def _mutations(data: bytes, rnd: random.Random, count: int):
    for _ in range(count):
        buffer = bytearray(data)
        action = rnd.choice(["flip", "truncate", "splice", "zero"])
        if action == "flip":
            for _ in range(rnd.randint(1, 20)):
                buffer[rnd.randrange(len(buffer))] = rnd.randrange(256)
        elif action == "truncate":
            del buffer[rnd.randrange(1, len(buffer)) :]
        elif action == "splice":
            start = rnd.randrange(len(buffer))
            buffer[start:start] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 200)))
        else:
            start = rnd.randrange(len(buffer))
            buffer[start : start + rnd.randint(1, 500)] = b"\x00" * 10
        yield bytes(buffer)


@pytest.mark.parametrize("fmt", FORMATS)
def test_damaged_files_give_a_report_or_a_clear_refusal(fmt):
    rnd = random.Random(f"guard-{fmt}")  # noqa: S311  (seeded mutations, not secrets)
    for mutated in _mutations(_sample(fmt), rnd, 25):
        try:
            scan(io.BytesIO(mutated), fmt)
        except ExtractionError as error:
            assert error.message
