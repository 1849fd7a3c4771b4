import pytest

from tests.conftest import with_totp
from tests.factories import UserFactory
from volunteering.models import AuditEntry, CoordinatorRole, Kommune, VolunteerProfile


@pytest.fixture
def profiles(reference_data):
    verl = Kommune.objects.get(name="Verl")
    guetersloh = Kommune.objects.get(name="Gütersloh")
    in_verl = VolunteerProfile.objects.create(user=UserFactory(), display_name="MARKER-VERL", kommune=verl)
    in_gt = VolunteerProfile.objects.create(user=UserFactory(), display_name="MARKER-GT", kommune=guetersloh)
    return in_verl, in_gt


@pytest.fixture
def verl_coordinator(roles, reference_data):
    user = with_totp(UserFactory(email="verl@example.org", is_staff=True, groups=["Koordination"]))
    role = CoordinatorRole.objects.create(user=user)
    role.kommunen.set([Kommune.objects.get(name="Verl")])
    return user


@pytest.mark.django_db
def test_a_town_coordinator_sees_only_volunteers_of_their_town(client, verl_coordinator, profiles):
    client.force_login(verl_coordinator)

    response = client.get("/admin/freiwillige/")

    assert response.status_code == 200
    assert "MARKER-VERL" in response.text
    assert "MARKER-GT" not in response.text


@pytest.mark.django_db
def test_another_towns_volunteer_answers_404(client, verl_coordinator, profiles):
    client.force_login(verl_coordinator)

    assert client.get(f"/admin/freiwillige/{profiles[1].pk}/").status_code == 404
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_district_coordinator_sees_everyone_and_each_view_is_audited(client, coordinator, profiles):
    client.force_login(coordinator)

    listing = client.get("/admin/freiwillige/")
    detail = client.get(f"/admin/freiwillige/{profiles[1].pk}/")

    assert "MARKER-VERL" in listing.text and "MARKER-GT" in listing.text
    assert detail.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_type, entry.object_id) == (
        coordinator,
        "view",
        "volunteering.VolunteerProfile",
        profiles[1].pk,
    )


@pytest.mark.django_db
def test_editors_cannot_see_volunteers(client, editor, profiles):
    client.force_login(editor)

    # Wagtail answers a denied admin view with a redirect to the dashboard and a message.
    for url in ("/admin/freiwillige/", f"/admin/freiwillige/{profiles[0].pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/"
        assert "MARKER" not in response.text


@pytest.mark.django_db
def test_the_list_filters_by_town_and_status(client, coordinator, profiles):
    client.force_login(coordinator)
    verl = Kommune.objects.get(name="Verl")

    response = client.get(f"/admin/freiwillige/?kommune={verl.pk}&status=new")

    assert "MARKER-VERL" in response.text and "MARKER-GT" not in response.text
