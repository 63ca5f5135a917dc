"""Audit: Rapport 2011:39's published figures against the recomputed ones, and the report's own
internal consistency."""
