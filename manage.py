#!/usr/bin/env python
"""Django's command-line utility; `masterbus manage ...` does the same."""

import sys

from masterbus.config.launcher import manage

if __name__ == "__main__":
    sys.exit(manage(sys.argv[1:]))
