"""Celery tasks of the volunteering domain: each takes ids (or nothing), loads rows, calls one service."""

from celery import shared_task

from volunteering.services.needs import needs_expire


@shared_task(ignore_result=True)
def expire_needs() -> int:
    """Marks published needs past their expiry as expired and tells their admins; run daily by beat."""
    return needs_expire()


@shared_task(ignore_result=True)
def purge_efz_records() -> int:
    """Deletes eFZ records past their retention (§72a SGB VIII); run daily by beat."""
    from volunteering.services.efz import efz_records_purge

    return efz_records_purge()


@shared_task(ignore_result=True)
def purge_tandem_requests() -> int:
    """Deletes newcomer data past its retention (withdrawn, ended long enough ago); run daily by beat."""
    from volunteering.services.tandems import tandem_requests_purge

    return tandem_requests_purge()


@shared_task(ignore_result=True)
def recognition_milestones() -> int:
    """Records first-engagement and years milestones reached today (each schedules its thank-you); daily."""
    from volunteering.services.recognition import milestones_check_all

    return milestones_check_all()
