"""Each indicator on small hand-checked data: a zero case, a quarter boundary, years."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ilonet.indicators import compute, selectors, services
from ilonet.indicators.eurostat.load import load_stream
from ilonet.indicators.models import CapabilityEntry, IndicatorFigure, Target

from .samples import BASE_DIMS, tsv

pytestmark = pytest.mark.django_db
Q_DIMS = "freq,citizen,c_dest,age,sex,unit,geo"


def _value(indicator, period, geo="AT", citizen="TOTAL"):
    return IndicatorFigure.objects.get(indicator=indicator, period=period, geo=geo, citizen=citizen).value


def test_return_rate_per_year_per_citizenship_and_zero_orders_give_no_rate():
    load_stream(
        tsv(
            BASE_DIMS,
            ["2022", "2023"],
            [
                ("A,TOTAL,TOTAL,T,PER,AT", ["400", "0"]),
                ("A,MA,TOTAL,T,PER,AT", ["100", "50"]),
            ],
        ),
        dataset="migr_eiord",
    )
    load_stream(
        tsv(
            BASE_DIMS,
            ["2022", "2023"],
            [
                ("A,TOTAL,TOTAL,T,PER,AT", ["100", "0"]),
                ("A,MA,TOTAL,T,PER,AT", ["0", "60"]),
            ],
        ),
        dataset="migr_eirtn",
    )
    assert _value("return_rate", "2022") == 25.0
    assert _value("return_rate", "2022", citizen="MA") == 0.0  # nobody returned: zero, not missing
    assert _value("return_rate", "2023") is None  # nobody ordered to leave: no rate
    # returned in 2023 may have been ordered to leave in 2022: the rate can pass 100 %
    assert _value("return_rate", "2023", citizen="MA") == 120.0


def test_effective_return_rate_counts_third_countries_only_and_a_year_needs_its_four_quarters():
    periods = ["2022-Q4", "2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]
    load_stream(
        tsv(BASE_DIMS, periods, [("Q,TOTAL,TOTAL,T,PER,AT", ["10", "100", "100", "100", "100"])]),
        dataset="migr_eiord1",
    )
    load_stream(
        tsv(
            Q_DIMS,
            periods,
            [
                ("Q,TOTAL,TOTAL,TOTAL,T,PER,AT", ["10", "50", "50", "50", "50"]),
                ("Q,TOTAL,THRD,TOTAL,T,PER,AT", ["5", "40", "30", "20", "10"]),
            ],
        ),
        dataset="migr_eirtn1",
    )
    assert _value("effective_return_rate", "2022-Q4") == 50.0  # the quarter before the boundary
    assert _value("effective_return_rate", "2023-Q1") == 40.0  # the quarter after it
    assert _value("return_rate", "2023-Q1") == 50.0  # all destinations
    assert _value("effective_return_rate", "2023") == 25.0  # (40+30+20+10) / 400
    assert not IndicatorFigure.objects.filter(indicator="effective_return_rate", period="2022").exists()


def test_voluntary_share_and_its_zero_case():
    dims = "freq,citizen,ret_type,c_dest,age,sex,unit,geo"
    load_stream(
        tsv(
            dims,
            ["2023"],
            [
                ("A,TOTAL,TOTAL,TOTAL,TOTAL,T,PER,AT", ["80"]),
                ("A,TOTAL,VOL,TOTAL,TOTAL,T,PER,AT", ["20 e"]),
                ("A,TOTAL,TOTAL,TOTAL,TOTAL,T,PER,BE", ["10"]),
                ("A,TOTAL,VOL,TOTAL,TOTAL,T,PER,BE", ["0"]),
            ],
        ),
        dataset="migr_eirt_vol",
    )
    figure = IndicatorFigure.objects.get(indicator="voluntary_share", geo="AT")
    assert (figure.value, figure.flags) == (25.0, "e")  # the flag travels with the figure
    assert _value("voluntary_share", "2023", geo="BE") == 0.0


def test_orders_per_negative_asylum_decision():
    load_stream(tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["300"])]), dataset="migr_eiord")
    dims = "freq,citizen,sex,age,decision,unit,geo"
    load_stream(tsv(dims, ["2023"], [("A,TOTAL,T,TOTAL,REJECTED,PER,AT", ["200"])]), dataset="migr_asydcfsta")
    assert _value("orders_per_negative_asylum", "2023") == 1.5


def _entry(country, capability, day, has=True):
    return CapabilityEntry.objects.create(country=country, capability=capability, effective_from=day, has=has)


def test_register_counts_on_the_last_day_of_each_quarter():
    _entry("NL", "case_management_it", date(2023, 3, 31))  # last day of Q1: counts in Q1
    _entry("BE", "case_management_it", date(2023, 4, 1))  # first day of Q2: not in Q1
    _entry("BE", "case_management_it", date(2024, 2, 1), has=False)  # removed in 2024
    compute.rebuild_register(date(2024, 6, 30))
    assert _value("ms_case_management_it", "2023-Q1", geo="EU27_2020") == 1
    assert _value("ms_case_management_it", "2023-Q2", geo="EU27_2020") == 2
    assert _value("ms_case_management_it", "2023", geo="EU27_2020") == 2
    assert _value("ms_case_management_it", "2024", geo="EU27_2020") == 1  # measured on the day of the rebuild
    assert _value("ms_case_management_it", "2023-Q1", geo="BE") == 0
    assert _value("ms_return_counselling", "2023", geo="EU27_2020") == 0  # the zero case


def test_frontex_services_need_a_service_and_return_operations():
    _entry("NL", "frontex_pre_return", date(2023, 1, 10))
    _entry("BE", "frontex_post_return", date(2023, 1, 10))
    _entry("BE", "return_operations", date(2023, 1, 10))
    _entry("DE", "return_operations", date(2023, 1, 10))
    assert selectors.register_count("ms_frontex_services", on=date(2023, 3, 31)) == 1  # only BE has both
    assert selectors.register_count("ms_frontex_services", on=date(2022, 12, 31)) == 0


def test_third_countries_covered_by_joint_reintegration_services():
    _entry("MA", "jrs_covered", date(2022, 12, 31))
    _entry("NG", "jrs_covered", date(2023, 1, 1))
    compute.rebuild_register(date(2023, 3, 31))
    assert _value("tc_jrs_covered", "2022", geo="EU27_2020") == 1
    assert _value("tc_jrs_covered", "2023-Q1", geo="EU27_2020") == 2


def test_a_capability_dated_in_the_future_is_refused(make_user):
    coordinator = make_user("return_coordinator", organisation="com")
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be dated in the future"):
        services.record_capability(
            actor=coordinator,
            country="NL",
            capability="case_management_it",
            has=True,
            effective_from=tomorrow,
        )
    with pytest.raises(ValidationError, match="not an EU member state"):
        services.record_capability(
            actor=coordinator,
            country="MA",
            capability="case_management_it",
            has=True,
            effective_from=date(2023, 1, 1),
        )
    assert not CapabilityEntry.objects.exists()


def test_a_return_officer_records_only_their_own_member_state(make_user):
    from django.core.exceptions import PermissionDenied

    officer = make_user("return_officer", organisation="nl", scope="nl")
    services.record_capability(
        actor=officer,
        country="NL",
        capability="return_counselling",
        has=True,
        effective_from=date(2023, 1, 1),
    )
    with pytest.raises(PermissionDenied):
        services.record_capability(
            actor=officer,
            country="BE",
            capability="return_counselling",
            has=True,
            effective_from=date(2023, 1, 1),
        )
    assert selectors.register_count("ms_return_counselling", on=date(2023, 1, 1)) == 1


def test_target_on_track_behind_met_and_missed():
    _entry("MA", "jrs_covered", date(2022, 1, 1))
    _entry("NG", "jrs_covered", date(2023, 1, 1))
    target = Target.objects.create(
        code="t",
        indicator="tc_jrs_covered",
        baseline=1,
        baseline_date=date(2022, 1, 1),
        target=3,
        deadline=date(2024, 1, 1),
    )
    assert selectors.target_status(target, today=date(2023, 1, 1)).status == "on_track"  # 2 >= 2
    assert selectors.target_status(target, today=date(2023, 12, 1)).status == "behind"
    assert selectors.target_status(target, today=date(2024, 2, 1)).status == "missed"
    _entry("GE", "jrs_covered", date(2023, 12, 31))
    assert selectors.target_status(target, today=date(2024, 2, 1)).status == "met"


def test_priority_countries_must_be_third_countries_and_once_a_quarter(make_user):
    coordinator = make_user("return_coordinator", organisation="com")
    with pytest.raises(ValidationError, match="EU member state"):
        services.set_priority(actor=coordinator, year=2026, quarter=1, country="NL", grounds=["council"])
    with pytest.raises(ValidationError, match="not a country code"):
        services.set_priority(actor=coordinator, year=2026, quarter=1, country="QQ", grounds=["council"])
    services.set_priority(actor=coordinator, year=2026, quarter=1, country="MA", grounds=["visa_free"])
    with pytest.raises(ValidationError, match="already a priority"):
        services.set_priority(actor=coordinator, year=2026, quarter=1, country="MA", grounds=["council"])


def test_obstacles_hold_no_personal_data_and_are_audited(make_user):
    from ilonet.audit.models import AuditEvent

    officer = make_user("return_officer", organisation="nl", scope="nl")
    with pytest.raises(ValidationError, match="personal data"):
        services.report_obstacle(
            actor=officer,
            member_state="NL",
            title="Contact",
            description="Write to jan.jansen@example.nl about it.",
        )
    obstacle = services.report_obstacle(
        actor=officer,
        member_state="NL",
        third_country="MA",
        title="Slow answers",
        description="Answers take 90 days.",
    )
    assert AuditEvent.objects.filter(
        action="indicators.obstacle_reported", object_id=str(obstacle.pk)
    ).exists()
    coordinator = make_user("return_coordinator", organisation="com")
    with pytest.raises(ValidationError, match="resolved"):
        services.update_obstacle(actor=coordinator, obstacle=obstacle, status="resolved")
    services.update_obstacle(
        actor=coordinator, obstacle=obstacle, status="resolved", resolution="Agreed a channel."
    )
    assert list(selectors.obstacles(user=make_user("return_officer", organisation="be", scope="be"))) == []
