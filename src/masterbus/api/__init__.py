"""The JSON API (django-ninja) at /api/v1/ and the personal API tokens it authenticates with."""
