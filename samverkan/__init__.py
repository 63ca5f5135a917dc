"""samverkan: the evaluation pipeline behind Rapport 2011:39, made reproducible."""

__version__ = "0.1.0"
