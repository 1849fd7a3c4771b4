"""Reads for tandems: queues and objects scoped by role, and the rows → facts step of tandem matching.

Scope: coordinators see the requests and tandems of their towns (all towns for a district-wide role),
a volunteer sees only the tandems proposed to them. Everyone else gets nothing, so views answer 404.

Facts: `load_matching_facts` builds `VolunteerFacts` and `RequestFacts` for a whole batch in a fixed
number of queries (value rows, no model instances), so a Kreis-sized batch loads in well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from notifications import clock
from volunteering.matching import RequestFacts, VolunteerFacts
from volunteering.models import (
    LIVE_TANDEM_STATUSES,
    ActivityType,
    AgeGroupWish,
    Kommune,
    ProfileLanguage,
    ProfileStatus,
    Tandem,
    TandemCheckIn,
    TandemRequest,
    TandemRequestLanguage,
    TandemRequestStatus,
    TandemStatus,
    User,
    VolunteerProfile,
)
from volunteering.selectors.efz import valid_efz_user_ids
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator

# Profiles in these states can be asked; paused and inactive people get no proposals.
MATCHABLE_PROFILE_STATUSES = (ProfileStatus.ONBOARDING, ProfileStatus.ACTIVE)


# --- Scoped reads ---------------------------------------------------------------------------------------
def _with_request_relations(requests: QuerySet[TandemRequest]) -> QuerySet[TandemRequest]:
    return requests.select_related("kommune", "tandem_type").prefetch_related(
        Prefetch("languages", queryset=TandemRequestLanguage.objects.select_related("language")),
        Prefetch("interests", queryset=ActivityType.objects.select_related("handlungsfeld")),
    )


def requests_for_coordinator(user: User, *, status: str | None = None) -> QuerySet[TandemRequest]:
    """Returns the requests in the coordinator's towns, longest waiting first (none for anyone else)."""
    if not is_coordinator(user):
        return TandemRequest.objects.none()
    requests = TandemRequest.objects.all()
    if not user.coordinator_role.whole_district:
        requests = requests.filter(kommune__in=coordinator_kommunen(user))
    if status:
        requests = requests.filter(status=status)
    return _with_request_relations(requests).order_by("waiting_since", "pk")


def request_for_coordinator(user: User, pk: int) -> TandemRequest | None:
    return requests_for_coordinator(user).filter(pk=pk).first()


def tandems_for_coordinator(user: User, *, live: bool | None = None) -> QuerySet[Tandem]:
    """Returns the tandems whose request lies in the coordinator's towns (none for anyone else)."""
    if not is_coordinator(user):
        return Tandem.objects.none()
    tandems = Tandem.objects.select_related("request__kommune", "request__tandem_type", "volunteer")
    if not user.coordinator_role.whole_district:
        tandems = tandems.filter(request__kommune__in=coordinator_kommunen(user))
    if live is True:
        tandems = tandems.filter(status__in=LIVE_TANDEM_STATUSES)
    elif live is False:
        tandems = tandems.exclude(status__in=LIVE_TANDEM_STATUSES)
    return tandems.order_by("-proposed_at", "-pk")


def tandem_for_coordinator(user: User, pk: int) -> Tandem | None:
    return tandems_for_coordinator(user).prefetch_related("check_ins").filter(pk=pk).first()


def tandems_of_volunteer(user: User) -> QuerySet[Tandem]:
    """Returns the tandems proposed to the person (declined and cancelled proposals stay visible)."""
    if not user.is_authenticated:
        return Tandem.objects.none()
    return (
        Tandem.objects.filter(volunteer=user)
        .select_related("request__kommune", "request__tandem_type")
        .prefetch_related(
            Prefetch("request__languages", queryset=TandemRequestLanguage.objects.select_related("language")),
            "request__interests",
        )
        .order_by("-proposed_at", "-pk")
    )


def tandem_of_volunteer(user: User, pk: int) -> Tandem | None:
    return tandems_of_volunteer(user).prefetch_related("check_ins").filter(pk=pk).first()


def check_in_of_volunteer(user: User, tandem_pk: int, number: int) -> TandemCheckIn | None:
    return (
        TandemCheckIn.objects.filter(tandem__volunteer=user, tandem_id=tandem_pk, number=number)
        .select_related("tandem")
        .first()
    )


def open_check_ins(user: User) -> QuerySet[TandemCheckIn]:
    """Returns the person's due, unanswered check-ins of active tandems."""
    return (
        TandemCheckIn.objects.filter(
            tandem__volunteer=user,
            tandem__status=TandemStatus.ACTIVE,
            answered_at__isnull=True,
            due_on__lte=clock.now().astimezone(clock.zone()).date(),
        )
        .select_related("tandem__request")
        .order_by("due_on")
    )


def live_tandem_count(user: User) -> int:
    return Tandem.objects.filter(volunteer=user, status__in=LIVE_TANDEM_STATUSES).count()


def tandem_types() -> QuerySet[ActivityType]:
    return ActivityType.objects.filter(is_tandem=True).order_by("name")


def red_flag_tandems(user: User) -> QuerySet[Tandem]:
    """Returns the coordinator's active tandems whose latest answered check-in raised a red flag."""
    return tandems_for_coordinator(user, live=True).filter(check_ins__red_flag=True).distinct()


# --- Facts for matching --------------------------------------------------------------------------------
def _today() -> date:
    return clock.now().astimezone(clock.zone()).date()


def _age_wish(wish: str) -> str:
    """Returns the request's age wish as `RequestFacts.age_wish` reads it ("" for no wish)."""
    return wish if wish in (AgeGroupWish.OLDER, AgeGroupWish.YOUNGER, AgeGroupWish.SIMILAR) else ""


def request_facts(requests: Iterable[TandemRequest], *, today: date | None = None) -> list[RequestFacts]:
    """Returns the facts of requests whose languages, interests and tandem type are prefetched."""
    today = today or _today()
    facts = []
    for request in requests:
        # The newcomer's other interests, in the volunteers' vocabulary (activities and their fields). The
        # tandem type itself is not an interest: every candidate offers it, so it would say nothing.
        interests = set()
        for activity in request.interests.all():
            interests.update({f"activity:{activity.slug}", f"field:{activity.handlungsfeld.slug}"})
        facts.append(
            RequestFacts(
                id=request.pk,
                lat=request.latitude if request.latitude is not None else request.kommune.latitude,
                lon=request.longitude if request.longitude is not None else request.kommune.longitude,
                radius_km=float(request.radius_km),
                languages={entry.language.code: entry.level for entry in request.languages.all()},
                slots=frozenset(request.availability or ()),
                interests=frozenset(interests),
                tandem_type=request.tandem_type.slug,
                gender=request.gender or None,
                partner_gender_wish=request.partner_gender_wish or None,
                birth_year=request.birth_year,
                involves_minor=request.involves_minor,
                waiting_days=max(0, (today - request.waiting_since.astimezone(clock.zone()).date()).days),
                age_wish=_age_wish(request.age_group_wish),
            )
        )
    return facts


def open_request_facts(
    kommunen: Iterable[Kommune] | QuerySet[Kommune] | None = None, *, today: date | None = None
) -> list[RequestFacts]:
    """Returns the facts of the open requests (in `kommunen`), longest waiting first.

    The same facts as `request_facts(open_requests(kommunen))`, read as value rows in three queries
    (requests, languages, interests with their fields) instead of building a model instance per row.
    """
    today = today or _today()
    zone = clock.zone()
    requests = TandemRequest.objects.filter(status=TandemRequestStatus.OPEN)
    if kommunen is not None:
        requests = requests.filter(kommune__in=kommunen)
    rows = list(
        requests.order_by("waiting_since", "pk").values_list(
            "pk",
            "latitude",
            "longitude",
            "kommune__latitude",
            "kommune__longitude",
            "radius_km",
            "availability",
            "tandem_type__slug",
            "gender",
            "partner_gender_wish",
            "birth_year",
            "involves_minor",
            "waiting_since",
            "age_group_wish",
        )
    )
    if not rows:
        return []
    # The related rows are selected by a subquery, not by a list of thousands of ids (compiling such a
    # list costs more than the query).
    pks = requests.values("pk")
    languages: dict[int, dict[str, int]] = defaultdict(dict)
    # The same order as the prefetched `request.languages` (the model's ordering).
    for request_pk, code, level in (
        TandemRequestLanguage.objects.filter(request_id__in=pks)
        .order_by("request_id", "-level", "language__sort_order")
        .values_list("request_id", "language__code", "level")
    ):
        languages[request_pk][code] = level
    interests: dict[int, set[str]] = defaultdict(set)
    through = TandemRequest.interests.through
    for request_pk, slug, field_slug in through.objects.filter(tandemrequest_id__in=pks).values_list(
        "tandemrequest_id", "activitytype__slug", "activitytype__handlungsfeld__slug"
    ):
        interests[request_pk].update({f"activity:{slug}", f"field:{field_slug}"})
    return [
        RequestFacts(
            id=pk,
            lat=lat if lat is not None else town_lat,
            lon=lon if lon is not None else town_lon,
            radius_km=float(radius),
            languages=languages.get(pk, {}),
            slots=frozenset(slots or ()),
            interests=frozenset(interests.get(pk, ())),
            tandem_type=tandem_type,
            gender=gender or None,
            partner_gender_wish=wish or None,
            birth_year=born,
            involves_minor=minor,
            waiting_days=max(0, (today - waiting_since.astimezone(zone).date()).days),
            age_wish=_age_wish(age_wish),
        )
        for (
            pk, lat, lon, town_lat, town_lon, radius, slots, tandem_type, gender, wish, born, minor,
            waiting_since, age_wish,
        ) in rows
    ]  # fmt: skip


def volunteer_facts(profile_ids: QuerySet | Iterable[int] | None = None) -> list[VolunteerFacts]:
    """Returns the facts of every volunteer who can take one more tandem (or of the profiles given).

    Six queries whatever the number of people: profiles, languages, activity types, fields, live tandem
    counts, valid eFZ (volunteering.selectors.efz). A volunteer offers the tandem types among their
    activity types.
    """
    profiles = VolunteerProfile.objects.filter(status__in=MATCHABLE_PROFILE_STATUSES, user__is_active=True)
    if profile_ids is not None:
        profiles = profiles.filter(pk__in=profile_ids)
    # Only people who offer at least one tandem type can ever be matched.
    profiles = profiles.filter(activity_types__is_tandem=True).distinct()
    rows = list(
        profiles.values_list(
            "pk",
            "user_id",
            "latitude",
            "longitude",
            "kommune__latitude",
            "kommune__longitude",
            "travel_radius_km",
            "availability",
            "gender",
            "partner_gender_wish",
            "user__birth_year",
            "tandem_capacity",
        )
    )
    if not rows:
        return []
    # Related rows by subquery rather than by a list of thousands of ids (compiling such a list in the
    # ORM costs more than the query); only the eFZ selector gets the list.
    profile_pks = profiles.values("pk")
    user_ids = [row[1] for row in rows]
    languages: dict[int, dict[str, int]] = defaultdict(dict)
    for profile_pk, code, level in ProfileLanguage.objects.filter(profile_id__in=profile_pks).values_list(
        "profile_id", "language__code", "level"
    ):
        languages[profile_pk][code] = level
    interests: dict[int, set[str]] = defaultdict(set)
    offered: dict[int, set[str]] = defaultdict(set)
    through = VolunteerProfile.activity_types.through
    for profile_pk, slug, is_tandem in through.objects.filter(
        volunteerprofile_id__in=profile_pks
    ).values_list("volunteerprofile_id", "activitytype__slug", "activitytype__is_tandem"):
        interests[profile_pk].add(f"activity:{slug}")
        if is_tandem:
            offered[profile_pk].add(slug)
    fields = VolunteerProfile.handlungsfelder.through
    for profile_pk, slug in fields.objects.filter(volunteerprofile_id__in=profile_pks).values_list(
        "volunteerprofile_id", "handlungsfeld__slug"
    ):
        interests[profile_pk].add(f"field:{slug}")
    live = dict(
        Tandem.objects.filter(volunteer_id__in=profiles.values("user_id"), status__in=LIVE_TANDEM_STATUSES)
        .values("volunteer_id")
        .annotate(n=Count("pk"))
        .values_list("volunteer_id", "n")
    )
    efz = valid_efz_user_ids(user_ids, _today())
    facts = []
    for pk, user_id, lat, lon, town_lat, town_lon, radius, slots, gender, wish, born, capacity in rows:
        free = capacity - live.get(user_id, 0)
        if free <= 0:
            continue
        facts.append(
            VolunteerFacts(
                id=user_id,
                lat=lat if lat is not None else town_lat,
                lon=lon if lon is not None else town_lon,
                radius_km=float(radius),
                languages=languages.get(pk, {}),
                slots=frozenset(slots or ()),
                interests=frozenset(interests.get(pk, ())),
                tandem_types=frozenset(offered.get(pk, ())),
                gender=gender or None,
                partner_gender_wish=wish or None,
                birth_year=born,
                efz_valid=user_id in efz,
                capacity=free,
            )
        )
    return facts


def open_requests(kommunen: Iterable[Kommune] | QuerySet[Kommune] | None = None) -> QuerySet[TandemRequest]:
    """Returns the requests waiting in the queue (optionally in `kommunen`), longest waiting first."""
    requests = TandemRequest.objects.filter(status=TandemRequestStatus.OPEN)
    if kommunen is not None:
        requests = requests.filter(kommune__in=kommunen)
    return _with_request_relations(requests).order_by("waiting_since", "pk")


@dataclass(frozen=True)
class MatchingFacts:
    volunteers: list[VolunteerFacts]
    requests: list[RequestFacts]


def load_matching_facts(
    kommunen: Iterable[Kommune] | QuerySet[Kommune] | None = None,
) -> MatchingFacts:
    """Returns the facts of all open requests (in `kommunen`) and of every volunteer with free capacity.

    Volunteers are not limited to the towns: someone living next door in another town may be closest.
    """
    return MatchingFacts(volunteers=volunteer_facts(), requests=open_request_facts(kommunen))


def proposed_volunteer_ids(request: TandemRequest) -> set[int]:
    """Returns who was already asked for this request (they are not suggested again)."""
    return set(
        Tandem.objects.filter(request=request)
        .filter(Q(status__in=LIVE_TANDEM_STATUSES) | Q(status=TandemStatus.DECLINED))
        .values_list("volunteer_id", flat=True)
    )
