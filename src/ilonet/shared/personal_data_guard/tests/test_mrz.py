"""Art. 9(3): the machine-readable zones of passports and identity cards, found by their ICAO
9303 check digits, against the specimens printed in ICAO Doc 9303."""

import pytest

from ilonet.shared.personal_data_guard import mrz

# ICAO Doc 9303, Part 4 (TD3), Part 5 (TD1), Part 6 (TD2): the specimens of Utopia.
TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]


def test_the_check_digit_is_icao_9303s_weighted_sum():
    assert mrz.check_digit("L898902C3") == "6"
    assert mrz.check_digit("740812") == "2"
    assert mrz.check_digit("120415") == "9"
    assert mrz.check_digit("<<<<<<<<<") == "0"


@pytest.mark.parametrize("lines, layout", [(TD3, "TD3"), (TD1[:2], "TD1"), (TD2, "TD2")])
def test_each_layout_of_the_icao_specimens_is_found(lines, layout):
    found = list(mrz.find_mrz("\n".join(lines)))
    assert {line.layout for line in found} == {layout}
    assert len(found) == len(lines)


def test_ocr_spaces_and_guillemets_and_lines_run_together_are_tolerated():
    text = (
        "P<UTOERIKSSON<<ANNA<MARIA«««««««««««««««««««"
        + " "
        + "L898 902C3 6UTO7408122F1204159ZE184226B<<<<<10"
    )
    assert [line.layout for line in mrz.find_mrz(text)] == ["TD3", "TD3"]


@pytest.mark.parametrize(
    "line",
    [
        "L898902C37UTO7408122F1204159ZE184226B<<<<<10",  # document number check digit wrong
        "L898902C36UTO7408123F1204159ZE184226B<<<<<10",  # date of birth check digit wrong
        "L898902C36UTO7408122F1204159ZE184226B<<<<<11",  # composite wrong
        "7408122F1204159UTO<<<<<<<<<<<7",  # TD1 line 2 composite (with line 1) wrong
    ],
)
def test_a_line_whose_check_digits_fail_is_not_a_zone(line):
    text = (TD1[0] + "\n" + line) if len(line) == 30 else line
    assert [found.value for found in mrz.find_mrz(text) if found.value == line] == []


@pytest.mark.parametrize(
    "text",
    [
        "THE EUROPEAN PARLIAMENT AND THE COUNCIL OF THE EUROPEAN UNION HAVE ADOPTED THIS REGULATION",
        "REGULATION (EU) 2019/1240 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH",
    ],
)
def test_capitals_and_codes_are_not_zones(text):
    assert list(mrz.find_mrz(text)) == []
