"""Swedish text material for the reconstructed submissions (``samverkan.synth.generate``).

Every free-text answer is composed from many phrase fragments, so no two projects read alike. The
answers that the codebook's keyword taxonomy reads (the actor and target-group texts) are built
*from* the project's flags: a fragment that names a keyword is used only when the flag is set, and
the neutral fragments are chosen so that no pattern matches them. ``synth`` checks every composed
text against the taxonomy regexes and raises if a flag and a text disagree.

All sentences are written for this project (none is taken from the seed documents); they use only
characters that cp1252 can encode, because some counties send cp1252 CSV files.
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
    " i {ort}", " – {ort}", " {ort}", " i {lan}", " i {ort} med omnejd", "", "",
    " {ort_gen} kommun",
    " – ett samverkansprojekt i {ort}", " i nordöstra {lan}", " i södra {lan}",
]


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


# ----------------------------------------------------------------------- actors (3 / 4)

_MUNI_PHRASES = [
    "{list} ingår i projektet med var sin kontaktperson.",
    "Socialtjänsten i {list} deltar i den gemensamma arbetsgruppen.",
    "Projektet drivs gemensamt av {list}.",
    "{list} delar på projektledare och utbildningsinsatser.",
    "Samverkan omfattar {list} genom ett gemensamt avtal.",
]
_DISTRICT_PHRASES = [
    "Flera stadsdelsförvaltningar deltar i nätverket.",
    "Tre stadsdelar i {ort} ingår med var sin samordnare.",
    "Projektet omfattar stadsdelarna i den södra delen av {ort}.",
]


def actor_municipalities_text(rng: random.Random, place: Place) -> str:
    """Which other municipalities or city districts take part."""
    if place.others:
        template = rng.choice(_MUNI_PHRASES)
        names = [place.ort, *place.others]
        return _cap(template.format(list=join_sv(names)))
    return _pick(rng, _DISTRICT_PHRASES, place)


def _actor_sentence(rng: random.Random, names: list[str], verbs: Sequence[str]) -> str:
    rng.shuffle(names)
    return _cap(rng.choice(verbs).format(list=join_sv(names)))


_HEALTH = {
    "kw_primary_care": ["primärvården", "vårdcentralen i {ort}", "hälsocentralerna",
                        "primärvårdens kuratorer", "vårdcentralerna i kommunen"],
    "kw_mvc_bvc": ["MVC i {ort}", "BVC", "mödravårdscentralen", "barnavårdscentralerna",
                   "mödrahälsovården", "barnhälsovården", "MVC/BVC"],
    "kw_psychiatry": ["vuxenpsykiatrin", "psykiatrin", "psykiatriska mottagningen",
                      "psykiatrins öppenvård"],
    "kw_acute_care": ["akutmottagningen", "akutsjukvården", "akuten på länssjukhuset",
                      "akutmottagningen på sjukhuset i {ort}"],
    "kw_bup": ["BUP", "barn- och ungdomspsykiatrin", "BUP-mottagningen i {ort}"],
}
_HEALTH_NEUTRAL = ["kvinnokliniken", "ungdomsmottagningen", "landstingets kvinnofridssamordnare",
                   "sjukhusets kuratorer", "habiliteringen", "tandvården",
                   "landstingets folkhälsoenhet", "beroendevården"]
_HEALTH_VERBS = [
    "{list} deltar i samverkansgruppen.",
    "Samverkan med {list} gäller rutiner för att fråga om våld.",
    "{list} har medverkat i utbildningarna och i ärendekonsultationerna.",
    "Från hälso- och sjukvården deltar {list}.",
    "{list} har utsett kontaktpersoner för projektet.",
]


def actor_health_text(rng: random.Random, place: Place, keywords: set[str]) -> str:
    """Health care: names a part of health care for each flag set, neutral ones otherwise."""
    names = [_pick(rng, _HEALTH[k], place) for k in sorted(keywords)]
    if not names or rng.random() < 0.5:
        names += rng.sample(_HEALTH_NEUTRAL, rng.randint(1, 2))
    return _actor_sentence(rng, names, _HEALTH_VERBS)


_JUSTICE = {
    "kw_police": ["polisen", "närpolisen i {ort}", "polismyndigheten i {lan}",
                  "polisens utredare för relationsvåld", "närpolisen"],
    "kw_prosecutor": ["åklagarkammaren", "Åklagarmyndigheten", "åklagare från kammaren i {ort}"],
}
_JUSTICE_NEUTRAL = ["kriminalvården", "frivården", "tingsrätten", "brottsoffersamordnaren",
                    "kriminalvårdens frivård", "domstolen"]
_JUSTICE_VERBS = [
    "{list} ingår i samverkansgruppen.",
    "Samverkan med {list} gäller bland annat hur anmälningar hanteras.",
    "{list} har deltagit i utbildningsdagarna.",
    "Från rättsväsendet medverkar {list}.",
    "{list} deltar i de gemensamma ärendedragningarna.",
]


def actor_justice_text(rng: random.Random, place: Place, keywords: set[str]) -> str:
    """The justice system: police and prosecutors by flag, neutral parts otherwise."""
    names = [_pick(rng, _JUSTICE[k], place) for k in sorted(keywords)]
    if not names or rng.random() < 0.4:
        names += rng.sample(_JUSTICE_NEUTRAL, rng.randint(1, 2))
    return _actor_sentence(rng, names, _JUSTICE_VERBS)


_CHURCH_OPERATIVE = [
    "Svenska kyrkan i {ort} är en aktiv samverkanspart och deltar i stödgrupperna.",
    "Församlingens diakoner arbetar operativt i projektet och tar emot samtal.",
    "Operativ samverkan med Svenska kyrkan kring stödsamtal och jourverksamhet.",
    "Pingstförsamlingen och Svenska kyrkan deltar operativt i nätverket.",
    "Kyrkan är en aktiv samverkanspart, bland annat genom diakonernas stödsamtal.",
]
_CHURCH_INVITED = [
    "Svenska kyrkan har fått en inbjudan till utbildningsdagarna.",
    "Församlingarna i {ort} bjöds in till seminarierna om våld i nära relationer.",
    "Diakoner och präster har varit medbjudna till föreläsningarna.",
    "Inbjudan till utbildningen gick även till kyrkor och samfund i kommunen.",
    "Representanter för samfunden bjöds in till konferensen.",
]


def actor_church_text(rng: random.Random, place: Place, kind: str) -> str:
    """Churches: ``operative`` or ``invited`` (each matches exactly one keyword)."""
    pool = _CHURCH_OPERATIVE if kind == "operative" else _CHURCH_INVITED
    return _pick(rng, pool, place)


_FK_ACTIVE = [
    "Försäkringskassan är en aktiv samverkanspart i arbetet med kvinnornas ekonomi.",
    "Försäkringskassans handläggare deltar operativt i ärendekonsultationerna.",
]
_FK_INVITED = [
    "Försäkringskassan har fått en inbjudan till utbildningsdagarna.",
    "Handläggare från Försäkringskassan var medbjudna till samrådsmötena.",
    "Försäkringskassan bjöds in till ett samråd om ekonomiskt stöd.",
    "Inbjudan till seminarierna gick även till Försäkringskassan.",
]


def actor_fk_text(rng: random.Random, place: Place, kind: str) -> str:
    """Försäkringskassan: ``active`` or ``invited``."""
    return _pick(rng, _FK_ACTIVE if kind == "active" else _FK_INVITED, place)


_VOLUNTARY = {
    "kw_womens_shelter": ["Kvinnojouren i {ort}", "kvinnojouren", "tjejjouren i {ort}",
                          "{ort_gen} kvinnojour", "kvinnojourerna i länet"],
    "kw_victim_support": ["Brottsofferjouren i {ort}", "brottsofferjouren",
                          "{lan_gen} brottsofferjour"],
}
_VOLUNTARY_NEUTRAL = ["Rädda Barnen", "Röda Korset", "RFSL", "BRIS", "Stadsmissionen",
                      "Mansjouren", "Terrafem", "Frälsningsarmén", "Länkarna",
                      "föreningen för ensamstående föräldrar"]
_VOLUNTARY_VERBS = [
    "{list} deltar i samverkansgruppen.",
    "Samverkan sker med {list}.",
    "{list} har medverkat vid utbildningarna.",
    "Från den ideella sektorn deltar {list}.",
    "{list} har ett samarbetsavtal med kommunen inom projektet.",
]


def actor_voluntary_text(rng: random.Random, place: Place, keywords: set[str]) -> str:
    """Voluntary organisations: women's shelters and victim support by flag."""
    names = [_pick(rng, _VOLUNTARY[k], place) for k in sorted(keywords)]
    if not names or rng.random() < 0.35:
        names += rng.sample(_VOLUNTARY_NEUTRAL, rng.randint(1, 2))
    return _actor_sentence(rng, names, _VOLUNTARY_VERBS)


_OTHER = {
    "kw_school": ["skolorna", "förskolan", "grundskolans elevhälsa", "gymnasieskolan",
                  "skolkuratorerna"],
    "kw_university": ["universitetet", "högskolan"],
}
_UNIVERSITIES = {
    "Stockholm": ["Stockholms universitet", "Södertörns högskola"],
    "Uppsala": ["Uppsala universitet"],
    "Södermanland": ["Mälardalens högskola"],
    "Östergötland": ["Linköpings universitet"],
    "Jönköping": ["Högskolan i Jönköping"],
    "Kronoberg": ["universitetet i Växjö"],
    "Kalmar": ["Högskolan i Kalmar"],
    "Gotland": ["Högskolan på Gotland"],
    "Blekinge": ["Blekinge tekniska högskola"],
    "Skåne": ["Lunds universitet", "Malmö högskola", "Högskolan Kristianstad"],
    "Halland": ["Högskolan i Halmstad"],
    "Västra Götaland": ["Göteborgs universitet", "Högskolan Väst", "Högskolan i Skövde"],
    "Värmland": ["Karlstads universitet"],
    "Örebro": ["Örebro universitet"],
    "Västmanland": ["Mälardalens högskola"],
    "Dalarna": ["Högskolan Dalarna"],
    "Gävleborg": ["Högskolan i Gävle"],
    "Västernorrland": ["universitetet i Sundsvall"],
    "Jämtland": ["universitetet i Östersund"],
    "Västerbotten": ["Umeå universitet"],
    "Norrbotten": ["Luleå tekniska universitet", "Umeå universitet"],
}
"""Universities and university colleges near each county (2008–2010), for the actor texts."""
_OTHER_NEUTRAL = ["Migrationsverket", "FoU-enheten", "Arbetsförmedlingen", "bostadsbolaget",
                  "hyresvärdarna", "räddningstjänsten", "tolkförmedlingen",
                  "länsstyrelsens samordnare", "fritidsgårdarna", "kommunens säkerhetssamordnare"]
_OTHER_VERBS = [
    "{list} deltar i projektet.",
    "Samverkan sker även med {list}.",
    "{list} har medverkat i planeringen.",
    "Övriga parter är {list}.",
]


def actor_other_text(rng: random.Random, place: Place, keywords: set[str]) -> str:
    """Other actors: schools and universities by flag."""
    names = []
    for k in sorted(keywords):
        pool = _UNIVERSITIES.get(place.county_short, _OTHER[k]) if k == "kw_university" \
            else _OTHER[k]
        names.append(_pick(rng, pool, place))
    if not names or rng.random() < 0.4:
        names += rng.sample(_OTHER_NEUTRAL, rng.randint(1, 2))
    return _actor_sentence(rng, names, _OTHER_VERBS)


_NEW_ACTORS = [
    "Ja, tandvården och ungdomsmottagningen har tillkommit under året.",
    "Ja, en representant för kriminalvården deltar nu också.",
    "Ja, bostadsbolaget har anslutit till samverkansgruppen.",
    "Nej, samma parter som tidigare.",
    "Nej.",
    "Ja, ytterligare en grannkommun har anslutit.",
    "Ja, den ideella sektorn är nu representerad i styrgruppen.",
]


def new_actors_text(rng: random.Random, place: Place) -> str:
    """Question 3a / 4a: new actors in an existing structure."""
    return _pick(rng, _NEW_ACTORS, place)


_NEW_AREAS = [
    "Ja, stödet till barn som upplevt våld har lagts till.",
    "Ja, hedersrelaterat våld ingår nu i samverkan.",
    "Nej.",
    "Nej, inriktningen är oförändrad.",
    "Ja, insatser för män som utövar våld har tillkommit.",
]


def new_areas_text(rng: random.Random, place: Place) -> str:
    """Question 4a / 5a: new areas in an existing structure."""
    return _pick(rng, _NEW_AREAS, place)


_VULNERABLE = {
    "vg_disability": ["kvinnor med funktionsnedsättning", "kvinnor med intellektuell "
                      "funktionsnedsättning", "funktionshindrade kvinnor"],
    "vg_substance": ["kvinnor med missbruk", "missbrukande kvinnor",
                     "kvinnor med beroendeproblematik", "missbruksproblematik"],
    "vg_elderly": ["äldre kvinnor", "äldre som utsätts för våld av närstående"],
    "vg_same_sex": ["personer i samkönade relationer", "hbt-personer",
                    "våld i samkönade relationer"],
    "vg_foreign_background": ["kvinnor med utländsk bakgrund", "nyanlända kvinnor",
                              "kvinnor med annan etnisk bakgrund", "utrikes födda kvinnor",
                              "invandrarkvinnor"],
}
_VULNERABLE_NEUTRAL = ["unga kvinnor i riskmiljöer", "kvinnor som lever under hot",
                       "kvinnor i prostitution", "kvinnor med psykisk ohälsa", "hemlösa kvinnor",
                       "flickor som lever med hedersrelaterat förtryck"]


def area_vulnerable_text(rng: random.Random, keywords: set[str]) -> str:
    """Which especially vulnerable groups: names a group for each flag set."""
    names = [rng.choice(_VULNERABLE[k]) for k in sorted(keywords)]
    if not names or rng.random() < 0.25:
        names += rng.sample(_VULNERABLE_NEUTRAL, rng.randint(1, 2))
    rng.shuffle(names)
    return _cap(join_sv(names))


# ---------------------------------------------------------- goal fulfilment and integration

_FULFIL = {
    "ja": [
        "Målen har uppnåtts.",
        "Projektets mål är uppfyllda.",
        "Samtliga delmål har nåtts inom projekttiden.",
        "De uppsatta målen har i allt väsentligt uppnåtts.",
    ],
    "delvis": [
        "Målen är delvis uppnådda.",
        "Flera delmål har nåtts, men inte alla.",
        "En förändring i rätt riktning syns, men arbetet är inte färdigt.",
        "Målen är uppfyllda när det gäller utbildningen men inte när det gäller de gemensamma "
        "rutinerna.",
    ],
    "nej": [
        "Målen har inte uppnåtts.",
        "Projektet har inte nått sina mål, främst på grund av personalomsättning.",
        "Målen har inte kunnat nås eftersom en av parterna lämnade samarbetet.",
    ],
    "ej_bedömt": [
        "Det är för tidigt att bedöma om målen kommer att nås.",
        "Måluppfyllelsen går ännu inte att bedöma eftersom projektet startade sent.",
        "Någon bedömning av måluppfyllelsen har inte gjorts ännu.",
    ],
}
_FULFIL_MORE = [
    "Deltagarna i utbildningarna har i enkäter uppgett att de fått ökad kunskap.",
    "Fler ärenden upptäcks nu tidigare och förs vidare till rätt instans.",
    "Samverkansgruppen har blivit ett naturligt forum för svåra ärenden.",
    "Personalen uppger att de i högre grad frågar om våld.",
    "Antalet kvinnor som söker stöd har ökat sedan projektet startade.",
    "Kontakterna mellan myndigheterna har blivit tätare och mer personliga.",
    "En uppföljning visar att rutinerna används i de flesta verksamheter.",
    "Rutinerna har spridits till fler verksamheter än planerat.",
]
_FULFIL_LESS = [
    "Arbetet har i stället gett erfarenheter som tas till vara i nästa steg.",
    "Uppföljningen har försvårats av att statistiken förs olika hos parterna.",
    "Några av aktiviteterna har skjutits upp till nästa år.",
]


def goal_fulfilment_text(rng: random.Random, place: Place, goal_met: str) -> str:
    """Question 5 / 6: have the goals been met (the county's own words)."""
    parts = [rng.choice(_FULFIL[goal_met])]
    if goal_met == "nej":
        parts += _some(rng, _FULFIL_LESS, 0, 1, place)
    elif goal_met != "ej_bedömt":
        parts += _some(rng, _FULFIL_MORE, 1, 2, place)
    return " ".join(parts)


_INTEGRATION = {
    "done": [
        "Samverkansgruppen ingår nu i den ordinarie verksamheten och finansieras av kommunen.",
        "Rutinerna har beslutats av nämnden och gäller som ordinarie arbetssätt.",
        "Tjänsten som samordnare har permanentats från och med årsskiftet.",
        "Arbetssättet är integrerat i socialtjänstens ordinarie arbete.",
    ],
    "done_plan": [
        "Delar av arbetet är integrerade; för resten finns en plan som ska beslutas under "
        "hösten.",
        "Rutinerna är införda, och en plan för att permanenta samverkansgruppen är framtagen.",
    ],
    "plan": [
        "Samverkan ska integreras i ordinarie verksamhet när projektet är avslutat.",
        "En plan för integrering finns och ska beslutas av styrgruppen.",
        "Avsikten är att arbetssättet ska ingå i den ordinarie verksamheten, och en plan för "
        "det är under arbete.",
        "Integreringen ska ske stegvis enligt en tidsplan som parterna har kommit överens om.",
    ],
    "not_relevant": [
        "Frågan är inte relevant eftersom insatsen bestod av en enstaka utbildning.",
        "Inte aktuellt, projektet var en avgränsad utbildningssatsning.",
        "Insatsen var en engångssatsning och ska inte integreras.",
        "Projektet var en tillfällig satsning på kompetensutveckling.",
    ],
}
_INTEGRATION_2010 = [
    "Samverkan ska integreras i den ordinarie verksamheten genom att rutinerna beslutas av "
    "nämnden.",
    "Tanken är att samverkansgruppen ska finnas kvar efter projekttiden.",
    "Hur integreringen ska gå till diskuteras i styrgruppen under våren.",
    "Ansvaret för samverkan ska på sikt ligga hos ordinarie chefer.",
    "Utbildningen ska följas upp i verksamheternas egna introduktionsprogram.",
]


def integration_text(rng: random.Random, place: Place, category: str | None) -> str:
    """Question 6 / 7: integration into ordinary work (``category`` None in round 2010)."""
    if category is None:
        return _pick(rng, _INTEGRATION_2010, place)
    return _pick(rng, _INTEGRATION[category], place)


# --------------------------------------------------------------------------- 8a and 8b

_FUTURE = [
    "Det krävs ett tydligt uppdrag från ledningen hos varje part.",
    "Samverkan behöver långsiktig finansiering, inte bara projektmedel.",
    "En samordnare med mandat att kalla parterna är avgörande.",
    "Gemensamma mål och en gemensam uppföljning behövs.",
    "Regelbunden utbildning behövs eftersom personalen byts ut.",
    "Det behövs skriftliga överenskommelser mellan huvudmännen.",
    "Små kommuner behöver samarbeta för att klara uppdraget.",
    "Frågan måste finnas med i kommunens styrdokument och budget.",
    "Kunskapen om barn som upplever våld behöver öka hos alla parter.",
]
_OTHER_INFO = [
    "En framgångsfaktor har varit att ledningen tidigt ställde sig bakom projektet.",
    "Ett hinder har varit att parterna har olika sekretessregler.",
    "Personalomsättning har gjort att arbetet tidvis stannat av.",
    "Det var svårt att hinna starta arbetet under det första året.",
    "Samarbetet med de ideella organisationerna har fungerat mycket bra.",
    "Ansökningsförfarandet upplevdes som krångligt i förhållande till beloppets storlek.",
    "Den korta projekttiden har varit ett hinder.",
    "Att träffas fysiskt regelbundet har varit viktigt för att bygga förtroende.",
    "Länsstyrelsens nätverksträffar har gett stöd och inspiration.",
]


_NOT_STARTED = {
    "cancelled": [
        "Projektet blir inte av eftersom den planerade samverkansparten drog sig ur.",
        "Kommunen har beslutat att inte genomföra projektet; medlen har inte betalats ut.",
        "Projektet har inte startat och kommer inte att genomföras.",
    ],
    "postponed": [
        "Starten är uppskjuten och projektet beräknas kunna starta under 2012.",
        "Projektet har ännu inte startat; rekrytering av projektledare pågår.",
    ],
}


def not_started_text(rng: random.Random, place: Place, postponed: bool) -> str:
    """Question 8b for a project that never started."""
    return _pick(rng, _NOT_STARTED["postponed" if postponed else "cancelled"], place)


def future_needs_text(rng: random.Random, place: Place) -> str:
    """Question 8a."""
    return " ".join(_some(rng, _FUTURE, 1, 3, place))


def other_info_text(rng: random.Random, place: Place) -> str:
    """Question 8b."""
    return " ".join(_some(rng, _OTHER_INFO, 1, 2, place))


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
