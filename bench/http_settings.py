"""Settings of the HTTP benchmark's server (bench/http_bench.py): the production profile, plus one
bench-only URL (a bare signed-in view, bench/http_urls.py). Never used outside the benchmark."""

from ilonet.settings.production import *  # noqa: F403

ROOT_URLCONF = "http_urls"
