"""First-party analytics benchmark: what counting a page view costs a request.

Run with ``.venv/bin/python bench/analytics_bench.py``. In a throwaway data directory (SQLite,
the embedded default) it requests the privacy page through Django's full middleware stack, in
process, alternating a browser that allowed analytics (one UPSERT per view) with one that
rejected it (no write), and prints the median time of each, their difference, and the time of
the UPSERT alone.
"""

from __future__ import annotations

import statistics
import time

from inprocess import throwaway_platform

ROUNDS = 400


def main() -> None:
    with throwaway_platform("analytics"):
        from django.test import Client
        from django.utils import timezone

        from masterbus.profiles.models import PageView
        from masterbus.profiles.services import pageview_count

        counted, skipped = Client(), Client()
        counted.post("/privacy/consent/", {"choice": "all"})
        skipped.post("/privacy/consent/", {"choice": "none"})
        times: dict[str, list[float]] = {"counted": [], "not counted": []}
        for _ in range(ROUNDS):
            for name, client in (("counted", counted), ("not counted", skipped)):
                start = time.perf_counter()
                client.get("/privacy/")
                times[name].append(time.perf_counter() - start)
        day = timezone.localdate()
        upserts = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            pageview_count(route="bench", day=day)
            upserts.append(time.perf_counter() - start)
        views = PageView.objects.get(route="privacy:privacy").views
        assert views == ROUNDS, f"counted {views} views of {ROUNDS}"
        median = {name: statistics.median(t) * 1000 for name, t in times.items()}
        print(f"page view with analytics:    {median['counted']:.2f} ms (median of {ROUNDS})")
        print(f"page view without analytics: {median['not counted']:.2f} ms")
        print(f"difference:                  {median['counted'] - median['not counted']:+.2f} ms")
        print(f"the UPSERT alone:            {statistics.median(upserts) * 1000:.3f} ms")


if __name__ == "__main__":
    main()
