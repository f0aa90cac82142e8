"""Mail tasks."""

from celery import shared_task

from cbec_alliance.organizations import services as organizations


@shared_task(
    name="mail.send_invitation",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_invitation(invitation_id: int, token: str) -> bool:
    """Email an invitation."""
    return organizations.send_invitation_email(invitation_id, token)
