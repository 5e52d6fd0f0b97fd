"""Load Eurostat files from the command line: ``manage.py load_eurostat FILE [--dataset CODE]``.

TSV (also ``.tsv.gz``, read streamed) or SDMX-CSV 1.0/2.0; all or nothing per file; loading
the same file again changes nothing. Problems are printed with their line and column."""

import gzip
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ilonet.indicators.eurostat.datasets import DATASETS
from ilonet.indicators.eurostat.load import load_stream
from ilonet.indicators.eurostat.parse import FileRefused


class Command(BaseCommand):
    help = "Load Eurostat tables (migr_eiord, migr_eirtn, ... ) from TSV or SDMX-CSV files."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--dataset", choices=sorted(DATASETS), help="The table (needed for TSV files).")

    def handle(self, *args, files, dataset=None, **options):
        failed = False
        for path in files:
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            dataset_code = dataset or next(
                (
                    code
                    for code in DATASETS
                    if code in path.name.lower() and (path.name.lower().split(code)[1][:1] in ("", ".", "_"))
                ),
                None,
            )
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rb") as stream:
                if path.suffix == ".gz":  # gzip streams do not seek back cheaply: hash a plain copy
                    import tempfile

                    with tempfile.TemporaryFile() as plain:
                        while chunk := stream.read(1024 * 1024):
                            plain.write(chunk)
                        failed |= self._load(plain, path, dataset_code)
                else:
                    failed |= self._load(stream, path, dataset_code)
        if failed:
            raise CommandError("Some files were refused; nothing of them was loaded.")

    def _load(self, stream, path: Path, dataset: str | None) -> bool:
        try:
            result = load_stream(
                stream, dataset=dataset, file_name=path.name, actor_label="manage.py load_eurostat"
            )
        except FileRefused as refused:
            self.stderr.write(f"{path}: refused")
            for problem in refused.problems:
                self.stderr.write(f"  {problem}")
            return True
        if result.created:
            self.stdout.write(f"{path}: {result.load.observations} figures of {result.load.dataset} loaded.")
        else:
            self.stdout.write(f"{path}: loaded before ({result.load.dataset}); nothing changed.")
        return False
