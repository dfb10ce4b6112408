"""Security middleware benchmark: what the sign-in session check and the rate limits cost.

Run with ``.venv/bin/python bench/security_bench.py``. In a throwaway data directory (SQLite,
the embedded default, locmem cache) it requests, in process through Django's full middleware
stack, a signed-in page and an API call, alternating the project's middleware with the same
list minus the security app's session check and rate limits, and prints the medians, their
difference, and the time of one rate-limit count alone.
"""

from __future__ import annotations

import statistics
import time

from inprocess import throwaway_platform

ROUNDS = 400
CHECKS = (
    "masterbus.security.middleware.SignInSessionMiddleware",
    "masterbus.security.middleware.RateLimitMiddleware",
)


def main() -> None:
    with throwaway_platform("security"):
        from django.conf import settings
        from django.test import Client, override_settings

        from masterbus.accounts.models import User
        from masterbus.api.services import token_create
        from masterbus.security.clientip import ip_hash
        from masterbus.security.ratelimit import Rate, rate_limit_hit

        user = User.objects.create_user("bench@example.com", "a long bench password")
        token = token_create(user=user, name="bench")[1]
        without = [m for m in settings.MIDDLEWARE if m not in CHECKS]
        clients = {}
        for name, middleware in (("with", settings.MIDDLEWARE), ("without", without)):
            with override_settings(MIDDLEWARE=middleware):
                browser, script = Client(), Client(HTTP_AUTHORIZATION=f"Bearer {token}")
                browser.force_login(user)
                browser.get("/settings/mastering/")  # the handler loads its middleware on first use
                script.get("/api/v1/jobs")
            clients[name] = (browser, script)
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(ROUNDS):
            for name, (browser, script) in clients.items():
                for what, client, path in (("page", browser, "/settings/mastering/"),
                                           ("api", script, "/api/v1/jobs")):  # fmt: skip
                    start = time.perf_counter()
                    assert client.get(path).status_code == 200  # still signed in
                    times.setdefault((what, name), []).append(time.perf_counter() - start)
        hits = []
        rate = Rate(10**9, 3600)
        for n in range(ROUNDS):
            start = time.perf_counter()
            rate_limit_hit(scope="bench", key=ip_hash(f"10.0.{n % 250}.1"), rate=rate)
            hits.append(time.perf_counter() - start)
        median = {key: statistics.median(t) * 1000 for key, t in times.items()}
        print(f"median of {ROUNDS} requests, ms     with checks  without  difference")
        for what, label in (
            ("page", "signed-in page (/settings/mastering/)"),
            ("api", "API GET /jobs"),
        ):
            w, wo = median[(what, "with")], median[(what, "without")]
            print(f"{label:33} {w:11.2f} {wo:8.2f} {w - wo:+11.2f}")
        print(f"one rate-limit count (hash + cache): {statistics.median(hits) * 1000:.3f} ms")


if __name__ == "__main__":
    main()
