"""Sample Eurostat files built in the tests, in each layout Eurostat serves (no download)."""

from __future__ import annotations

import io

BASE_DIMS = "freq,citizen,age,sex,unit,geo"


def tsv(dims: str, periods: list[str], rows: list[tuple[str, list[str]]]) -> io.BytesIO:
    """A TSV file: ``rows`` are (comma-separated codes, cells); periods get trailing spaces."""
    lines = ["\t".join([f"{dims}\\TIME_PERIOD", *[f"{p} " for p in periods]])]
    lines += [
        "\t".join([key, *[f"{c} " if c and not c.endswith(" ") else c for c in cells]]) for key, cells in rows
    ]
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def sdmx1(dataset: str, dims: list[str], rows: list[tuple[list[str], str, str, str]]) -> io.BytesIO:
    """SDMX-CSV 1.0: rows are (codes, period, value, flag)."""
    lines = [",".join(["DATAFLOW", "LAST UPDATE", *dims, "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"])]
    for codes, period, value, flag in rows:
        lines.append(
            ",".join([f"ESTAT:{dataset.upper()}(1.0)", "15/03/24 23:00:00", *codes, period, value, flag])
        )
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def sdmx2(
    dataset: str, dims: list[str], rows: list[tuple[list[str], str, str, str, str]], *, labels: bool = False
) -> io.BytesIO:
    """SDMX-CSV 2.0 with OBS_FLAG and CONF_STATUS: rows are (codes, period, value, flag, conf).
    With ``labels``, headers and codes carry labels (``geo: Geopolitical entity``, ``AT: Austria``)."""
    head = [f"{d}: {d.title()}" if labels else d for d in dims]
    lines = [
        ",".join(
            [
                "STRUCTURE",
                "STRUCTURE_ID",
                "ACTION",
                *head,
                "TIME_PERIOD",
                "OBS_VALUE",
                "OBS_FLAG",
                "CONF_STATUS",
            ]
        )
    ]
    for codes, period, value, flag, conf in rows:
        shown = [f"{c}: Label of {c}" if labels else c for c in codes]
        lines.append(
            ",".join(["dataflow", f"ESTAT:{dataset.upper()}(1.0)", "I", *shown, period, value, flag, conf])
        )
    return io.BytesIO(("\n".join(lines) + "\n").encode())
