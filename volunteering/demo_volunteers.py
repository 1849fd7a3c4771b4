"""Demo volunteers with varied profiles across the towns and languages. Idempotent."""

from allauth.account.models import EmailAddress
from django.db import transaction

from volunteering.demo import DEMO_PASSWORD
from volunteering.models import (
    ActivityType,
    Consent,
    ConsentText,
    Handlungsfeld,
    Kommune,
    Language,
    ProfileLanguage,
    User,
    VolunteerProfile,
)

# (email, first name, birth year, postcode, radius, languages {code: level}, fields, activities, slots,
#  hours, forms, status, motivation)
VOLUNTEERS = [
    (
        "freiwillig@demo.example",
        "Lena",
        1994,
        "33415",
        10,
        {"de": 7, "en": 5, "ar": 2},
        ["sprache-bildung"],
        ["sprachpatenschaft", "hausaufgabenhilfe"],
        ["tue-evening", "thu-evening", "sat-morning"],
        2,
        ["tandem", "regular"],
        "onboarding",
        "Ich habe selbst ein Jahr in Jordanien gelebt und weiß, wie es ist, neu zu sein.",
    ),
    (
        "ahmad@demo.example",
        "Ahmad",
        1988,
        "33330",
        15,
        {"ar": 7, "de": 5, "en": 4},
        ["professionalisierung-institutionen"],
        ["sprachmittlung", "begleitung-aemter"],
        ["mon-afternoon", "wed-afternoon"],
        4,
        ["regular", "crisis-pool"],
        "active",
        "Ich bin 2015 gekommen und möchte heute anderen den Weg zeigen.",
    ),
    (
        "olena@demo.example",
        "Olena",
        1979,
        "33378",
        10,
        {"uk": 7, "ru": 7, "de": 3},
        ["sprache-bildung", "zusammenleben-teilhabe"],
        ["sprachcafe", "familienpatenschaft"],
        ["sat-afternoon", "sun-afternoon"],
        2,
        ["tandem", "one-off"],
        "active",
        "Als Lehrerin aus Charkiw helfe ich gern beim Deutschlernen.",
    ),
    (
        "peter@demo.example",
        "Peter",
        1956,
        "33397",
        25,
        {"de": 7, "en": 3},
        ["arbeit-wirtschaft"],
        ["ausbildungspatenschaft", "bewerbungshilfe"],
        ["mon-morning", "tue-morning", "wed-morning"],
        8,
        ["tandem", "regular"],
        "active",
        "40 Jahre Handwerksmeister – jetzt gebe ich weiter, was ich weiß.",
    ),
    (
        "ioana@demo.example",
        "Ioana",
        1998,
        "33428",
        10,
        {"ro": 7, "de": 6, "en": 5},
        ["gesundheit-pflege"],
        ["sprachmittlung"],
        ["fri-afternoon", "fri-evening"],
        2,
        ["regular"],
        "onboarding",
        "Ich arbeite in der Pflege und übersetze gern für Familien aus Rumänien.",
    ),
    (
        "mehmet@demo.example",
        "Mehmet",
        1970,
        "33442",
        10,
        {"tr": 7, "de": 7, "ku": 5},
        ["zusammenleben-teilhabe"],
        ["freizeit-sport"],
        ["sat-morning", "sun-morning"],
        2,
        ["one-off", "regular"],
        "paused",
        "",
    ),
    (
        "sara@demo.example",
        "Sara",
        2009,
        "33803",
        5,
        {"de": 7, "fa": 7, "en": 4},
        ["sprache-bildung"],
        ["lesepatenschaft"],
        ["wed-afternoon"],
        1,
        ["taster"],
        "new",
        "Ich lese gern vor.",
    ),
    (
        "thomas@demo.example",
        "Thomas",
        1985,
        "33790",
        25,
        {"de": 7, "fr": 4},
        ["wohnen-mobilitaet"],
        ["fahrradwerkstatt", "wohnungssuche"],
        ["thu-evening", "sat-afternoon"],
        4,
        ["regular", "crisis-pool"],
        "active",
        "Fahrräder reparieren kann ich, Wohnungen finden lerne ich noch.",
    ),
    (
        "maria@demo.example",
        "Maria",
        1963,
        "33775",
        10,
        {"de": 7, "pl": 7, "ru": 4},
        ["zusammenleben-teilhabe"],
        ["alltagsbegleitung"],
        ["tue-morning", "thu-morning"],
        4,
        ["tandem"],
        "active",
        "Ich bin vor 30 Jahren aus Polen gekommen.",
    ),
    (
        "yusuf@demo.example",
        "Yusuf",
        2001,
        "33758",
        50,
        {"prs": 7, "fa": 7, "de": 4, "ps": 5},
        ["sprache-bildung"],
        ["sprachmittlung", "hausaufgabenhilfe"],
        ["mon-evening", "tue-evening", "sun-afternoon"],
        4,
        ["regular", "crisis-pool"],
        "onboarding",
        "Ich studiere in Bielefeld und spreche Dari und Paschtu.",
    ),
    (
        "anke@demo.example",
        "Anke",
        1975,
        "33824",
        10,
        {"de": 7, "en": 5, "es": 3},
        ["sprache-bildung"],
        ["sprachcafe"],
        ["wed-evening"],
        1,
        ["regular"],
        "active",
        "",
    ),
    (
        "svetlana@demo.example",
        "Svetlana",
        1990,
        "33449",
        10,
        {"ru": 7, "uk": 6, "de": 5, "bg": 3},
        ["gesundheit-pflege"],
        ["begleitung-aemter", "formularhilfe"],
        ["mon-morning", "fri-morning"],
        2,
        ["regular"],
        "new",
        "Formulare sind mein Spezialgebiet.",
    ),
]


@transaction.atomic
def seed_volunteers() -> int:
    """Creates or updates the demo volunteers; returns how many."""
    terms = ConsentText.objects.filter(kind="terms").order_by("-version").first()
    for (
        email,
        first_name,
        birth_year,
        postcode,
        radius,
        languages,
        fields,
        activities,
        slots,
        hours,
        forms,
        status,
        motivation,
    ) in VOLUNTEERS:
        user = User.objects.filter(email=email).first() or User(email=email)
        user.first_name = first_name
        user.birth_year = birth_year
        if not user.pk:
            user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        kommune = Kommune.objects.filter(postcodes__code=postcode).first()
        profile, _ = VolunteerProfile.objects.update_or_create(
            user=user,
            defaults={
                "display_name": first_name,
                "postcode": postcode,
                "kommune": kommune,
                "latitude": kommune.latitude if kommune else None,
                "longitude": kommune.longitude if kommune else None,
                "travel_radius_km": radius,
                "availability": slots,
                "engagement_forms": forms,
                "hours_per_week": hours,
                "motivation": motivation,
                "status": status,
                "completed_steps": list(VolunteerProfile.WIZARD_STEPS),
                "target_groups": ["any"],
            },
        )
        profile.handlungsfelder.set(Handlungsfeld.objects.filter(slug__in=fields))
        profile.activity_types.set(ActivityType.objects.filter(slug__in=activities))
        profile.languages.all().delete()
        ProfileLanguage.objects.bulk_create(
            ProfileLanguage(profile=profile, language=language, level=languages[language.code])
            for language in Language.objects.filter(code__in=languages)
        )
        if terms and not Consent.objects.filter(user=user, text=terms).exists():
            Consent.objects.create(user=user, text=terms)
    return len(VOLUNTEERS)
