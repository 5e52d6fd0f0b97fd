"""Benchmark of the Eurostat loader: a synthetic migr_eirtn TSV of realistic size (all
citizenships, ages, sexes and reporting countries: about 2 million figures, as the published
table) loaded through ``eurostat.load.load_stream`` on a fresh SQLite database, then the same
file again (idempotent: answered from its SHA-256).

Usage: .venv/bin/python bench/eurostat.py [--years 16]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='ilonet-bench-')}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django_countries import countries  # noqa: E402

from ilonet.indicators.eurostat.datasets import AGES, ASSOCIATED, MEMBER_STATES, SEXES  # noqa: E402
from ilonet.indicators.eurostat.load import load_stream  # noqa: E402
from ilonet.indicators.models import EurostatObservation  # noqa: E402


def write_file(path: Path, years: int) -> int:
    rng = random.Random(2019)  # noqa: S311 (synthetic figures)
    citizens = ["TOTAL", *[c for c, _n in countries][:200]]
    geos = [*MEMBER_STATES, *ASSOCIATED, "EU27_2020"]
    periods = [str(2024 - years + 1 + i) for i in range(years)]
    lines = 0
    with path.open("w") as out:
        out.write(
            "\t".join(["freq,citizen,age,sex,unit,geo\\TIME_PERIOD", *[f"{p} " for p in periods]]) + "\n"
        )
        for geo in geos:
            for citizen in citizens:
                for age in AGES[:7]:
                    for sex in SEXES[:3]:
                        cells = []
                        for _ in periods:
                            r = rng.random()
                            cells.append(
                                ": "
                                if r < 0.2
                                else f"{rng.randint(0, 5000)} p"
                                if r < 0.3
                                else f"{rng.randint(0, 5000)} "
                            )
                        out.write("\t".join([f"A,{citizen},{age},{sex},PER,{geo}", *cells]) + "\n")
                        lines += 1
    return lines * len(periods)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=16)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    path = Path(tempfile.mkdtemp(prefix="ilonet-eurostat-")) / "estat_migr_eirtn.tsv"
    cells = write_file(path, args.years)
    size = path.stat().st_size
    with path.open("rb") as f:
        start, cpu = time.perf_counter(), time.process_time()
        result = load_stream(f, dataset="migr_eirtn", file_name=path.name)
        first, first_cpu = time.perf_counter() - start, time.process_time() - cpu
    with path.open("rb") as f:
        start = time.perf_counter()
        again = load_stream(f, dataset="migr_eirtn", file_name=path.name)
        second = time.perf_counter() - start
    print(f"file: {size / 1e6:.0f} MB, {cells} figures; stored {EurostatObservation.objects.count()}")
    print(
        f"first load: {first:.1f} s ({cells / first:,.0f} figures/s), {first_cpu:.1f} s CPU of this "
        f"process; created={result.created}"
    )
    # a revised file: figures ending in 1 end in 2 (updated in place)
    head, body = path.read_bytes().split(b"\n", 1)
    revised = path.with_name("estat_migr_eirtn_revised.tsv")
    revised.write_bytes(head + b"\n" + body.replace(b"1 ", b"2 "))
    with revised.open("rb") as f:
        start, cpu = time.perf_counter(), time.process_time()
        load_stream(f, dataset="migr_eirtn", file_name=revised.name)
        third, third_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"revised file over the loaded one: {third:.1f} s, {third_cpu:.1f} s CPU")
    print(f"second load of the same file: {second:.2f} s; created={again.created}")
    print(f"load average (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
