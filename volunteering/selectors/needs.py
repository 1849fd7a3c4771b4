"""Reads about needs: the public search, a need's page, the organisation's editor list, bookmarks.

The public search (`search_needs`) is built so that its cost does not grow with the number of needs:
- Full text on PostgreSQL matches the stored, GIN-indexed `search_vector` column (German snowball
  configuration, each query word as a prefix); on SQLite the folded `search_text` (volunteering.search).
- Results are ordered by publication date (or distance), never by a relevance rank over all hits.
- The result count is counted only up to `RESULT_CAP` ("mehr als 1.000"); pages are fetched with one
  extra row to know whether another page follows, so no exact count over all hits is ever needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    Expression,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import ASin, Cast, Cos, Power, Radians, Sin, Sqrt
from django.utils import timezone

from volunteering.matching import haversine_km
from volunteering.matching.geo import EARTH_RADIUS_KM
from volunteering.models import (
    ActivityType,
    Handlungsfeld,
    Kommune,
    Language,
    Need,
    NeedStatus,
    Organisation,
    OrganisationMembership,
    OrganisationStatus,
    SavedNeed,
    User,
)
from volunteering.search import light_stem, prefix_tsquery, query_words

RESULT_CAP = 1000
PAGE_SIZE = 20
MAX_PAGE = RESULT_CAP // PAGE_SIZE + 1
SORT_NEWEST, SORT_DISTANCE = "neu", "entfernung"
EDITOR_ORDER = (
    NeedStatus.PUBLISHED,
    NeedStatus.PAUSED,
    NeedStatus.DRAFT,
    NeedStatus.EXPIRED,
    NeedStatus.FILLED,
    NeedStatus.CLOSED,
)


class _SearchVectorColumn(Expression):
    """The PostgreSQL-only `search_vector` column of the need table (see migration 0005)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name('search_vector')}", []


def full_text_search_uses_index() -> bool:
    """True where the stored tsvector column exists (PostgreSQL); SQLite uses the folded-text fallback."""
    return connection.vendor == "postgresql"


def match_text(needs: QuerySet[Need], text: str, *, use_index: bool | None = None) -> QuerySet[Need]:
    """Returns `needs` narrowed to those containing every word of `text` (German stemming, prefixes)."""
    words = query_words(text)
    if not words:
        return needs
    if use_index if use_index is not None else full_text_search_uses_index():
        return needs.alias(_search_vector=_SearchVectorColumn()).filter(
            _search_vector=SearchQuery(prefix_tsquery(words), config="german", search_type="raw")
        )
    for word in words:
        needs = needs.filter(search_text__contains=light_stem(word))
    return needs


def public_needs() -> QuerySet[Need]:
    """Returns the needs anyone may see: published, not expired, of a verified organisation."""
    return Need.objects.filter(
        status=NeedStatus.PUBLISHED,
        expires_on__gte=timezone.localdate(),
        organisation__status=OrganisationStatus.VERIFIED,
    )


def is_public(need: Need) -> bool:
    return (
        need.status == NeedStatus.PUBLISHED
        and need.expires_on is not None
        and need.expires_on >= timezone.localdate()
        and need.organisation.status == OrganisationStatus.VERIFIED
    )


def distance_km(lat: float, lon: float) -> Expression:
    """Returns a database expression for the distance in km between a need and (lat, lon) (haversine)."""
    half_dlat = (Radians(F("latitude")) - Radians(Value(lat))) / 2
    half_dlon = (Radians(F("longitude")) - Radians(Value(lon))) / 2
    a = Power(Sin(half_dlat), 2) + Cos(Radians(Value(lat))) * Cos(Radians(F("latitude"))) * Power(
        Sin(half_dlon), 2
    )
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(a), output_field=FloatField())


@dataclass(frozen=True)
class NeedQuery:
    """What a visitor searches for; every field is optional."""

    text: str = ""
    kommune: Kommune | None = None
    handlungsfeld: Handlungsfeld | None = None
    activity_type: ActivityType | None = None
    language: Language | None = None
    schedule_kind: str = ""
    taster_possible: bool = False
    slots: tuple[str, ...] = ()
    under_18: bool = False
    no_german_needed: bool = False
    origin: tuple[float, float] | None = None  # lat, lon of the visitor's postcode
    radius_km: int | None = None
    sort: str = SORT_NEWEST
    towns: tuple[Kommune, ...] = field(default=(), compare=False)  # all towns, for the distance filter


def towns_within(towns: tuple[Kommune, ...], origin: tuple[float, float], radius_km: float) -> list[int]:
    """Returns the ids of the towns whose centre lies within `radius_km` of `origin`."""
    return [
        town.pk
        for town in towns
        if haversine_km(origin[0], origin[1], town.latitude, town.longitude) <= radius_km
    ]


def search_needs(query: NeedQuery, *, use_index: bool | None = None) -> QuerySet[Need]:
    """Returns the public needs matching `query`, in the requested order (not sliced)."""
    needs = match_text(public_needs(), query.text, use_index=use_index)
    if query.kommune:
        needs = needs.filter(kommune=query.kommune)
    if query.handlungsfeld:
        needs = needs.filter(handlungsfeld=query.handlungsfeld)
    if query.activity_type:
        needs = needs.filter(activity_type=query.activity_type)
    if query.language:
        needs = needs.filter(
            Exists(Need.languages.through.objects.filter(need=OuterRef("pk"), language=query.language))
        )
    if query.schedule_kind:
        needs = needs.filter(schedule_kind=query.schedule_kind)
    if query.taster_possible:
        needs = needs.filter(taster_possible=True)
    if query.under_18:
        needs = needs.filter(min_age__lt=18)
    if query.no_german_needed:
        needs = needs.filter(no_german_needed=True)
    if query.slots:
        # The JSON list as text works on every backend: ["tue-evening", …] contains "tue-evening".
        needs = needs.alias(_slots_text=Cast("slots", TextField()))
        any_slot = Q()
        for slot in query.slots:
            any_slot |= Q(_slots_text__contains=f'"{slot}"')
        needs = needs.filter(any_slot)
    if query.origin is not None:
        needs = needs.annotate(distance=distance_km(*query.origin))
        if query.radius_km:
            # Needs sit at their town's centre, so the towns in range narrow the rows through the index.
            nearby = towns_within(query.towns, query.origin, query.radius_km) if query.towns else None
            if nearby is not None:
                needs = needs.filter(kommune_id__in=nearby)
            needs = needs.filter(distance__lte=query.radius_km)
    if query.origin is not None and query.sort == SORT_DISTANCE:
        return needs.order_by("distance", "-published_at", "-pk")
    return needs.order_by("-published_at", "-pk")


@dataclass(frozen=True)
class SearchPage:
    needs: list[Need]
    count: int  # capped at RESULT_CAP + 1
    page: int
    has_next: bool

    @property
    def more_than_cap(self) -> bool:
        return self.count > RESULT_CAP

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def capped_count(needs: QuerySet[Need], cap: int = RESULT_CAP) -> int:
    """Returns the number of rows up to `cap + 1` (so "more than cap" can be told apart)."""
    return needs.order_by().values("pk")[: cap + 1].count()


def with_listing_relations(needs: QuerySet[Need]) -> QuerySet[Need]:
    return needs.select_related("organisation", "kommune", "activity_type", "handlungsfeld").prefetch_related(
        "languages"
    )


def search_page(query: NeedQuery, page: int = 1) -> SearchPage:
    """Returns one page of results and the capped count: two queries, plus one for the languages."""
    page = max(1, min(page, MAX_PAGE))
    needs = search_needs(query)
    offset = (page - 1) * PAGE_SIZE
    rows = list(with_listing_relations(needs)[offset : offset + PAGE_SIZE + 1])
    count = capped_count(needs)
    return SearchPage(needs=rows[:PAGE_SIZE], count=count, page=page, has_next=len(rows) > PAGE_SIZE)


# --- A need's page -------------------------------------------------------------------------------------
def need_for_viewer(user: User, pk: int) -> tuple[Need, bool] | None:
    """Returns the need and whether the viewer sees it as a member (preview), or None if they may not.

    The public sees published needs of verified organisations; members of the need's organisation see
    it in every status.
    """
    need = (
        Need.objects.select_related("organisation", "kommune", "activity_type", "handlungsfeld")
        .prefetch_related("languages")
        .filter(pk=pk)
        .first()
    )
    if need is None:
        return None
    is_member = (
        user.is_authenticated
        and OrganisationMembership.objects.filter(user=user, organisation_id=need.organisation_id).exists()
    )
    if is_member:
        return need, True
    if is_public(need):
        return need, False
    return None


def is_saved(user: User, need: Need) -> bool:
    return user.is_authenticated and SavedNeed.objects.filter(user=user, need=need).exists()


def saved_needs_of(user: User) -> QuerySet[SavedNeed]:
    """Returns the person's bookmarks, newest first, with the needs (public or not any more)."""
    return (
        SavedNeed.objects.filter(user=user)
        .select_related("need__organisation", "need__kommune", "need__activity_type", "need__handlungsfeld")
        .annotate(is_public=Exists(public_needs().filter(pk=OuterRef("need_id"))))
        .order_by("-created_at")
    )


def public_need(pk: int) -> Need | None:
    """Returns the need if the public may see it."""
    return public_needs().filter(pk=pk).first()


# --- The organisation's editor -------------------------------------------------------------------------
def needs_of_organisation(organisation: Organisation) -> QuerySet[Need]:
    """Returns all needs of the organisation for its editor list: current ones first, then the newest."""
    order = Case(
        *(When(status=status, then=Value(rank)) for rank, status in enumerate(EDITOR_ORDER)),
        default=Value(len(EDITOR_ORDER)),
    )
    return (
        Need.objects.filter(organisation=organisation)
        .select_related("kommune", "activity_type")
        .order_by(order, "-created_at")
    )


def need_of_organisation(organisation: Organisation, pk: int) -> Need | None:
    """Returns the need `pk` if it belongs to `organisation` (the caller checked the membership)."""
    return (
        Need.objects.filter(organisation=organisation, pk=pk)
        .select_related("organisation", "kommune", "activity_type", "handlungsfeld")
        .first()
    )
