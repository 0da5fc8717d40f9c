"""Curated knowledge that the reference CSVs do not carry themselves.

The CSVs name claimants as free text ("Islamic Resistance in Iraq (per Al Mayadeen
reports)", "resistance groups (unnamed)") and the seed article is prose. Turning those
into actors, roles and events takes judgement; the judgement lives here, in one place a
reviewer can read, rather than spread through parsing code.

Rules followed:
- Never invent a claimant. "Unclaimed" stays unclaimed; an unnamed group becomes the
  explicit "unidentified" actor (as ACLED does), never a guessed name.
- A claim that is only *expected* or an attribution by a third party is
  ``attributed_to``, not ``claimed_by``.
- The raw text, with its qualifier, is kept on the involvement and the citations.
- Rows the notes call one event reported twice stay two incidents, linked for the
  corroboration review (``PROBABLE_DUPLICATES``), never merged or dropped here.
"""

import datetime
from dataclasses import dataclass, field

IRI = "islamic-resistance-in-iraq"
UNIDENTIFIED = "unidentified-iraqi-armed-group"
COALITION = "us-led-coalition"


@dataclass(frozen=True)
class ActorEntry:
    slug: str
    name: str
    name_ar: str
    kind: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None


# Parents come before their members so fixtures load in order.
ACTORS: tuple[ActorEntry, ...] = (
    ActorEntry(
        IRI,
        "Islamic Resistance in Iraq",
        "المقاومة الإسلامية في العراق",
        "armed_group",
        (
            "IRI",
            "Islamic Resistance",
            "المقاومة الإسلامية",
            "Islamic Front for the Iraqi Resistance",
            "al-Muqawama al-Islamiya fi al-Iraq",
        ),
    ),
    ActorEntry(
        "kataib-hezbollah",
        "Kataib Hezbollah",
        "كتائب حزب الله",
        "armed_group",
        ("Kata'ib Hizballah", "KH", "Hezbollah Brigades", "كتائب حزب الله العراقية"),
        parent=IRI,
    ),
    ActorEntry(
        "kataib-sayyid-al-shuhada",
        "Kataib Sayyid al-Shuhada",
        "كتائب سيد الشهداء",
        "armed_group",
        ("Kata'ib Sayyid al-Shuhada", "KSS", "Masters of the Martyrs Brigade"),
        parent=IRI,
    ),
    ActorEntry(
        "tashkil-al-waritheen",
        "Tashkil al-Waritheen",
        "تشكيل الوارثين",
        "armed_group",
        ("Tashkil al-Warithin", "Formation of the Inheritors"),
        parent=IRI,
    ),
    ActorEntry(
        UNIDENTIFIED,
        "Unidentified Iran-aligned Iraqi armed group",
        "فصيل عراقي مسلح غير محدد",
        "unidentified",
        (
            "resistance groups (unnamed)",
            "Iraqi resistance group",
            "Iran-backed militia",
        ),
    ),
    ActorEntry(
        "irgc",
        "Islamic Revolutionary Guard Corps",
        "الحرس الثوري الإيراني",
        "state_force",
        ("IRGC", "Revolutionary Guards", "Pasdaran"),
    ),
    ActorEntry(
        "popular-mobilization-forces",
        "Popular Mobilization Forces",
        "الحشد الشعبي",
        "state_force",
        ("PMF", "PMU", "Hashd al-Shaabi", "al-Hashd al-Shaabi"),
    ),
    ActorEntry(
        "syrian-general-intelligence",
        "Syrian General Intelligence Directorate",
        "إدارة المخابرات العامة",
        "state_force",
        ("General Intelligence Directorate", "Syrian intelligence"),
    ),
    ActorEntry(
        "syrian-republican-guard",
        "Syrian Republican Guard",
        "الحرس الجمهوري",
        "state_force",
        ("Republican Guard",),
    ),
    ActorEntry(
        COALITION,
        "US-led coalition (CJTF-OIR)",
        "التحالف الدولي",
        "coalition",
        (
            "Global Coalition",
            "International coalition",
            "Combined Joint Task Force - Operation Inherent Resolve",
            "CJTF-OIR",
            "قوات التحالف",
        ),
    ),
    ActorEntry(
        "us-forces",
        "United States Armed Forces",
        "القوات الأمريكية",
        "state_force",
        ("US forces", "US military", "CENTCOM"),
        parent=COALITION,
    ),
    ActorEntry(
        "us-government",
        "United States Government",
        "الحكومة الأمريكية",
        "government",
        ("US Treasury", "US State Department", "OFAC", "وزارة الخزانة الأمريكية"),
    ),
    ActorEntry(
        "sdf",
        "Syrian Democratic Forces",
        "قوات سوريا الديمقراطية",
        "armed_group",
        ("SDF", "قسد"),
    ),
)

# Every ``claimed_by`` value of the attacks CSV, mapped to (actor slug, role).
# A value missing here is an error, so a new spelling gets a human decision.
CLAIMANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "": (),
    "Islamic Resistance in Iraq": ((IRI, "claimed_by"),),
    "Islamic Resistance in Iraq (per Al Mayadeen reports)": ((IRI, "claimed_by"),),
    "Islamic Resistance in Iraq ('Islamic Front for the Iraqi Resistance' per TASS)": (
        (IRI, "claimed_by"),
    ),
    # Expected, not made: an attribution.
    "Islamic Resistance in Iraq (claim expected per Sabereen)": (
        (IRI, "attributed_to"),
    ),
    # Both names claimed it, the umbrella's claim superseding the first.
    "Tashkil al-Waritheen (claim later superseded by Islamic Resistance in Iraq)": (
        ("tashkil-al-waritheen", "claimed_by"),
        (IRI, "claimed_by"),
    ),
    "unclaimed in source (IRI claimed Tanf attacks generally)": (),
    "resistance groups (unnamed)": ((UNIDENTIFIED, "claimed_by"),),
    "Iraqi resistance group (per SANA)": ((UNIDENTIFIED, "claimed_by"),),
    # A local activist's and the US side's descriptions: attributions, not claims.
    "Iran-backed Iraqi militia (local activist)": ((UNIDENTIFIED, "attributed_to"),),
    "Iran-backed militia (Kataib Hezbollah fighter killed in US response)": (
        (UNIDENTIFIED, "attributed_to"),
    ),
    # Second file (December 2023 - February 2024).
    # SOHR, a monitor, says where the rockets came from; IRI itself claimed nothing.
    "Islamic Resistance in Iraq (attributed by SOHR)": ((IRI, "attributed_to"),),
    # The US blamed Kataib Hezbollah (an IRI member: "IRI brand"); no claim is
    # recorded, so neither KH nor the umbrella is a claimant.
    "Kataib Hezbollah (per US; IRI brand)": (("kataib-hezbollah", "attributed_to"),),
    # Unnamed, as "resistance groups (unnamed)" above.
    "Iraqi resistance groups": ((UNIDENTIFIED, "claimed_by"),),
    # The US named Kataib Hezbollah (and struck it); "Iran-backed militia" is the
    # same blame in general words, not a second group.
    "Kataib Hezbollah / Iran-backed militia (per US)": (
        ("kataib-hezbollah", "attributed_to"),
    ),
    # Tower 22: IRI claimed it; the US said it had Kataib Hezbollah's "footprints".
    "Islamic Resistance in Iraq (US: Kataib Hezbollah 'footprints')": (
        (IRI, "claimed_by"),
        ("kataib-hezbollah", "attributed_to"),
    ),
    # A news agency's description of unnamed attackers: an attribution.
    "Shiite militias (per TASS)": ((UNIDENTIFIED, "attributed_to"),),
}


@dataclass(frozen=True)
class AttackRow:
    """One row of the attacks CSVs, by what identifies it: date, site and weapon
    (two rows of a day at one site differ by weapon)."""

    date: datetime.date
    site: str
    weapon: str

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.site} {self.weapon}"


@dataclass(frozen=True)
class ProbableDuplicate:
    """Two rows whose notes say they may be one event reported twice.

    Both stay incidents; a ``MergeProposal`` links them for a reviewer. ``phrase``
    is the note's own words (in ``row``'s notes, verbatim) and becomes the
    proposal's reason. Only pairs the notes state are listed: none is inferred.
    """

    row: AttackRow  # the row whose note raises the doubt
    candidate: AttackRow  # the row it may repeat
    phrase: str


PROBABLE_DUPLICATES: tuple[ProbableDuplicate, ...] = (
    ProbableDuplicate(
        AttackRow(datetime.date(2023, 10, 17), "ain-al-asad", "drone"),
        AttackRow(datetime.date(2023, 10, 18), "ain-al-asad", "drone"),
        "Other outlets (NBC/CENTCOM) put the Al-Asad attacks on Oct 18 - possible "
        "duplicate of next-day row",
    ),
    ProbableDuplicate(
        AttackRow(datetime.date(2023, 10, 19), "al-tanf", "drone"),
        AttackRow(datetime.date(2023, 10, 18), "al-tanf", "drone"),
        "may be the same event the Pentagon dated Oct 18",
    ),
    ProbableDuplicate(
        AttackRow(datetime.date(2023, 11, 20), "ain-al-asad", "drone"),
        AttackRow(datetime.date(2023, 11, 20), "ain-al-asad", "missile"),
        "may overlap with the ballistic-missile attack the same evening",
    ),
)

# The tag every ``notes`` value starts with, and the stance it gives each source.
NOTE_TAG_STANCES: dict[str, str] = {
    "[confirmed: US official/CENTCOM]": "confirms",
    "[confirmed: Iraqi/Kurdish officials, SDF or SOHR; not US]": "confirms",
    "[claim/unverified: militia statement or partisan/local media only]": "claims",
}

# Hosts whose pages are official statements, or independent monitors.
OFFICIAL_HOSTS = ("defense.gov", "centcom.mil", "state.gov", "treasury.gov")
MONITOR_HOSTS = ("syriahr.com", "washingtoninstitute.org", "crisisgroup.org")


SEED_ARTICLE = {
    "file": "000_f7ba5510ad944d36.txt",
    "publisher": "Political Keys",
    "language": "ar",
    "kind": "news",
}


@dataclass(frozen=True)
class SeedEvent:
    external_id: str
    occurred_on: datetime.date
    event_type: str
    weapon: str
    sites: tuple[str, ...]
    country: str
    summary: str
    quote: str  # must appear verbatim in the article
    involvements: tuple[tuple[str, str, str], ...] = field(
        default=()
    )  # slug, role, note


SEED_EVENTS: tuple[SeedEvent, ...] = (
    SeedEvent(
        "BW-SEED-1",
        datetime.date(2023, 11, 15),
        "attack",
        "rocket",
        ("al-omar",),
        "SY",
        "Rocket shells hit the international coalition base at the al-Omar oil field "
        "in eastern Syria on the evening of Wednesday 15 November 2023.",
        "وتعرضت قاعدة التحالف الدولي في حقل العمر النفطي شرقي سوريا، مساء الأربعاء 15 "
        "تشرين الثاني/ نوفمبر الحالي، لاستهداف بقذائف صاروخية",
        ((COALITION, "target", ""),),
    ),
    SeedEvent(
        "BW-SEED-2",
        datetime.date(2023, 11, 16),
        "meeting",
        "",
        ("al-mayadin",),
        "SY",
        "High-level meeting in al-Mayadin, south-east of Deir ez-Zor, on the morning "
        "of Thursday 16 November: Maj. Gen. Hussam Louka, head of Syria's General "
        "Intelligence Directorate, ordered Iran-backed militia leaders to stop all "
        "military operations in the area, including those against US bases, "
        "threatening penalties. Republican Guard officers and Iraqi Popular "
        "Mobilization leaders attended (private sources to Political Keys, "
        "reported Saturday 18 November).",
        "الاجتماع الذي عقد صباح يوم الخميس الـ16 من تشرين الثاني/ نوفمبر الجاري",
        (
            ("syrian-general-intelligence", "perpetrator", "chaired; issued the order"),
            ("syrian-republican-guard", "perpetrator", "attended"),
            ("popular-mobilization-forces", "perpetrator", "attended"),
        ),
    ),
    SeedEvent(
        "BW-SEED-3",
        datetime.date(2023, 11, 17),
        "sanction",
        "",
        (),
        "",
        "On Friday 17 November the US sanctioned members of Kataib Hezbollah "
        "(including a commander said to have trained fighters with the IRGC) and "
        "designated Kataib Sayyid al-Shuhada and its secretary-general Abu Ala "
        "al-Walai as Specially Designated Global Terrorists. Al-Walai called the "
        "sanctions 'a badge of honour' on Telegram late on Friday.",
        "أصدرت الولايات المتحدة يوم الجمعة، عقوبات ضد عدد من أعضاء كتائب “حزب الله”",
        (
            ("us-government", "perpetrator", "US Treasury and State Department"),
            ("kataib-hezbollah", "target", "members sanctioned"),
            ("kataib-sayyid-al-shuhada", "target", "designated with its leader"),
        ),
    ),
    SeedEvent(
        "BW-SEED-4",
        datetime.date(2023, 11, 18),
        "statement",
        "",
        (),
        "",
        "Abu Ali al-Askari, a security official of the Islamic Resistance in Iraq, "
        "dismissed the US sanctions as 'ridiculous' in a Telegram statement on "
        "Saturday 18 November, saying they would not affect the group's operations.",
        "ورفض أبو علي العسكري، وهو مسؤول أمني في “المقاومة الإسلامية” في بيان على "
        "تطبيق تليغرام، السبت، العقوبات ووصفها بأنها “سخيفة”",
        ((IRI, "perpetrator", "statement by security official Abu Ali al-Askari"),),
    ),
)
