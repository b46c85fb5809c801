"""The facts stage: from a validated Program to the ProgramFacts the content lays out."""

from generator.facts.model import (
           EvaluationFacts,
           EventFacts,
           GroupFacts,
           OpenItem,
           ProgramFacts,
           Requirement,
           derive_facts,
)
from generator.facts.parties import Party
from generator.facts.phrases import Phrase

__all__ = ["EvaluationFacts", "EventFacts", "GroupFacts", "OpenItem", "Party", "Phrase", "ProgramFacts", "Requirement",
           "derive_facts"]
