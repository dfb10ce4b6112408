"""The Django Tasks API, from Django itself (6.0+) or from its backport on older Django.

Django 6 needs Python 3.12; on Python 3.11 we run Django 5.2 LTS with the ``django-tasks``
backport, which is the same API. Everything imports ``task`` from here so the switch is one line.
"""

try:
    from django.tasks import task
except ImportError:  # Django < 6
    from django_tasks import task

__all__ = ["task"]
