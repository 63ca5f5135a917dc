"""Audit of Rapport 2011:39: its published figures against the recomputed ones, and its
internal consistency, with the evidence weighed.

Modules by responsibility: :mod:`~samverkan.audit.declared` (the relations between figures,
as data), :mod:`~samverkan.audit.figures` (the figures and how a measure's value is found),
:mod:`~samverkan.audit.rules` (the consistency rules), :mod:`~samverkan.audit.evidence`
(suspects and unique corrections), :mod:`~samverkan.audit.compare` (published against
recomputed), :mod:`~samverkan.audit.present` (tables, list and chart for the book),
:mod:`~samverkan.audit.stage` (one round's audit computed and written: :func:`audit_round`).
"""

from samverkan.audit.stage import AuditResult, audit_round, compute

__all__ = ["AuditResult", "audit_round", "compute"]
