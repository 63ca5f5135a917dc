"""The audit's knowledge of how the report's figures relate, declared as data: which categories
split the projects, which accounting identities hold, which parts must cover a whole, which dates
come in which order, which printed figures are extremes or shares, and how the report's forms are
counted. The rules (:mod:`samverkan.audit.rules`) read these; they know which figures *should*
relate, never which of them are wrong."""

from __future__ import annotations

from dataclasses import dataclass

CONTRADICTION = "Motsägelse"
"""Severity: arithmetic that cannot hold under any reading of the figures."""
POSSIBLE = "Möjlig avvikelse"
"""Severity: the figures hold only under one reading (parts that may overlap, a share read with
the tolerance of its rounding or qualifier, a question count that depends on what a question
is), or fail one that the report does not state."""
SEVERITIES: tuple[str, ...] = (CONTRADICTION, POSSIBLE)

PERIOD_SPLITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("2008-2010", ("2008", "2009", "2010")),
    ("2008-2010", ("2008-2009", "2010")),
    ("2008-2009", ("2008", "2009")),
)
"""A period and the disjoint periods that make it up."""

ADDITIVE_UNITS: frozenset[str] = frozenset({"sek", "projects"})
"""Units whose values add up and are never negative (the only ones sums and bounds apply to)."""


@dataclass(frozen=True)
class Marked:
    """The sum of the cells of ``table`` carrying ``marker`` (e.g. Tabell 1's ``*``: funds not
    requisitioned from Kammarkollegiet), single-year cells within the period."""

    table: str
    marker: str
    measure: str
    label: str


@dataclass(frozen=True)
class Identity:
    """``lhs = sum(plus) - sum(minus)``. ``rule`` is ``partition`` when the terms are categories
    that split the projects of ``lhs`` into disjoint parts, ``identity`` for accounting.
    ``overlap`` names the reading under which a partition whose parts add up to more than the
    whole still holds (the form lets a project tick several of the categories)."""

    rule: str
    lhs: str
    plus: tuple[str | Marked, ...]
    minus: tuple[str | Marked, ...] = ()
    overlap: str = ""


NOT_REQUISITIONED = Marked("t1", "*", "allocated_sek", "ej rekvirerade medel (stjärnmarkerade "
                                                       "celler i rapportens tabell 1)")

PARTITIONS: tuple[Identity, ...] = (
    Identity("partition", "projects_granted", ("projects_started", "projects_not_started")),
    Identity("partition", "projects_started", ("ongoing", "finished")),
    Identity("partition", "projects_started", ("real_cooperation", "not_cooperation")),
    Identity("partition", "projects_started",
             ("integration_done", "integration_plan", "integration_not_relevant"),
             overlap="blanketten låter ett projekt kryssa både att det har integrerats och att "
                     "det har en plan för resten"),
    Identity("partition", "partner_fk", ("kw_fk_active", "kw_fk_invited")),
)
"""Categories the report presents as splitting a whole into disjoint parts."""

IDENTITIES: tuple[Identity, ...] = (
    Identity("identity", "total_costs_sek", ("granted_sek", "administration_sek")),
    Identity("identity", "repayment_sek", ("requisitioned_sek",), ("total_costs_sek",)),
    Identity("identity", "requisitioned_sek", ("allocated_sek",), (NOT_REQUISITIONED,)),
)
"""Accounting identities of Tabell 6 and Tabell 1."""


@dataclass(frozen=True)
class Coverage:
    """Parts that together must reach a whole: every project of ``whole`` is in at least one of
    ``parts`` (the parts may overlap), so ``sum(parts) ≥ whole``. ``reading`` says why in
    Swedish; it is a reading, so a failure is a possible deviation."""

    whole: str
    parts: tuple[str, ...]
    reading: str


COVERAGE: tuple[Coverage, ...] = (
    Coverage("projects_granted", ("new_structures", "existing_structures",
                                  "evaluated_structures"),
             "varje projekt anger minst en typ av samverkansstruktur"),
    Coverage("projects_started", ("area_women", "area_children", "area_honour", "area_housing",
                                  "area_men", "area_vulnerable"),
             "varje startat projekt riktar sig till minst en målgrupp"),
)


@dataclass(frozen=True)
class DateOrder:
    """``earlier`` ≤ ``later`` for every printing of the two dates in the same period (a date
    without a period applies to every period). ``reason`` (Swedish) states the expected order
    and reads after "väntat är att" in a finding. ``severity`` is :data:`POSSIBLE` where the
    order is a reading rather than a necessity."""

    earlier: str
    later: str
    reason: str
    severity: str = CONTRADICTION


DATE_ORDER: tuple[DateOrder, ...] = (
    DateOrder("government_decision_date", "report_period_start",
              "redovisningsperioden börjar efter regeringsbeslutet"),
    DateOrder("report_period_start", "report_period_end", "en period slutar efter att den börjat"),
    DateOrder("report_period_end", "coordinator_report_due",
              "projekten redovisar till länsstyrelsen en period som redan är slut",
              severity=POSSIBLE),
    DateOrder("coordinator_report_due", "report_due",
              "länsstyrelserna redovisar innan den samlade redovisningen ska vara klar"),
    DateOrder("report_period_end", "report_due",
              "den samlade redovisningen lämnas efter redovisningsperiodens slut"),
    DateOrder("report_due_original", "report_due", "en förlängd tidsfrist är senare än den "
                                                   "ursprungliga"),
)


@dataclass(frozen=True)
class DateSupport:
    """A relation between two dates that the report implies without stating it as an order:
    ``earlier`` ≤ ``later``, and (``within_days``) no more than that many days apart. It is a
    reading, so it never makes a finding of its own; it only weighs which of two disagreeing
    printings of a date the other dates support (:mod:`samverkan.audit.dates`)."""

    earlier: str
    later: str
    reason: str
    within_days: int | None = None


DATE_SUPPORT: tuple[DateSupport, ...] = (
    DateSupport("report_due_original", "report_period_end",
                "tidsfristen förlängdes för att fler projekt skulle hinna avslutas, så "
                "perioden slutar efter den ursprungliga tidsfristen"),
    DateSupport("report_period_end", "report_due",
                "den samlade redovisningen lämnas inom ett halvår efter periodens slut, som "
                "delredovisningen", within_days=183),
)
"""Readings of the report's dates used to weigh a date that is printed two ways."""


@dataclass(frozen=True)
class Share:
    """A printed percentage ``measure`` = 100 × numerator / denominator, for each denominator the
    text could mean."""

    measure: str
    numerator: str
    denominators: tuple[str, ...]


SHARES: tuple[Share, ...] = (
    Share("family_perspective_share", "family_perspective", ("projects_started",)),
    Share("administration_share", "administration_sek",
          ("requisitioned_sek", "granted_sek", "total_costs_sek")),
)

EXTREMES: dict[str, tuple[str, str]] = {
    "projects_granted_county_min": ("projects_granted", "min"),
    "projects_granted_county_max": ("projects_granted", "max"),
}
"""Measures that state the smallest or largest county value of another measure."""

FORM_COUNTS: dict[str, str] = {"2008-2009": "del", "2008-2010": "slut"}
"""The form a printed number of questions (``form_questions``) is about, by period: the partial
report's (``del``) and the final report's (``slut``), as in the appendix *Blanketterna*."""

QUESTION_READINGS: dict[str, str] = {
    "numbered": "de numrerade frågorna",
    "items": "frågorna med delfrågor",
}
"""What "a question" can mean when a printed count is compared with a form."""
