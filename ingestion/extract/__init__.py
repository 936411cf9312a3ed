"""Extraction: the figures a text states (value, unit, metric, qualifier, quote) and its enumerations."""

from ingestion.extract.enumerations import Enumeration, extract_enumerations
from ingestion.extract.figures import Figure, extract_figures

__all__ = ["Enumeration", "Figure", "extract_enumerations", "extract_figures"]
