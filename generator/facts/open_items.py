"""What a program leaves open: values left blank on purpose, and facts it does not state.

`handbook explain` lists these so a coordinator can see, before publishing, what the handbook
will print as a write-in line and what it will leave out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.config.types import Blank

if TYPE_CHECKING:
    from generator.facts.model import OpenItem, ProgramFacts

# (field, what it is) for every value a program may leave blank or unsaid; checked in this order.
VALUES = [
    ("schedule.length", "how long the program lasts"),
    ("meetings.one_to_one.per_month", "how often pairs meet"),
    ("meetings.one_to_one.hours_per_month", "the time pairs spend together each month"),
    ("meetings.one_to_one.meeting_hours", "how long a meeting usually lasts"),
    ("meetings.one_to_one.on_work_time", "whether meetings take place on work time"),
    ("meetings.one_to_one.who_schedules", "who arranges the meetings"),
    ("eligibility.mentee.service", "the length of service a mentee needs"),
    ("eligibility.mentor.service", "the length of service a mentor needs"),
    ("eligibility.mentees_per_mentor", "how many mentees a mentor may take"),
    ("selection.matched_by", "who matches pairs"),
    ("selection.application", "whether people apply to take part"),
    ("run_by", "who runs the program day to day"),
    ("schedule.start", "the start date (timings stay relative: month 1, week 6)"),
]


def _get(program: Any, dotted: str) -> Any:
    value = program
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def open_items(facts: ProgramFacts) -> tuple[OpenItem, ...]:
    from generator.facts.model import OpenItem

    program = facts.program
    items = []
    for dotted, what in VALUES:
        value = _get(program, dotted)
        if dotted == "schedule.length" and value is None:
            continue  # tied to another program: stated, not open
        if dotted == "meetings.one_to_one.per_month" and program.meetings.one_to_one.every_weeks:
            continue
        if dotted == "selection.application" and facts.application is not None:
            continue
        if isinstance(value, Blank):
            items.append(OpenItem(dotted, what, blank=True))
        elif value is None:
            items.append(OpenItem(dotted, what, blank=False))
    for index, event in enumerate(program.events):
        if event.when is None:
            items.append(OpenItem(f"events[{index}].when", f"the date of '{event.name}'", blank=False))
        if event.required is None:
            items.append(OpenItem(f"events[{index}].required", f"whether '{event.name}' is required", blank=False))
    return tuple(items)
