"""First-party analytics benchmark: what counting a page view costs a request.

Run with ``.venv/bin/python bench/analytics_bench.py``. In a throwaway data directory (SQLite,
the embedded default) it requests the privacy page through Django's full middleware stack, in
process, alternating a browser that allowed analytics (one UPSERT per view) with one that
rejected it (no write), and prints the median time of each, their difference, and the time of
the UPSERT alone.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

ROUNDS = 400


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="masterbus-analytics-bench-"))
    try:
        os.environ["MASTERBUS_DATA_DIR"] = str(data_dir)
        os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masterbus.config.settings.local")
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.utils import timezone

        from masterbus.profiles.models import PageView
        from masterbus.profiles.services import pageview_count

        call_command("migrate", interactive=False, verbosity=0)
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
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
