"""Background tasks: thin, idempotent, ids only."""

from masterbus.core.tasks import task
from masterbus.orders.previews import delivery_prepare


@task()
def prepare_delivery(delivery_id: int) -> None:
    delivery_prepare(delivery_id=delivery_id)
