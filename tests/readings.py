"""What the shipped reconstruction does not reproduce of Rapport 2011:39, and why: the readings
chosen by ``samverkan/synth/generate.py`` where the report contradicts itself (data/raw/README.md,
"Readings chosen"). Shared by the truth-table test and the end-to-end test."""

from __future__ import annotations

GENERATOR_DEVIATIONS: dict[str, str] = {
    "t1.13.2008-2010": "synth reading 1: Halland's year cells add up to 720 000, printed 620 000",
    "t2.total.new_structures": "Table 2's county cells add up to 89, the Summa row prints 88",
    "t2.bullet.new_structures": "reading 3: the bullet repeats the Summa row's 88",
    "prose.reflections.new_structures": "reading 3: the reflections repeat the Summa row's 88",
    "prose.summary.new_structures": "synth reading 3: the summary's 91 is not reproduced",
    "prose.summary.existing_structures": "synth reading 3: the summary's 85 is not reproduced",
    "t2.bullet.county_min_2008-2009": "synth reading 8: Table 2 prints 0 for three counties",
    "prose.examples.projects_started": "synth reading 8: the examples' 133 is not reproduced",
}
"""Published figures the generator's truth tables do not reproduce, with the reading of
``samverkan/synth/generate.py`` that explains each; every other recomputable figure must match."""

NOT_RECOMPUTABLE: frozenset[str] = frozenset({
    "report_period_start", "report_period_end", "report_due", "report_due_original",
    "government_decision_date", "funds_use_period_end", "form_questions",
    "coordinator_report_due",
})
"""Measures about the report, the form or the calendar: no submission carries them."""
