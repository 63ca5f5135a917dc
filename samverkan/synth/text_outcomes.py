"""What came of a project, in its own words: goal fulfilment (questions 5 / 6), integration into
ordinary work (6 / 7), future needs (8a), other information (8b) and the explanation of a project
that never started."""

from __future__ import annotations

import random

from samverkan.synth.text import Place, _pick, _some

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
