"""The e-mail that tells an owner their master is ready."""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from masterbus.core.mail import send_templated_mail
from masterbus.mastering.models import Job

logger = logging.getLogger(__name__)


def job_notify(*, job: Job) -> bool:
    """Email the owner that the master is ready, once, unless they switched it off."""
    user = job.song.user
    if user is None or not user.email_on_master_ready:
        return False
    if not Job.objects.filter(pk=job.pk, notified_at=None).update(notified_at=timezone.now()):
        return False
    link = settings.SITE_URL.rstrip("/") + reverse("mastering:song", args=[job.song_id])
    try:
        send_templated_mail(
            template_prefix="mastering/email/master_ready",
            context={
                "title": job.song.title,
                "number": job.number,
                "song_url": f"{link}?v={job.number}",
            },
            to=[user.email],
        )
    except OSError:
        logger.exception("could not send the ready email for job %s", job.pk)
        return False
    return True
