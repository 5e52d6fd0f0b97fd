"""Two member states taking the same last seat at the same instant: exactly one wins (RS 1).
Real threads, each with its own database connection; on PostgreSQL the flight's row lock
(``select_for_update``) makes the second wait and then find no seat, on SQLite the single
writer serialises them. Run on both: ``DATABASE_URL=postgres://… pytest`` for PostgreSQL."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from ilonet.cooperation.models import CharterFlight, SeatRequest
from ilonet.cooperation.services import flights
from ilonet.directory.services import ensure_reference_organisations

from .conftest import make_flight


@pytest.fixture
def reference(transactional_db):
    """Transactional tests start from a flushed database: load the reference organisations."""
    ensure_reference_organisations()


def _concurrently(calls):
    barrier = threading.Barrier(len(calls))
    results: list[str | None] = [None] * len(calls)

    def run(index, fn):
        try:
            barrier.wait(timeout=10)
            fn()
            results[index] = "won"
        except ValidationError:
            results[index] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_states_taking_the_last_seat_at_once_exactly_one_wins(reference, officer):
    organiser, de, be = officer("nl"), officer("de"), officer("be")
    for round_ in range(5):  # several races, not one lucky interleaving
        flight = make_flight(organiser, seats=1, third_country=("GE", "MA", "TN", "AL", "SN")[round_])
        results = _concurrently(
            [
                lambda f=flight: flights.take_seats(actor=de, flight=f, member_state="DE", seats=1),
                lambda f=flight: flights.take_seats(actor=be, flight=f, member_state="BE", seats=1),
            ]
        )
        assert sorted(results) == ["refused", "won"], results
        assert CharterFlight.objects.get(pk=flight.pk).allocated == 1
        assert sum(SeatRequest.objects.filter(flight=flight).values_list("allocated", flat=True)) == 1
