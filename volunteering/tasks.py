"""Celery tasks of the volunteering domain: each takes ids (or nothing), loads rows, calls one service."""

from celery import shared_task

from volunteering.services.needs import needs_expire


@shared_task(ignore_result=True)
def expire_needs() -> int:
    """Marks published needs past their expiry as expired and tells their admins; run daily by beat."""
    return needs_expire()
