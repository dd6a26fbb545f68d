from django_tasks import task

from mamori.notices.services import deliver_due


@task()
def deliver_outbox() -> dict:
    sent, failed = deliver_due()
    return {"sent": sent, "failed": failed}
