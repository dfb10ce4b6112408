"""Background tasks: thin, idempotent, ids only."""

from masterbus.core.tasks import task
from masterbus.rights.exporter import export_build


@task()
def build_export(export_id: str) -> None:
    export_build(export_id=export_id)
