"""The actor and target-group answers (questions 3–5): which municipalities, parts of health
care, the justice system, churches, Försäkringskassan, voluntary and other organisations take
part, new actors and areas, and the especially vulnerable groups. Most are texts that the
codebook's keyword taxonomy reads, so a fragment names a keyword only when the project's flag is
set (see :mod:`samverkan.synth.text`)."""

from __future__ import annotations

import random
from collections.abc import Sequence

from samverkan.synth.text import Place, _cap, _pick, join_sv

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
