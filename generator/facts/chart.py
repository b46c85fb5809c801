"""The responsibility chart: who leads, takes part in or is kept informed of each activity.

Rows are the activities the program declares (`activities:`). A program that declares none gets
rows from what it states elsewhere, and only that: who runs the program and matches pairs, who
arranges one-to-one meetings, who delivers and who attends each event, who attends group
sessions and who completes evaluations. Nothing is read out of free-text duties.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.config.schema import Program
from generator.facts.parties import Party

LEADS, TAKES_PART, INFORMED, OPTIONAL = "Leads", "Takes part", "Informed", "Optional"


@dataclass(frozen=True)
class ChartRow:
    name: str
    cells: tuple[tuple[str, str], ...]  # (role id, part); a role not listed has no set part

    def cell(self, role_id: str) -> str | None:
        return dict(self.cells).get(role_id)


@dataclass(frozen=True)
class Chart:
    roles: tuple[Party, ...]
    rows: tuple[ChartRow, ...]
    declared: bool  # True when the rows are the program's own `activities`

    @property
    def unassigned(self) -> tuple[Party, ...]:
        """Roles with no part in any row: the chart says so rather than leaving a blank column."""
        return tuple(r for r in self.roles if not any(row.cell(r.id) for row in self.rows))


def responsibility_chart(program: Program, roles: tuple[Party, ...], group_title: str | None) -> Chart:
    if program.activities:
        rows = [_row(a.name, [(a.lead, LEADS), (a.part, TAKES_PART), (a.informed, INFORMED)])
                for a in program.activities]
        return Chart(roles, tuple(rows), True)
    return Chart(roles, tuple(row for row in _derived_rows(program, group_title) if row.cells), False)


def _row(name: str, columns: list[tuple[list[str] | tuple[str, ...], str]],
         role_ids: set[str] | None = None) -> ChartRow:
    """The first column a role appears in wins (a role that delivers an event is not also 'attending')."""
    cells: dict[str, str] = {}
    for ids, part in columns:
        for role_id in ids:
            if role_ids is None or role_id in role_ids:
                cells.setdefault(role_id, part)
    return ChartRow(name, tuple(cells.items()))


def _derived_rows(program: Program, group_title: str | None) -> list[ChartRow]:
    role_ids = {role.id for role in program.roles}
    rows = []
    if program.run_by:
        rows.append(_row("Run the program day to day", [([program.run_by], LEADS)], role_ids))
    matcher = program.selection.matched_by
    if matcher:
        committee = program.committee(matcher)
        members = [m for m in committee.members if m in role_ids] if committee and matcher not in role_ids else []
        rows.append(_row(f"Match {program.mentor_term}s and {program.mentee_term}s",
                         [([matcher], LEADS), (members, TAKES_PART)], role_ids))
    one = program.meetings.one_to_one
    rows.append(_row("Meet one to one", [([one.who_schedules] if one.who_schedules else [], LEADS),
                                         (["mentor", "mentee"], TAKES_PART)], role_ids))
    group = program.meetings.group
    if group is not None and group_title:
        rows.append(_row(group_title, [([r for r, need in group.attendance.items() if need == "required"], TAKES_PART),
                                       ([r for r, need in group.attendance.items() if need == "optional"], OPTIONAL)],
                         role_ids))
    for event in program.events:
        attend = OPTIONAL if event.required is False else TAKES_PART
        rows.append(_row(event.name, [(event.delivered_by, LEADS), (event.attendees, attend)], role_ids))
    evaluators = [r for evaluation in program.schedule.evaluations for r in evaluation.by]
    if evaluators:
        rows.append(_row("Complete the evaluations", [(list(dict.fromkeys(evaluators)), TAKES_PART)], role_ids))
    return rows
