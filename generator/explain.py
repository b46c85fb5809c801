"""`handbook explain`: what the handbook will say about a program, in plain words, before publishing.

Reads only ProgramFacts, the same facts the documents are laid out from, so what it prints is
what the handbook states; the last two lists are what it prints as write-in lines and what it
leaves out.
"""

from __future__ import annotations

from typing import Any

from generator.facts import Party, ProgramFacts
from generator.facts.phrases import join_and
from generator.facts.schedule import Milestone

NOT_STATED = "not stated (left out of the handbook)"


def explain(facts: ProgramFacts) -> str:
    program = facts.program
    lines = [f"{program.name} ({program.id}), {program.agency}", ""]
    lines += _section("The program", _basics(facts))
    lines += _section("Who does what", _roles(facts))
    lines += _section("Events and check points, in time order", [_milestone(facts, m) for m in facts.milestones])
    lines += _section("Who can take part", _eligibility(facts))
    blanks = [f"{item.field}: {item.what}" for item in facts.open_items if item.blank]
    unsaid = [f"{item.field}: {item.what}" for item in facts.open_items if not item.blank]
    lines += _section("Left blank on purpose (printed as write-in lines)", blanks or ["nothing"])
    lines += _section("Not stated (the handbook says nothing about it)", unsaid or ["nothing"])
    return "\n".join(lines).rstrip() + "\n"


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    return [title, *[f"  - {item}" for item in items], ""]


def _text(value: Any) -> str:
    return NOT_STATED if value is None else str(value)


def _basics(facts: ProgramFacts) -> list[str]:
    group = facts.group
    items = [
        f"Length: {_text(facts.length)}",
        f"One-to-one meetings: {_text(facts.cadence)}",
        f"Time together: {_text(facts.time_together or facts.monthly_estimate)}",
        f"A usual meeting: {_text(facts.meeting_length)}",
        f"Who arranges meetings: {_text(facts.scheduler and facts.scheduler.refer)}",
        f"On work time: {_text(None if facts.on_work_time is None else ('yes' if facts.on_work_time else 'no'))}",
    ]
    if group:
        attendance = "; ".join(f"{need} for {party.refer}" for party, need in group.attendance)
        items.append(f"{group.title}: {_text(group.cadence)}{f' ({attendance})' if attendance else ''}")
    if facts.switch_after:
        items.append(f"Either partner may ask for a new match after {facts.switch_after}")
    if facts.compatibility_check:
        items.append(f"Compatibility check: after {facts.compatibility_check}")
    items.append(f"Who runs the program: {_text(facts.runner and facts.runner.refer)}")
    items.append(f"Who matches pairs: {_text(facts.matcher and facts.matcher.refer)}")
    application = {True: f"yes, with the {facts.intake_form}", False: "no", None: NOT_STATED}[facts.application]
    items.append(f"People apply to take part: {application}")
    return items


def _roles(facts: ProgramFacts) -> list[str]:
    items = []
    for role in facts.roles:
        parts = [f"{cell.lower()}: {row.name}" for row in facts.chart.rows if (cell := row.cell(role.id))]
        chart = "; ".join(parts) if parts else "no part in the role chart"
        items.append(f"{role.title} ({role.id}), in sentences '{role.refer}': {len(role.duties)} duties; {chart}")
    for committee in facts.committees:
        items.append(f"{committee.title} ({committee.id}), a committee: {len(committee.duties)} duties")
    return items


def _by(label: str, parties: tuple[Party, ...]) -> str:
    return f"; {label.strip()} {join_and(p.refer for p in parties)}" if parties else ""


def _milestone(facts: ProgramFacts, milestone: Milestone) -> str:
    required = {True: "required", False: "optional", None: "required or not: not stated"}[milestone.required]
    kind = f"{milestone.kind}; {required}" if milestone.kind not in ("evaluation", "compatibility", "switch", "group") \
        else milestone.kind
    delivered = tuple(facts.parties[i] for i in milestone.delivered_by)
    attended = tuple(facts.parties[i] for i in milestone.attendees)
    return f"{milestone.when}: {milestone.name} ({kind}){_by('delivered by', delivered)}{_by('with', attended)}"


def _eligibility(facts: ProgramFacts) -> list[str]:
    program = facts.program
    items = [f"Open to: {program.eligibility.open_to}"] if program.eligibility.open_to else []
    for side, term in (("mentee", program.mentee_term), ("mentor", program.mentor_term)):
        needs = [str(r) for r in facts.requirements_for(side)]
        needs += list(getattr(program.eligibility, side).criteria)
        items.append(f"{term.capitalize()}s: {'; '.join(needs) if needs else 'no requirements stated'}")
    return items
