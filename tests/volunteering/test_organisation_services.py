"""Organisation services: registration, review, memberships, invitations, coordinator roles."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import with_totp
from tests.factories import UserFactory
from volunteering.models import (
    CoordinatorRole,
    Kommune,
    LegalForm,
    MembershipRole,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    OrganisationStatus,
)
from volunteering.selectors.organisations import invitation_for_token
from volunteering.services.organisations import (
    coordinator_role_assign,
    coordinator_role_revoke,
    invitation_accept,
    invitation_create,
    invitation_token,
    membership_change_role,
    membership_remove,
    organisation_register,
    organisation_reject,
    organisation_update,
    organisation_verify,
)

pytestmark = pytest.mark.django_db


def details(**overrides) -> dict:
    values = {
        "name": "Sprachbrücke Halle e. V.",
        "legal_form": LegalForm.VEREIN,
        "kommunen": Kommune.objects.filter(name="Halle (Westf.)"),
        "description": "Sprachmittlung durch Ehrenamtliche.",
        "email": "info@sprachbruecke.example",
        "website": "https://sprachbruecke.example",
    }
    return {**values, **overrides}


def invitation_link(message) -> str:
    return re.search(r"http://localhost:8000(/\w\w/organisation/einladung/[^/\s]+/)", message.body).group(1)


# --- Registration and editing ------------------------------------------------------------------------
def test_registering_creates_a_pending_organisation_with_the_person_as_its_admin(volunteer, reference_data):
    organisation = organisation_register(user=volunteer, **details())

    assert organisation.status == OrganisationStatus.PENDING
    assert organisation.slug == "sprachbruecke-halle-e-v"
    assert [k.name for k in organisation.kommunen.all()] == ["Halle (Westf.)"]
    assert OrganisationMembership.objects.get(organisation=organisation).user == volunteer
    assert OrganisationMembership.objects.get(organisation=organisation).role == MembershipRole.ADMIN


def test_short_names_stay_unique(volunteer, reference_data):
    first = organisation_register(user=volunteer, **details())
    second = organisation_register(user=volunteer, **details())

    assert (first.slug, second.slug) == ("sprachbruecke-halle-e-v", "sprachbruecke-halle-e-v-2")


def test_a_name_without_latin_letters_still_gets_a_short_name(volunteer, reference_data):
    organisation = organisation_register(user=volunteer, **details(name="جمعية الجسر"))

    assert organisation.slug == "organisation"


def test_registering_needs_a_town(volunteer, reference_data):
    with pytest.raises(ValidationError) as error:
        organisation_register(user=volunteer, **details(kommunen=[]))

    assert "kommunen" in error.value.message_dict
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("website", ["javascript:alert(1)", "ftp://example.org/", "data:text/html,x"])
def test_only_web_links_are_accepted_as_website(volunteer, reference_data, website):
    with pytest.raises(ValidationError) as error:
        organisation_register(user=volunteer, **details(website=website))

    assert "website" in error.value.message_dict
    assert not Organisation.objects.exists()


def test_an_admin_updates_the_details_but_never_the_review(organisation, org_admin, coordinator):
    organisation_verify(organisation=organisation, actor=coordinator, note="Alles in Ordnung.")

    organisation_update(
        organisation=organisation,
        actor=org_admin,
        **details(name="Flüchtlingshilfe Verl", kommunen=Kommune.objects.filter(name="Verl")),
    )

    organisation.refresh_from_db()
    assert organisation.name == "Flüchtlingshilfe Verl"
    assert organisation.slug == "fluechtlingshilfe-verl"  # public links keep working
    assert organisation.status == OrganisationStatus.VERIFIED
    assert organisation.verified_by == coordinator


def test_the_update_service_has_no_way_to_change_the_review_fields(organisation, org_admin):
    with pytest.raises(TypeError):
        organisation_update(organisation=organisation, actor=org_admin, status="verified", **details())


def test_members_and_strangers_cannot_update(organisation, org_member, other_org_member):
    for person in (org_member, other_org_member):
        with pytest.raises(PermissionDenied):
            organisation_update(organisation=organisation, actor=person, **details())

    organisation.refresh_from_db()
    assert organisation.name == "Flüchtlingshilfe Verl e. V."


def test_a_rejected_organisation_that_corrects_its_details_waits_for_review_again(
    organisation, org_admin, coordinator
):
    organisation_reject(organisation=organisation, actor=coordinator, note="Bitte Website ergänzen.")

    organisation_update(
        organisation=organisation, actor=org_admin, **details(kommunen=Kommune.objects.filter(name="Verl"))
    )

    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING


@pytest.mark.parametrize(
    "legal_form, insurer",
    [
        (LegalForm.KOMMUNE, "Unfallkasse NRW"),
        (LegalForm.SCHULE, "Unfallkasse NRW"),
        (LegalForm.VEREIN, "Versicherung der Organisation"),
        (LegalForm.GGMBH, "Versicherung der Organisation"),
        (LegalForm.STIFTUNG, "Versicherung der Organisation"),
        (LegalForm.KIRCHE, "Versicherung der Organisation"),
        (LegalForm.WOHLFAHRT, "Versicherung der Organisation"),
        (LegalForm.INITIATIVE, "Sammelversicherung des Landes NRW"),
    ],
)
def test_the_insurance_note_follows_the_legal_form(legal_form, insurer):
    assert insurer in str(Organisation(legal_form=legal_form).insurance_note)


# --- Review ------------------------------------------------------------------------------------------
def test_a_coordinator_of_the_town_verifies_and_the_admins_are_told(
    organisation, org_admin, town_coordinator, django_capture_on_commit_callbacks
):
    org_admin.preferred_language = "en"
    org_admin.save()

    with django_capture_on_commit_callbacks(execute=True):
        organisation_verify(organisation=organisation, actor=town_coordinator)

    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.VERIFIED
    assert organisation.verified_by == town_coordinator
    assert organisation.verified_at is not None
    assert [message.to for message in mail.outbox] == [[org_admin.email]]
    assert "/en/organisationen/fluechtlingshilfe-verl/" in mail.outbox[0].body


def test_review_results_go_through_the_outbox_as_email_and_in_app(
    organisation, org_admin, town_coordinator, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        organisation_reject(organisation=organisation, actor=town_coordinator, note="Bitte Satzung ergänzen.")

    rows = Notification.objects.filter(kind="organisation.rejected", recipient=org_admin)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "inapp"]
    assert rows.first().refs == {"organisation": organisation.pk}  # ids only, no copy of the note
    assert [message.subject for message in mail.outbox] == [
        f"Ihre Organisation wurde nicht freigegeben: {organisation.name}"
    ]
    message = mail.outbox[0]
    assert "Bitte Satzung ergänzen." in message.body
    assert message.alternatives and message.alternatives[0][1] == "text/html"


def test_a_superseded_review_result_is_not_sent(organisation, org_admin, town_coordinator):
    from notifications.models import Notification
    from notifications.services import notifications_sweep

    organisation_reject(organisation=organisation, actor=town_coordinator, note="Bitte Satzung ergänzen.")
    Organisation.objects.filter(pk=organisation.pk).update(status=OrganisationStatus.VERIFIED)

    notifications_sweep()

    assert mail.outbox == []
    assert set(
        Notification.objects.filter(kind="organisation.rejected").values_list("status", flat=True)
    ) == {Notification.Status.CANCELLED}


def test_a_second_review_is_told_again(
    organisation, org_admin, town_coordinator, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    organisation_verify(organisation=organisation, actor=town_coordinator)
    organisation_verify(organisation=organisation, actor=town_coordinator)

    assert Notification.objects.filter(kind="organisation.verified", channel="email").count() == 2


def test_a_coordinator_of_another_town_cannot_review(organisation, town_coordinator_other_town):
    with pytest.raises(PermissionDenied):
        organisation_verify(organisation=organisation, actor=town_coordinator_other_town)
    with pytest.raises(PermissionDenied):
        organisation_reject(organisation=organisation, actor=town_coordinator_other_town, note="Nein.")

    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING
    assert organisation.verified_by is None


def test_people_without_a_coordinator_role_cannot_review(organisation, org_admin, editor):
    for person in (org_admin, editor):
        with pytest.raises(PermissionDenied):
            organisation_verify(organisation=organisation, actor=person)


def test_a_rejection_needs_a_reason(organisation, coordinator):
    with pytest.raises(ValidationError):
        organisation_reject(organisation=organisation, actor=coordinator, note="  ")

    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING


def test_a_rejection_records_the_note(organisation, coordinator):
    organisation_reject(organisation=organisation, actor=coordinator, note="Bitte Satzung nachreichen.")

    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.REJECTED
    assert organisation.status_note == "Bitte Satzung nachreichen."
    assert organisation.verified_by == coordinator


# --- Memberships -------------------------------------------------------------------------------------
def membership(organisation, user):
    return OrganisationMembership.objects.get(organisation=organisation, user=user)


def test_the_last_admin_can_neither_step_down_nor_be_removed(organisation, org_admin):
    own = membership(organisation, org_admin)

    with pytest.raises(ValidationError):
        membership_change_role(membership=own, actor=org_admin, role=MembershipRole.MEMBER)
    with pytest.raises(ValidationError):
        membership_remove(membership=own, actor=org_admin)

    assert membership(organisation, org_admin).role == MembershipRole.ADMIN


def test_an_admin_steps_down_once_another_admin_is_named(organisation, org_admin, org_member):
    membership_change_role(
        membership=membership(organisation, org_member), actor=org_admin, role=MembershipRole.ADMIN
    )
    membership_change_role(
        membership=membership(organisation, org_admin), actor=org_admin, role=MembershipRole.MEMBER
    )

    assert membership(organisation, org_member).role == MembershipRole.ADMIN
    assert membership(organisation, org_admin).role == MembershipRole.MEMBER


def test_an_admin_removes_a_member(organisation, org_admin, org_member):
    membership_remove(membership=membership(organisation, org_member), actor=org_admin)

    assert not OrganisationMembership.objects.filter(user=org_member).exists()


def test_members_cannot_change_roles_or_remove_anyone(organisation, org_admin, org_member):
    with pytest.raises(PermissionDenied):
        membership_change_role(
            membership=membership(organisation, org_member), actor=org_member, role=MembershipRole.ADMIN
        )
    with pytest.raises(PermissionDenied):
        membership_remove(membership=membership(organisation, org_admin), actor=org_member)

    assert membership(organisation, org_member).role == MembershipRole.MEMBER


def test_admins_of_another_organisation_cannot_touch_memberships(
    organisation, org_member, other_organisation
):
    stranger = UserFactory()
    OrganisationMembership.objects.create(organisation=other_organisation, user=stranger, role="admin")

    with pytest.raises(PermissionDenied):
        membership_remove(membership=membership(organisation, org_member), actor=stranger)


# --- Invitations -------------------------------------------------------------------------------------
def test_an_invitation_mails_a_signed_link_in_the_language_of_the_inviting_page(
    organisation, org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            organisation=organisation, actor=org_admin, email="Neu@Example.org", role="member", language="uk"
        )

    assert invitation.email == "neu@example.org"
    assert [message.to for message in mail.outbox] == [["neu@example.org"]]
    link = invitation_link(mail.outbox[0])
    assert link.startswith("/uk/organisation/einladung/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation_for_token(token) == invitation


def test_an_invitation_is_an_email_only_outbox_row_with_ids_and_the_language(organisation, org_admin):
    from notifications.models import Notification

    invitation = invitation_create(
        organisation=organisation, actor=org_admin, email="neu@example.org", language="ar"
    )

    row = Notification.objects.get(kind="organisation.invitation")
    assert (row.channel, row.email, row.language, row.recipient) == ("email", "neu@example.org", "ar", None)
    assert row.refs == {"organisation_invitation": invitation.pk}


def test_a_replaced_invitation_is_not_sent(organisation, org_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org", role="member")
        invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org", role="admin")

    assert len(mail.outbox) == 1
    assert invitation_for_token(invitation_link(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]).role == "admin"
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_no_mail_leaves_before_the_invitation_is_committed(organisation, org_admin):
    invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org")

    assert mail.outbox == []  # the test transaction never commits


def test_invitation_links_expire_after_14_days(organisation, org_admin):
    invitation = invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org")
    token = invitation_token(invitation)
    OrganisationInvitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=15)
    )

    assert invitation_for_token(token) is None


def test_a_tampered_link_is_worthless(organisation, org_admin):
    invitation = invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org")
    token = invitation_token(invitation)

    assert invitation_for_token(token[:-2] + "xx") is None
    assert invitation_for_token("abc") is None


def test_a_second_invitation_replaces_the_first_and_its_link(organisation, org_admin):
    first = invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org")
    old_token = invitation_token(first)
    second = invitation_create(
        organisation=organisation, actor=org_admin, email="neu@example.org", role="admin"
    )

    assert invitation_for_token(old_token) is None
    assert invitation_for_token(invitation_token(second)) == second
    assert OrganisationInvitation.objects.count() == 1


def test_members_and_strangers_cannot_invite(organisation, org_member, other_org_member):
    for person in (org_member, other_org_member):
        with pytest.raises(PermissionDenied):
            invitation_create(organisation=organisation, actor=person, email="neu@example.org")

    assert not OrganisationInvitation.objects.exists()


def test_inviting_a_member_again_is_refused(organisation, org_admin, org_member):
    with pytest.raises(ValidationError):
        invitation_create(organisation=organisation, actor=org_admin, email=org_member.email.upper())


def test_the_invited_person_accepts_with_their_verified_address(organisation, org_admin):
    invitation = invitation_create(
        organisation=organisation, actor=org_admin, email="neu@example.org", role="admin"
    )
    invited = UserFactory(email="neu@example.org")

    joined = invitation_accept(invitation=invitation, user=invited)

    assert (joined.organisation, joined.user, joined.role) == (organisation, invited, MembershipRole.ADMIN)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_someone_else_holding_the_link_cannot_accept(organisation, org_admin, volunteer):
    invitation = invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org")

    with pytest.raises(PermissionDenied):
        invitation_accept(invitation=invitation, user=volunteer)

    assert not OrganisationMembership.objects.filter(user=volunteer).exists()


def test_an_unverified_address_is_not_enough(organisation, org_admin):
    invitation = invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org")
    invited = UserFactory(email="neu@example.org", verified=False)

    with pytest.raises(PermissionDenied):
        invitation_accept(invitation=invitation, user=invited)


def test_an_invitation_is_accepted_once(organisation, org_admin):
    invitation = invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org")
    invited = UserFactory(email="neu@example.org")
    invitation_accept(invitation=invitation, user=invited)

    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=invited)


def test_an_invitation_as_admin_promotes_a_member_but_none_demotes(organisation, org_admin, org_member):
    second_admin = UserFactory(email="zweite@example.org")
    OrganisationMembership.objects.create(organisation=organisation, user=second_admin, role="admin")
    OrganisationInvitation.objects.create(organisation=organisation, email=org_member.email, role="admin")
    OrganisationInvitation.objects.create(organisation=organisation, email=second_admin.email, role="member")

    for invitation in OrganisationInvitation.objects.all():
        invitation_accept(
            invitation=invitation, user=org_member if invitation.role == "admin" else second_admin
        )

    assert membership(organisation, org_member).role == MembershipRole.ADMIN
    assert membership(organisation, second_admin).role == MembershipRole.ADMIN


# --- Coordinator roles -------------------------------------------------------------------------------
def test_assigning_a_coordinator_role_makes_the_person_staff_in_the_coordination_group(
    coordinator, volunteer
):
    role = coordinator_role_assign(
        actor=coordinator, user=volunteer, whole_district=False, kommunen=Kommune.objects.filter(name="Verl")
    )

    volunteer.refresh_from_db()
    assert volunteer.is_staff
    assert volunteer.groups.filter(name="Koordination").exists()
    assert [k.name for k in role.kommunen.all()] == ["Verl"]


def test_a_district_wide_role_lists_no_towns(coordinator, volunteer):
    role = coordinator_role_assign(
        actor=coordinator, user=volunteer, whole_district=True, kommunen=Kommune.objects.all()
    )

    assert role.whole_district
    assert not role.kommunen.exists()


def test_a_role_needs_a_town_or_the_whole_district(coordinator, volunteer):
    with pytest.raises(ValidationError):
        coordinator_role_assign(actor=coordinator, user=volunteer, whole_district=False, kommunen=[])

    assert not CoordinatorRole.objects.filter(user=volunteer).exists()


def test_town_coordinators_and_others_cannot_assign_roles(town_coordinator_other_town, org_admin, volunteer):
    for person in (town_coordinator_other_town, org_admin):
        with pytest.raises(PermissionDenied):
            coordinator_role_assign(actor=person, user=volunteer, whole_district=True, kommunen=[])

    volunteer.refresh_from_db()
    assert not volunteer.is_staff


def test_superusers_assign_roles_even_before_any_group_exists(superuser, volunteer, reference_data):
    Group.objects.filter(name="Koordination").delete()

    coordinator_role_assign(actor=superuser, user=volunteer, whole_district=True, kommunen=[])

    assert volunteer.groups.filter(name="Koordination").exists()


def test_revoking_a_role_ends_staff_access_unless_another_staff_group_remains(coordinator, roles):
    plain = UserFactory(email="ehemals@example.org")
    also_editor = with_totp(UserFactory(email="beides@example.org", groups=["Redaktion"]))
    for person in (plain, also_editor):
        coordinator_role_assign(actor=coordinator, user=person, whole_district=True, kommunen=[])

    for person in (plain, also_editor):
        coordinator_role_revoke(actor=coordinator, role=person.coordinator_role)
        person.refresh_from_db()

    assert not plain.is_staff
    assert also_editor.is_staff
    assert not plain.groups.exists()
    assert not CoordinatorRole.objects.filter(user__in=[plain, also_editor]).exists()
