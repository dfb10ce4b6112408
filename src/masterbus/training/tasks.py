"""Background tasks: thin, idempotent, ids only."""

from masterbus.core.tasks import task
from masterbus.training.services.render import exercise_render


@task()
def render_exercise(exercise_id: str) -> None:
    exercise_render(exercise_id=exercise_id)
