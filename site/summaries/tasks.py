from django_tasks import task

from .services import generate_summary


@task()
def generate_summary_task(*, summary_id):
    # Inline on the embedded default (immediate backend); on the database queue in production.
    generate_summary(summary_id=summary_id)
    return summary_id
