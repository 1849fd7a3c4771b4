from volunteering.models import AuditEntry, User


def audit_record(*, actor: User, action: str, obj) -> AuditEntry:
    """Records that `actor` accessed `obj`: ids and the kind of access only, never the values seen."""
    return AuditEntry.objects.create(
        actor=actor, action=action, object_type=obj._meta.label, object_id=obj.pk
    )
