"""What a program chooses for the shared content to draw on: purposes, values, competencies, ground rules.

Part of the program configuration schema (generator/config/schema.py, `Program.content`); declared the
same way, a docstring per field.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from generator.config.types import MAX_GROUPS, AtMost, Line, Lines, Model, RoleRef, Text

MAX_AREAS = 20        # competency areas
MAX_COMPETENCIES = 30  # competencies in one area


class CompetencyArea(Model):
    name: Line
    """Name of the competency area, e.g. 'Looks to the Future'."""
    competencies: Annotated[list[Competency], AtMost(MAX_COMPETENCIES)]
    """Competencies in this area."""


class Competency(Model):
    name: Line
    """Name of the competency, e.g. 'Communicates a vision'."""
    behaviors: Lines = []
    """Observable behaviors that show it."""


class ContentChoices(Model):
    purposes: Lines = []
    """What the program sets out to achieve, one aim per item."""
    values: Lines = []
    """Values the program rests on."""
    benefits: Annotated[dict[RoleRef, Lines], AtMost(MAX_GROUPS)] = {}
    """Benefits per party, keyed by role id or 'agency'."""
    critical_success_factors: Annotated[dict[Line, Lines], AtMost(MAX_GROUPS)] = {}
    """Critical success factors, grouped under a heading (e.g. 'Overall program')."""
    competency_intro: Text | None = None
    """A sentence introducing the competency framework."""
    competencies: Annotated[list[CompetencyArea], AtMost(MAX_AREAS)] = []
    """The competency framework participants work against, grouped in areas. Empty for none."""
    ground_rules: Annotated[dict[Line, Lines], AtMost(MAX_GROUPS)] = {}
    """Ground rules grouped under headings, for programs that set them."""
    development_plan_name: Line = "development plan"
    """What the program calls its plan, e.g. 'Individual Development Plan (IDP)'."""
    max_objectives: int | None = Field(default=None, ge=1, le=10)
    """The most objectives a mentee should set in the plan."""
    intake_form_name: Line = "statement of interest"
    """What the program calls the form applicants submit, e.g. 'Needs Assessment Form'."""


CompetencyArea.model_rebuild()
