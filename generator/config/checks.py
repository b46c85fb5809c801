"""Checks across fields that a per-field schema cannot express, each with the exact path it concerns."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path as FilePath

from generator.config.advice import did_you_mean
from generator.config.schema import Program
from generator.config.types import ID_PATTERN, Duration, Timing

Path = tuple[str | int, ...]
REQUIRED_ROLES = ("mentor", "mentee")


def logo_problems(program: Program, project: FilePath) -> Iterator[tuple[Path, str]]:
    """A logo must be a PNG, JPEG or safe SVG file inside the project, judged by its bytes (generator/logo.py)."""
    from generator.logo import LogoRefused, read_logo  # here: generator.logo itself imports from generator.config

    if program.branding.logo:
        try:
            read_logo(program.branding.logo, project)
        except LogoRefused as error:
            yield ("branding", "logo"), str(error)


def cross_field_problems(program: Program) -> Iterator[tuple[Path, str]]:
    yield from _duplicate_ids(program)
    yield from _required_roles(program)
    yield from _unknown_references(program)
    yield from _points_after_end(program)
    yield from _application(program)


def _duplicate_ids(program: Program) -> Iterator[tuple[Path, str]]:
    for collection in ("roles", "committees", "events"):
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(program, collection)):
            if item.id in seen:
                yield (collection, index, "id"), f"id '{item.id}' is already used by {collection}[{seen[item.id]}]"
            seen.setdefault(item.id, index)


def _required_roles(program: Program) -> Iterator[tuple[Path, str]]:
    ids = [role.id for role in program.roles]
    for required in REQUIRED_ROLES:
        if required not in ids:
            yield ("roles",), (f"a program needs a role with id '{required}' (its title can be anything, "
                               f"e.g. the program's own word for a {required}); the role ids are: {', '.join(ids)}")


def _unknown_references(program: Program) -> Iterator[tuple[Path, str]]:
    """Every id that names a role (or committee) must exist: a typo is an error, not a printed id."""
    roles = [role.id for role in program.roles]
    parties = program.party_ids()

    def check(path: Path, ref: str, known: list[str], what: str) -> Iterator[tuple[Path, str]]:
        if ref not in known:
            yield path, f"'{ref}' is not {what}{did_you_mean(ref, known)}"

    role_or_committee = "the id of a role or committee"
    for e, event in enumerate(program.events):
        for column in ("attendees", "delivered_by"):
            for a, ref in enumerate(getattr(event, column)):
                yield from check(("events", e, column, a), ref, parties, role_or_committee)
    for v, evaluation in enumerate(program.schedule.evaluations):
        for b, ref in enumerate(evaluation.by):
            yield from check(("schedule", "evaluations", v, "by", b), ref, parties, role_or_committee)
    if program.meetings.group:
        for ref in program.meetings.group.attendance:
            yield from check(("meetings", "group", "attendance", ref), ref, parties, role_or_committee)
    if program.meetings.one_to_one.who_schedules:
        yield from check(("meetings", "one_to_one", "who_schedules"), program.meetings.one_to_one.who_schedules,
                         roles, "a role id")
    for a, activity in enumerate(program.activities):
        for column in ("lead", "part", "informed"):
            for r, ref in enumerate(getattr(activity, column)):
                yield from check(("activities", a, column, r), ref, roles, "a role id")
    for party in program.content.benefits:
        yield from check(("content", "benefits", party), party, [*roles, "agency"], "a role id or 'agency'")
    for party in program.selection.discussion_topics:
        yield from check(("selection", "discussion_topics", party), party, roles, "a role id")
    for name in ("matched_by",):
        ref = getattr(program.selection, name)
        if ref is not None:
            yield from check(("selection", name), ref, parties, role_or_committee)
    if program.run_by is not None:
        yield from check(("run_by",), program.run_by, parties, role_or_committee)
    for c, committee in enumerate(program.committees):
        for m, member in enumerate(committee.members):
            # Members are ids or positions in words; a single lowercase word-with-hyphens is meant as an id.
            if re.fullmatch(ID_PATTERN, member) and member not in parties:
                yield ("committees", c, "members", m), (f"'{member}' is not the id of a role or committee "
                                                        f"(write a position in words, e.g. 'a liaison from each "
                                                        f"department'){did_you_mean(member, parties)}")


def _points_after_end(program: Program) -> Iterator[tuple[Path, str]]:
    schedule = program.schedule
    length = schedule.length if isinstance(schedule.length, Duration) else None
    if length is None:
        return
    for name in ("switch_after", "compatibility_check"):
        point = getattr(schedule, name)
        if point is not None and point.days > length.days:
            yield ("schedule", name), f"{point} is after the program ends ({length})"
    timings: list[tuple[Path, Timing]] = [(("schedule", "evaluations", i, "at"), v.at)
                                          for i, v in enumerate(schedule.evaluations)]
    timings += [(("events", i, "when"), e.when) for i, e in enumerate(program.events) if e.when is not None]
    for path, timing in timings:
        if timing.anchor == "date":
            if schedule.start is None or timing.date is None:
                continue
            end = schedule.start + dt.timedelta(days=round(length.days))
            if not schedule.start <= timing.date <= end:
                yield path, f"{timing.date} is outside the program ({schedule.start} to {end})"
            continue
        days = timing.offset_days(length)
        starts_after_end = timing.anchor in ("month", "week") and days is not None and days >= length.days - 1e-6
        if starts_after_end:
            yield path, f"'{timing}' is outside the program ({length})"
        elif days is not None and days > length.days + 1e-6:
            yield path, f"'{timing}' is after the program ends ({length})"


def _application(program: Program) -> Iterator[tuple[Path, str]]:
    selection = program.selection
    if selection.application is False and selection.how_to_apply:
        yield ("selection", "application"), "is false, but selection.how_to_apply lists what applicants submit"
