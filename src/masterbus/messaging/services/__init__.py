"""Messaging writes, one topic per module; the names other apps use (the contract of the
marketplace apps) are re-exported here: ``thread_for``, ``message_post``, ``notify``.

- ``threads``: threads per subject, their participants, posting and reading messages;
- ``notifications``: the notification history, its e-mail by preference, read marks, retention;
- ``support``: support tickets (P26).
"""

from masterbus.messaging.services.notifications import notify
from masterbus.messaging.services.threads import message_post, thread_for

__all__ = ["message_post", "notify", "thread_for"]
