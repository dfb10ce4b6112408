"""Background tasks of uploads: thin, idempotent, ids only."""

from masterbus.core.tasks import task
from masterbus.uploads.preview_runner import preview_set_run


@task()
def render_previews(preview_set_id: str) -> None:
    preview_set_run(preview_set_id=preview_set_id)
