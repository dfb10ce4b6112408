"""Settings: ``base`` is shared; ``local``, ``test`` and ``production`` adjust it."""
