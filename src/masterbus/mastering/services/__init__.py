"""Mastering writes, one topic per module (import from the module, not from here):

- ``options``: the settings a person chose, validated by the engine's own rules;
- ``songs``: songs from uploads and their versions (jobs), queued;
- ``albums``: albums from uploads and their album versions;
- ``queue``: putting jobs in the task queue, and the sweeper that queues lost ones again;
- ``notify``: the "your master is ready" e-mail;
- ``cleanup``: deleting versions, songs and albums with their files, and the guest purge.

The worker's side (lease, heartbeat, run, finish) is ``masterbus.mastering.runner``.
"""
