"""Fixtures shared by every test folder, registered once here (not star-imported per folder):

- ``tests.platform.fixtures``: owners (``alice``, ``bob``), real songs, uploads and jobs;
- ``tests.browser.fixtures``: Debian's chromium through Playwright, the platform on a port.

Helpers that are not fixtures are imported where used (``tests.platform.fixtures``,
``tests.support``).
"""

pytest_plugins = ["tests.platform.fixtures", "tests.browser.fixtures"]
