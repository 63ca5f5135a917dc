"""Swedish text material for the reconstructed submissions (composed per project by
:func:`samverkan.synth.reports.project_texts`).

Every free-text answer is composed from many phrase fragments, so no two projects read alike. The
answers that the codebook's keyword taxonomy reads (the actor and target-group texts) are built
*from* the project's flags: a fragment that names a keyword is used only when the flag is set, and
the neutral fragments are chosen so that no pattern matches them. ``synth`` checks every composed
text against the taxonomy regexes and raises if a flag and a text disagree.

All sentences are written for this project (none is taken from the seed documents); they use only
characters that cp1252 can encode, because some counties send cp1252 CSV files.

The material is split by question: this module holds the shared helpers (:class:`Place` and
the template fillers), the titles, goals (2a) and activities (2b), the county boards' answers
and the contact persons; :mod:`samverkan.synth.text_actors` the actor and target-group answers
(3–5), the ones the taxonomy reads; :mod:`samverkan.synth.text_outcomes` goal fulfilment,
integration and questions 8a and 8b.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """Where a project runs: its applicant municipality (short name), the other municipalities
    in the project, and the county."""

    ort: str
    others: tuple[str, ...]
    county_short: str
    county_official: str


def genitive(name: str) -> str:
    """Swedish genitive of a place name: Kalmar → Kalmars, Borås → Borås."""
    return name if name[-1:].lower() in {"s", "x", "z"} else f"{name}s"


def join_sv(items: Sequence[str]) -> str:
    """``a``, ``a och b``, ``a, b och c``."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} och {items[-1]}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fill(template: str, place: Place) -> str:
    return template.format(
        ort=place.ort,
        ort_gen=genitive(place.ort),
        lan=place.county_short,
        lan_gen=genitive(place.county_short),
        lan_official=place.county_official,
    )


def _pick(rng: random.Random, pool: Sequence[str], place: Place) -> str:
    return _fill(rng.choice(pool), place)


def _some(rng: random.Random, pool: Sequence[str], k_min: int, k_max: int,
          place: Place) -> list[str]:
    k = rng.randint(k_min, min(k_max, len(pool)))
    return [_fill(t, place) for t in rng.sample(list(pool), k)]


# ----------------------------------------------------------------------------------- titles

_TITLE_HEADS = [
    "Samverkan mot våld i nära relationer", "Kvinnofrid i samverkan", "Trygg hemma",
    "Gemensam väg till stöd", "Våga fråga – våga se", "Kvinnofridsnätverket",
    "Barn i familjer med våld", "Samverkan kring barn som bevittnat våld",
    "En dörr in för våldsutsatta", "Stöd- och kunskapscentrum mot relationsvåld",
    "Handlingsplan mot våld i nära relationer", "Familjefrid", "Mansmottagning i samverkan",
    "Hedersrelaterat våld – kunskap och samverkan", "Skyddat boende i samverkan",
    "Relationsvåldsteam", "Kvinnofridsteam", "Samordnad kvinnofrid",
    "Gemensamma rutiner mot våld i nära relationer", "Utbildning i kvinnofrid",
    "Tidig upptäckt av våld", "Barnens röst", "Trappan-samverkan", "Våldet i fokus",
    "Kompetenslyft kvinnofrid", "Samverkansmodell för kvinnofrid", "Nätverk mot våld",
    "Ett tryggare liv", "Kvinnofridsslingan", "Stödkedjan",
]
_TITLE_TAILS = [
    " i {ort}", " – {ort}", " {ort}", " i {lan_official}", " i {ort} med omnejd", "", "",
    " {ort_gen} kommun",
    " – ett samverkansprojekt i {ort}", " – {lan_official}", " – {ort}, {lan_official}",
]
"""A title names only the project's own municipality or its whole county (by the county's
official name, never the short one, which can be a municipality's too: Jönköping, Kalmar), never
a part of the county ("i nordöstra Stockholm" once titled a project in Huddinge): the generator
knows no geography below the county. Eleven tails, as before, so the draws after them stay."""


def title(rng: random.Random, place: Place) -> str:
    """A project name."""
    head = rng.choice(_TITLE_HEADS)
    tail = rng.choice(_TITLE_TAILS)
    if place.others and rng.random() < 0.3:
        tail = f" i {join_sv([place.ort, *place.others])}"
    return _fill(head + tail, place)


# ------------------------------------------------------------------------------ goals (2a)

_GOAL_OPENINGS = [
    "Målet är att utveckla en fungerande samverkan mellan socialtjänsten och de andra aktörer i "
    "{ort} som möter våld i nära relationer.",
    "Projektet ska ge {ort_gen} kommun en gemensam struktur för hur våldsutsatta kvinnor och "
    "deras barn tas emot och får stöd.",
    "Syftet är att stärka samverkan i kvinnofridsarbetet så att den som söker hjälp inte ska "
    "behöva berätta sin historia flera gånger.",
    "Vi vill skapa en sammanhållen kedja av insatser från första kontakt till avslutat stöd.",
    "Insatsen ska samla de verksamheter som möter våldsutsatta i en arbetsgrupp med fasta "
    "mötestider och ett gemensamt uppdrag.",
    "Målet är en gemensam handlingsplan mot våld i nära relationer som är förankrad hos alla "
    "berörda huvudmän.",
    "Genom projektet ska personalen i de berörda verksamheterna få en gemensam grundkunskap om "
    "mäns våld mot kvinnor.",
    "Projektet syftar till att ta fram rutiner för hur verksamheterna upptäcker våld, frågar om "
    "våld och slussar vidare.",
    "Kommunerna vill bygga upp en gemensam stödfunktion dit våldsutsatta kan vända sig oavsett "
    "var i {lan} de bor.",
    "Avsikten är att göra kvinnofridsarbetet mindre beroende av enskilda eldsjälar och i stället "
    "bygga det på överenskommelser mellan huvudmännen.",
    "Målet är att förkorta tiden från det att våldet upptäcks till dess att kvinnan och barnen "
    "får stöd.",
    "Projektet ska pröva en modell för samverkan på både lednings- och handläggarnivå.",
    "Vi vill få en samlad bild av hur våldet i nära relationer ser ut i {ort} och vilka "
    "insatser som saknas.",
    "Syftet är att ge våldsutsatta i glesbygden samma tillgång till stöd som i centralorten.",
    "Insatsen ska skapa ett gemensamt språk och en samsyn kring våld i nära relationer mellan "
    "myndigheter och ideella organisationer.",
    "Målet är att samverkansavtal ska tecknas mellan kommunen och de viktigaste parterna.",
]
_GOAL_AREAS = {
    "area_women": [
        "Tyngdpunkten ligger på stödet till kvinnor som utsatts för våld av en närstående.",
        "Våldsutsatta kvinnor ska få ett snabbare och mer samordnat stöd.",
        "Kvinnor som lever med våld ska lättare hitta rätt väg in till hjälp.",
    ],
    "area_children": [
        "Barn som har levt med våld i familjen ska uppmärksammas tidigare och erbjudas "
        "stödsamtal.",
        "Barnens situation ska lyftas fram i varje ärende där våld förekommer.",
        "Ett särskilt mål är att barn som bevittnat våld ska få eget stöd.",
    ],
    "area_men": [
        "Män som utövar våld ska erbjudas behandling så att våldet upphör.",
        "Insatsen omfattar också samtalsbehandling för män som använder våld.",
    ],
    "area_honour": [
        "Arbetet omfattar även hedersrelaterat våld och förtryck.",
        "Kunskapen om hedersrelaterat våld ska höjas i alla berörda verksamheter.",
    ],
    "area_housing": [
        "En del av projektet gäller tillgången till skyddat boende.",
        "Tillgången till platser i skyddat boende ska samordnas med grannkommunerna.",
    ],
    "family": [
        "Insatsen bygger på ett helhetsperspektiv där kvinnan, barnen och mannen får stöd var för "
        "sig men inom samma samverkan.",
        "Hela familjen ska mötas: kvinnan, barnen och den man som utövar våldet.",
    ],
}
_GOAL_COOP = {
    "coop_new": [
        "En ny samverkansgrupp ska bildas med representanter från alla berörda parter.",
        "Samverkan ska byggas upp från grunden eftersom någon gemensam struktur inte finns i dag.",
        "Ett nytt samverkansforum ska inrättas och mötas regelbundet.",
    ],
    "coop_existing": [
        "Den samverkan som redan finns ska fördjupas och få en fastare form.",
        "Det befintliga nätverket ska breddas och få ett tydligare uppdrag.",
        "Arbetet bygger vidare på den samverkansgrupp som funnits några år.",
    ],
    "coop_evaluate": [
        "Den nuvarande samverkansmodellen ska utvärderas så att den kan förbättras.",
        "En extern utvärdering ska visa vad den befintliga samverkan har gett.",
    ],
}


def goal_text(rng: random.Random, place: Place, areas: dict[str, bool],
              coop: dict[str, bool]) -> str:
    """Question 1 / 2a: the goal of the project."""
    parts = [_pick(rng, _GOAL_OPENINGS, place)]
    if areas.get("area_women") and areas.get("area_children") and areas.get("area_men"):
        parts.append(rng.choice(_GOAL_AREAS["family"]))
    else:
        keys = [k for k in ("area_women", "area_children", "area_men") if areas.get(k)]
        for key in rng.sample(keys, min(len(keys), 2)):
            parts.append(rng.choice(_GOAL_AREAS[key]))
    for key in ("area_honour", "area_housing"):
        if areas.get(key) and rng.random() < 0.6:
            parts.append(rng.choice(_GOAL_AREAS[key]))
    for key in ("coop_new", "coop_existing", "coop_evaluate"):
        if coop.get(key) and rng.random() < 0.7:
            parts.append(rng.choice(_GOAL_COOP[key]))
    return " ".join(parts)


# ------------------------------------------------------------------------- activities (2b)

_ACT_TRAINING = [
    "Två utbildningsdagar om våld i nära relationer har hållits för personal från socialtjänst, "
    "vård och rättsväsende.",
    "En grundutbildning i kvinnofrid har genomförts i fyra omgångar.",
    "Personalen har gått en webbaserad utbildning och därefter träffats i blandade "
    "diskussionsgrupper.",
    "En halvdagskonferens om barn som upplever våld samlade ett hundratal deltagare.",
    "Nyckelpersoner har utbildats i att använda en strukturerad bedömning av risk för våld.",
    "Föreläsningar om hedersrelaterat våld har anordnats för skolpersonal och socialsekreterare.",
    "En högskolekurs om mäns våld mot kvinnor har erbjudits de samverkande parterna.",
    "Studiecirklar om bemötande har genomförts på flera arbetsplatser.",
]
_ACT_COOP = [
    "Samverkansgruppen har träffats en gång i månaden under hela projekttiden.",
    "En gemensam rutin för hur ärenden ska föras vidare mellan verksamheterna har tagits fram.",
    "En kartläggning av befintliga insatser har gjorts och presenterats för ledningsgruppen.",
    "Ett samverkansavtal har skrivits under av kommunen och de andra huvudmännen.",
    "En projektledare på halvtid har anställts för att hålla ihop arbetet.",
    "Informationsmaterial på flera språk har tagits fram och spridits.",
    "En gemensam telefonlinje för rådgivning till personal har öppnats.",
    "Ärendekonsultationer med deltagare från flera myndigheter hålls varannan vecka.",
    "En handbok för personalen om våld i nära relationer har skrivits och tryckts.",
    "Ett nätverk för kvinnofridssamordnare i länet har startats.",
    "Rutiner för att fråga om våld har införts vid nybesök inom socialtjänsten.",
    "Stödgrupper för barn har startats i samarbete med de andra parterna.",
    "En gemensam lägesbild har tagits fram och följs upp varje halvår.",
]
_ACT_EARLY = [
    "Hittills har en styrgrupp bildats och de första mötena hållits.",
    "Under hösten har projektplanen förankrats hos de samverkande parterna.",
    "Arbetet har kommit i gång senare än planerat, men en projektledare är nu på plats.",
    "De första utbildningstillfällena är genomförda och fler är planerade till våren.",
    "En nulägesbeskrivning har påbörjats och beräknas vara klar under nästa år.",
]


def activities_text(rng: random.Random, place: Place, training: bool, early: bool) -> str:
    """Question 2b: what has been done so far (``early``: little done yet)."""
    parts: list[str] = []
    if early:
        parts.append(_pick(rng, _ACT_EARLY, place))
    if training:
        parts += _some(rng, _ACT_TRAINING, 1, 2, place)
    parts += _some(rng, _ACT_COOP, 1 if training else 2, 3, place)
    rng.shuffle(parts)
    return " ".join(parts)


_COOP_OTHER = [
    "Gemensam kompetensutveckling som grund för framtida samverkan.",
    "Samordning av kommunens interna arbete mellan socialtjänstens enheter.",
    "Kartläggning av behov inför en kommande samverkansstruktur.",
    "Informationsinsatser riktade till allmänheten.",
    "Ett gemensamt utbildningsprogram för flera förvaltningar.",
    "Regionalt nätverk för erfarenhetsutbyte.",
]


def coop_other_text(rng: random.Random, place: Place) -> str:
    """Question 1a / 2a "Annat, ange vad"."""
    return _pick(rng, _COOP_OTHER, place)


# ------------------------------------------------------------- the county boards' answers

_BOARD_PREREQ = [
    "En förutsättning är att kommunerna har en intern samverkan mellan socialtjänstens olika "
    "delar innan de samverkar med andra.",
    "Ledningens engagemang och ett tydligt mandat för dem som deltar är avgörande.",
    "Samverkan kräver gemensamma mål och en gemensam bild av problemet.",
    "Små kommuner i {lan} behöver samverka över kommungränserna för att klara uppdraget.",
    "Länsstyrelsen kan stödja arbetet genom regionala nätverk och återkommande utbildningar.",
    "Länsstyrelsen kan bidra med överblick över läget i {lan} och sprida goda exempel.",
    "Det behövs stabil finansiering så att arbetet inte står och faller med projektmedel.",
    "Länsstyrelsen bör fortsätta samla kommunernas kvinnofridssamordnare i {lan}.",
    "Rollerna mellan kommunerna och de ideella organisationerna behöver tydliggöras.",
    "Det behövs en gemensam definition av vad samverkan innebär.",
]
_BOARD_OTHER = [
    "Beloppen var små i förhållande till arbetet med ansökan och redovisning, och några "
    "kommuner avstod därför.",
    "Tiden mellan utlysning och sista ansökningsdag var kort det första året.",
    "Kommunerna har uppskattat att medlen kunnat användas för samverkan och inte bara för "
    "egna insatser.",
    "Det har ibland varit svårt att skilja dessa medel från andra utvecklingsmedel inom "
    "kvinnofridsområdet.",
    "Förlängningen av projekttiden gjorde att fler projekt hann avslutas.",
    "Redovisningsblanketten har fungerat väl, men frågorna om måluppfyllelse har tolkats olika.",
    "Flera projekt har gett bestående strukturer som lever vidare i {lan}.",
    "Intresset för medlen ökade markant det tredje året.",
]


def board_prerequisites_text(rng: random.Random, place: Place) -> str:
    """The county board's question 1: prerequisites for structured cooperation."""
    return " ".join(_some(rng, _BOARD_PREREQ, 2, 4, place))


def board_other_text(rng: random.Random, place: Place) -> str:
    """The county board's question 2: other information."""
    return " ".join(_some(rng, _BOARD_OTHER, 1, 3, place))


# --------------------------------------------------------------------------- contacts

FIRST_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Kerstin", "Emma", "Ingrid", "Malin",
    "Jenny", "Annika", "Linda", "Susanne", "Helena", "Johanna", "Camilla", "Åsa", "Ulrika",
    "Sofia", "Therese", "Petra", "Lotta", "Marie", "Monica", "Elin", "Hanna", "Cecilia",
    "Anneli", "Pia", "Jessica", "Nina", "Madeleine", "Gunilla", "Ylva", "Frida",
    "Lars", "Anders", "Johan", "Per", "Erik", "Mikael", "Peter", "Jonas", "Magnus", "Stefan",
    "Fredrik", "Mats", "Ulf", "Håkan", "Daniel", "Tomas", "Henrik", "Patrik", "Björn", "Göran",
)
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson",
    "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lundgren",
    "Lundqvist", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöberg",
    "Wallin", "Engström", "Eklund", "Danielsson", "Lundin", "Håkansson", "Björk", "Bergman",
    "Gunnarsson", "Holm", "Wikström", "Samuelsson", "Isaksson", "Fransson", "Bergqvist",
    "Nyström", "Holmberg", "Arvidsson", "Löfgren", "Söderberg", "Nyberg", "Blomqvist",
    "Claesson", "Nordström", "Mårtensson", "Viklund", "Björklund", "Eliasson", "Pålsson",
    "Berggren", "Sandström", "Nordin", "Åberg", "Hermansson", "Ekström", "Holmgren", "Hedlund",
)
"""Common Swedish names; names of real people in the seed documents are not among them."""

_FICTION_PHONES = (
    ("070-174 06 {n:02d}", range(5, 100)),
    ("031-390 06 {n:02d}", range(0, 100)),
    ("040-628 04 {n:02d}", range(0, 100)),
    ("0980-31 92 {n:02d}", range(0, 100)),
)
"""Number ranges that PTS (the Swedish telecoms regulator) reserves for fiction and examples."""

_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", " ": "", "-": ""})


def ascii_slug(text: str) -> str:
    """``Upplands Väsby`` → ``upplandsvasby``."""
    return text.lower().translate(_ASCII)


def contact(rng: random.Random, domain: str) -> tuple[str, str, str]:
    """A fictional contact person: name, phone (a reserved fiction number), e-mail."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    pattern, numbers = rng.choice(_FICTION_PHONES)
    phone = pattern.format(n=rng.choice(numbers))
    if rng.random() < 0.2:
        phone = phone.replace(" ", "")
    email = f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}"
    return f"{first} {last}", phone, email
