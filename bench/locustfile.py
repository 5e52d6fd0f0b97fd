"""Load of the HTTP benchmark (bench/http_bench.py runs it: ``locust --headless -f bench/locustfile.py``).

Every simulated user asks, without pause, for the target during even phases and for the bare
signed-in view during odd ones (phases of ILONET_BENCH_PHASE seconds from ILONET_BENCH_T0), so
that the target and the bare view share the same minutes of machine load. Before T0 it warms
up on both. Requests are named "target", "bare" and "warm-up" in the statistics."""

import os
import time

from locust import FastHttpUser, constant, task

T0 = float(os.environ["ILONET_BENCH_T0"])
PHASE = float(os.environ["ILONET_BENCH_PHASE"])
TARGET = os.environ["ILONET_BENCH_TARGET"]
BARE = os.environ["ILONET_BENCH_BARE"]
HEADERS = {
    "Cookie": os.environ["ILONET_BENCH_COOKIE"],
    # Production sits behind a TLS proxy that says so (SECURE_PROXY_SSL_HEADER).
    "X-Forwarded-Proto": "https",
    "Accept-Language": "en",
}


class Visitor(FastHttpUser):
    wait_time = constant(0)

    @task
    def visit(self) -> None:
        now = time.time()
        if now < T0:  # warm-up: every worker loads what both need before anything counts
            self.warm = not getattr(self, "warm", False)
            url, name = (TARGET if self.warm else BARE), "warm-up"
        else:
            bare = int((now - T0) / PHASE) % 2
            url, name = (BARE, "bare") if bare else (TARGET, "target")
        with self.client.get(url, headers=HEADERS, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{url}: HTTP {response.status_code}")
