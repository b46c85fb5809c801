"""Checks across fields that a per-field schema cannot express, each with the exact path it concerns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.config.schema import Program
from generator.config.types import Duration

Path = tuple[str | int, ...]


def cross_field_problems(program: Program) -> Iterator[tuple[Path, str]]:
    yield from _duplicate_ids(program)
    yield from _unknown_role_references(program)
    yield from _points_after_end(program)


def _duplicate_ids(program: Program) -> Iterator[tuple[Path, str]]:
    for collection in ("roles", "committees", "events"):
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(program, collection)):
            if item.id in seen:
                yield (collection, index, "id"), f"id '{item.id}' is already used by {collection}[{seen[item.id]}]"
            seen.setdefault(item.id, index)


def _unknown_role_references(program: Program) -> Iterator[tuple[Path, str]]:
    known = {role.id for role in program.roles}
    hint = f"known role ids: {', '.join(sorted(known))}"

    def check(path: Path, role_id: str) -> Iterator[tuple[Path, str]]:
        if role_id not in known:
            yield path, f"'{role_id}' is not a role id ({hint})"

    for e, event in enumerate(program.events):
        for a, attendee in enumerate(event.attendees):
            yield from check(("events", e, "attendees", a), attendee)
    for v, evaluation in enumerate(program.schedule.evaluations):
        for b, role_id in enumerate(evaluation.by):
            yield from check(("schedule", "evaluations", v, "by", b), role_id)
    if program.meetings.group:
        for role_id in program.meetings.group.attendance:
            yield from check(("meetings", "group", "attendance", role_id), role_id)
    if program.meetings.one_to_one.who_schedules:
        yield from check(("meetings", "one_to_one", "who_schedules"), program.meetings.one_to_one.who_schedules)
    for a, activity in enumerate(program.activities):
        for column in ("lead", "part", "informed"):
            for r, role_id in enumerate(getattr(activity, column)):
                yield from check(("activities", a, column, r), role_id)
    for party in program.content.benefits:
        if party != "agency":
            yield from check(("content", "benefits", party), party)


def _points_after_end(program: Program) -> Iterator[tuple[Path, str]]:
    schedule = program.schedule
    length = schedule.length if isinstance(schedule.length, Duration) else None
    if length is None:
        return
    for name in ("switch_after", "compatibility_check"):
        point = getattr(schedule, name)
        if point is not None and point.days > length.days:
            yield ("schedule", name), f"{point} is after the program ends ({length})"
    for index, evaluation in enumerate(schedule.evaluations):
        if isinstance(evaluation.at, Duration) and evaluation.at.days > length.days:
            yield ("schedule", "evaluations", index, "at"), f"{evaluation.at} is after the program ends ({length})"
    for index, event in enumerate(program.events):
        when = event.when or ""
        if when.startswith(("month ", "week ")):
            unit, number = when.split()
            point = Duration(float(number) - (1 if unit == "month" else 0), unit)
            if int(number) == 0 or point.days >= length.days + 1:
                yield ("events", index, "when"), f"'{when}' is outside the program ({length})"
        elif when[:1].isdigit() and schedule.start is not None:
            day = dt.date.fromisoformat(when)
            end = schedule.start + dt.timedelta(days=round(length.days))
            if not schedule.start <= day <= end:
                yield ("events", index, "when"), f"{day} is outside the program ({schedule.start} to {end})"
