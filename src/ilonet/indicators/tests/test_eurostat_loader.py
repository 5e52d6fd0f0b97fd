"""The Eurostat loaders: every layout, all or nothing, idempotent, problems with line and column."""

import pytest

from ilonet.indicators.eurostat.load import load_stream
from ilonet.indicators.eurostat.parse import FileRefused
from ilonet.indicators.models import EurostatLoad, EurostatObservation, IndicatorFigure

from .samples import BASE_DIMS, sdmx1, sdmx2, tsv

pytestmark = pytest.mark.django_db
DIMS = BASE_DIMS.split(",")


def _obs(**kw):
    return EurostatObservation.objects.get(**kw)


def test_tsv_values_flags_and_not_available_are_read():
    f = tsv(
        BASE_DIMS,
        ["2022", "2023"],
        [
            ("A,TOTAL,TOTAL,T,PER,AT", ["1200", "1300 p"]),
            ("A,AF,TOTAL,T,PER,AT", [":", ": c"]),
            ("A,TOTAL,TOTAL,T,PER,EU27_2020", ["40000 e", "41000 bep"]),
        ],
    )
    result = load_stream(f, dataset="migr_eirtn", file_name="estat_migr_eirtn.tsv")
    assert result.created and result.load.file_format == "tsv" and result.load.observations == 6
    assert _obs(geo="AT", citizen="TOTAL", period="2023").value == 1300
    assert _obs(geo="AT", citizen="TOTAL", period="2023").flags == "p"
    na = _obs(geo="AT", citizen="AF", period="2023")
    assert na.value is None and na.flags == "c"
    assert _obs(geo="EU27_2020", period="2023").flags == "bep"


def test_sdmx_csv_1_and_2_with_labels_load_the_same_figures():
    rows1 = [(["A", "TOTAL", "TOTAL", "T", "PER", "NL"], "2023", "900", "e")]
    load_stream(sdmx1("migr_eiord", DIMS, rows1))
    assert _obs(dataset="migr_eiord", geo="NL").value == 900
    rows2 = [
        (["A", "TOTAL", "TOTAL", "T", "PER", "BE"], "2023", "700", "", "F"),
        (["A", "MA", "TOTAL", "T", "PER", "BE"], "2023", "", "", "C"),
    ]
    result = load_stream(sdmx2("migr_eiord", DIMS, rows2, labels=True))
    assert result.load.file_format == "sdmx-csv-2.0"
    assert _obs(dataset="migr_eiord", geo="BE", citizen="TOTAL").value == 700
    confidential = _obs(dataset="migr_eiord", geo="BE", citizen="MA")
    assert confidential.value is None and confidential.flags == "c"


def test_quarterly_tsv_periods_are_quarters():
    dims = "freq,citizen,c_dest,age,sex,unit,geo"
    load_stream(
        tsv(dims, ["2023Q4", "2024-Q1"], [("Q,TOTAL,THRD,TOTAL,T,PER,NL", ["10", "20"])]),
        dataset="migr_eirtn1",
    )
    assert sorted(EurostatObservation.objects.values_list("period", "quarter")) == [
        ("2023-Q4", 4),
        ("2024-Q1", 1),
    ]


def test_a_second_load_of_the_same_file_changes_nothing():
    def make():
        return tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["5"])])

    first = load_stream(make(), dataset="migr_eirtn")
    second = load_stream(make(), dataset="migr_eirtn")
    assert not second.created and second.load.pk == first.load.pk
    assert EurostatLoad.objects.count() == 1 and EurostatObservation.objects.count() == 1


def test_a_revised_file_updates_figures_in_place():
    load_stream(tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["5 p"])]), dataset="migr_eirtn")
    load_stream(tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["6"])]), dataset="migr_eirtn")
    obs = _obs(geo="AT")
    assert (obs.value, obs.flags, EurostatObservation.objects.count()) == (6, "", 1)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([("A,ZZZ,TOTAL,T,PER,AT", ["1"])], "Line 2, column 1: Unknown code “ZZZ” for citizen."),
        ([("A,TOTAL,TOTAL,T,PER,XX", ["1"])], "Line 2, column 1: Unknown code “XX” for geo."),
        ([("A,TOTAL,TOTAL,T,PER,AT", ["1 x"])], "Line 2, column 2: Unknown flag “x”."),
        ([("A,TOTAL,TOTAL,T,PER,AT", ["1.5"])], "Line 2, column 2: “1.5” is not a whole number"),
        ([("A,TOTAL,TOTAL,T,PER,AT", [])], "Line 2, column 2: truncated line: 1 columns, 2 expected."),
        ([("A,TOTAL,TOTAL,T,PER,AT", ["1", "2"])], "Line 2, column 3: extra columns: 3 columns, 2 expected."),
        ([("A,TOTAL,T,PER,AT", ["1"])], "Line 2, column 1: 5 codes, 6 expected"),
        ([("Q,TOTAL,TOTAL,T,PER,AT", ["1"])], "Line 2, column 1: Frequency Q in a table of frequency A."),
    ],
)
def test_bad_lines_are_refused_with_line_and_column_and_nothing_is_kept(rows, expected):
    good = [("A,TOTAL,TOTAL,T,PER,BE", ["1"])] * 0
    with pytest.raises(FileRefused) as refused:
        load_stream(tsv(BASE_DIMS, ["2023"], good + rows), dataset="migr_eirtn")
    assert str(refused.value.problems[0]).startswith(expected)
    assert not EurostatObservation.objects.exists() and not EurostatLoad.objects.exists()


def test_a_problem_late_in_the_file_rolls_back_what_was_written_before():
    rows = [(f"A,{c},TOTAL,T,PER,AT", ["1"]) for c in ("AF", "MA", "DZ", "TN", "EG", "NG", "SN", "GM")]
    rows += [("A,TOTAL,TOTAL,T,PER,AT", ["7 q"])]
    from ilonet.indicators.eurostat import load as loader

    original, loader.BATCH = loader.BATCH, 2  # earlier batches are written before the problem
    try:
        with pytest.raises(FileRefused) as refused:
            load_stream(tsv(BASE_DIMS, ["2023"], rows), dataset="migr_eirtn")
    finally:
        loader.BATCH = original
    assert refused.value.problems[0].line == 10
    assert not EurostatObservation.objects.exists()


def test_missing_and_extra_dimensions_and_other_layouts_are_refused():
    with pytest.raises(FileRefused, match="Missing columns for migr_eirtn: age"):
        load_stream(
            tsv("freq,citizen,sex,unit,geo", ["2023"], [("A,TOTAL,T,PER,AT", ["1"])]), dataset="migr_eirtn"
        )
    with pytest.raises(FileRefused, match="Unexpected column “c_dest”"):  # orders have no destination
        load_stream(
            tsv("freq,citizen,c_dest,age,sex,unit,geo", ["2023"], [("A,TOTAL,THRD,TOTAL,T,PER,AT", ["1"])]),
            dataset="migr_eiord",
        )
    import io

    with pytest.raises(FileRefused, match="Not a layout of Eurostat"):
        load_stream(io.BytesIO(b"country;year;value\nAT;2023;1\n"), dataset="migr_eirtn")
    with pytest.raises(FileRefused, match="is not a yearly period"):
        load_stream(tsv(BASE_DIMS, ["2023-Q1"], [("A,TOTAL,TOTAL,T,PER,AT", ["1"])]), dataset="migr_eirtn")


def test_sdmx_file_of_another_table_is_refused():
    rows = [(["A", "TOTAL", "TOTAL", "T", "PER", "NL"], "2023", "900", "")]
    with pytest.raises(FileRefused, match="holds table"):
        load_stream(sdmx1("migr_eiord", DIMS, rows), dataset="migr_eirtn")


def test_a_cut_sdmx_line_is_a_truncated_line():
    f = sdmx1("migr_eiord", DIMS, [(["A", "TOTAL", "TOTAL", "T", "PER", "NL"], "2023", "900", "")])
    cut = f.getvalue().rstrip(b"\n").rsplit(b",", 2)[0] + b"\n"
    import io

    with pytest.raises(FileRefused, match="Line 2, column 10: truncated line"):
        load_stream(io.BytesIO(cut))


def test_the_return_rate_is_computed_after_a_load():
    load_stream(tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["1000"])]), dataset="migr_eiord")
    load_stream(tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["250 p"])]), dataset="migr_eirtn")
    figure = IndicatorFigure.objects.get(indicator="return_rate", geo="AT")
    assert (figure.numerator, figure.denominator, figure.value, figure.flags) == (250, 1000, 25.0, "p")


def test_a_figure_twice_in_an_sdmx_file_is_refused_with_both_lines():
    rows = [
        (["A", "TOTAL", "TOTAL", "T", "PER", "NL"], "2023", "900", ""),
        (["A", "MA", "TOTAL", "T", "PER", "NL"], "2023", "90", ""),
        (["A", "TOTAL", "TOTAL", "T", "PER", "NL"], "2023", "901", ""),
    ]
    with pytest.raises(FileRefused) as refused:
        load_stream(sdmx1("migr_eiord", DIMS, rows))
    assert [str(p) for p in refused.value.problems] == [
        "Line 4, column 1: The figure of NL,TOTAL,age=TOTAL;sex=T for 2023 appears twice (also on line 2)."
    ]
    assert not EurostatObservation.objects.exists() and not EurostatLoad.objects.exists()


def test_a_period_twice_in_a_tsv_header_is_refused():
    with pytest.raises(FileRefused, match="Line 1, column 3: The period 2023 appears twice."):
        load_stream(
            tsv(BASE_DIMS, ["2023", "2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["1", "2"])]), dataset="migr_eirtn"
        )
    assert not EurostatObservation.objects.exists()


def test_flags_and_not_available_take_the_fast_path_and_the_slow_one_alike():
    f = tsv(BASE_DIMS, ["2021", "2022", "2023"], [("A,TOTAL,TOTAL,T,PER,AT", [": c", "12 bep", "7  p"])])
    load_stream(f, dataset="migr_eirtn")
    found = dict(EurostatObservation.objects.values_list("period", "flags"))
    values = dict(EurostatObservation.objects.values_list("period", "value"))
    assert found == {"2021": "c", "2022": "bep", "2023": "p"}
    assert values == {"2021": None, "2022": 12, "2023": 7}


def test_figures_flags_of_numerator_and_denominator_are_merged_sorted_and_once():
    load_stream(tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["1000 pe"])]), dataset="migr_eiord")
    load_stream(tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["333 bp"])]), dataset="migr_eirtn")
    figure = IndicatorFigure.objects.get(indicator="return_rate", geo="AT")
    assert (figure.value, figure.flags) == (33.3, "bep")


def test_returns_by_destination_as_eurostat_serves_them_and_an_extraction_without_destination():
    """migr_eirtn has the country of destination (c_dest); a file filtered to all destinations
    that leaves the column out is read as c_dest TOTAL, the same figure."""
    from ilonet.indicators.models import EurostatObservation

    dims = "freq,citizen,c_dest,age,sex,unit,geo"
    load_stream(
        tsv(
            dims, ["2023"], [("A,TOTAL,TOTAL,TOTAL,T,PER,AT", ["10"]), ("A,TOTAL,THRD,TOTAL,T,PER,AT", ["7"])]
        ),
        dataset="migr_eirtn",
    )
    rows = dict(
        EurostatObservation.objects.filter(dataset="migr_eirtn", geo="AT").values_list("breakdown", "value")
    )
    assert rows == {"c_dest=TOTAL;age=TOTAL;sex=T": 10, "c_dest=THRD;age=TOTAL;sex=T": 7}
    load_stream(tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["11"])]), dataset="migr_eirtn")
    rows = dict(
        EurostatObservation.objects.filter(dataset="migr_eirtn", geo="AT").values_list("breakdown", "value")
    )
    assert rows["c_dest=TOTAL;age=TOTAL;sex=T"] == 11
