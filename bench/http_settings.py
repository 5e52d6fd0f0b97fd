"""Settings of the HTTP benchmark's server (bench/http_bench.py): the production profile, plus one
bench-only URL (a bare signed-in view, bench/http_urls.py). Never used outside the benchmark."""

import os

from ilonet.settings.production import *  # noqa: F403

ROOT_URLCONF = "http_urls"

if os.environ.get("LOAD_CPU_LOG_DIR"):  # bench/load.py --cpu-per-endpoint: CPU of each request
    MIDDLEWARE = ["_cpu_middleware.ThreadCpuMiddleware", *MIDDLEWARE]  # noqa: F405
