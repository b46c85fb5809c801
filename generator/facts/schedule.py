"""The program calendar, computed from the configuration so it never disagrees with it.

Milestones come from the schedule (switch point, compatibility check, evaluations), the
events, and the group sessions; every timing is a `Timing` (config/types.py), read one way here.
With a start date each gets a date and the calendar is also written as iCalendar; without one,
timing stays relative ("Month 3", "Week 6"). A program tied to another one's length shows
length-dependent points relative to that program, inventing no numbers, and an event without a
date says so ("Date to be announced") instead of taking one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from generator.config.schema import Program
from generator.config.types import Duration, Timing
from generator.facts.phrases import plural

MAX_GROUP_SESSIONS = 60
UNDATED = "Date to be announced"


@dataclass(frozen=True)
class Milestone:
    id: str
    name: str
    kind: str                 # orientation, training, checkpoint, evaluation, group, celebration, other
    label: str                # when, in words: "Month 3", "Week 6", "End", "Date to be announced"
    days: float | None        # offset from the start in days; None when unknown (no date, unknown length)
    date: dt.date | None = None
    description: str | None = None
    required: bool | None = None    # None: the program does not say
    recurrence: str | None = None   # for group sessions: "monthly" or "every N weeks"
    count: int | None = None        # how many sessions, when known
    attendees: tuple[str, ...] = ()  # ids of the roles (or committees) who attend or complete it
    delivered_by: tuple[str, ...] = ()  # ids of who runs or delivers it
    paid_time: bool | None = None
    switch_point: bool = False      # partners may ask for a new match from here on

    @property
    def need(self) -> str | None:
        """'required' or 'optional' when the program says which; None when it does not."""
        return None if self.required is None else "required" if self.required else "optional"

    @property
    def dated(self) -> bool:
        """True when the program says when it happens (relative or by date)."""
        return self.label != UNDATED

    @property
    def when(self) -> str:
        """The timing for a reader, with the date when the program has a start date."""
        if self.date is None or self.label == long_date(self.date):
            return self.label
        return f"{self.label}, {long_date(self.date)}"


def program_schedule(program: Program) -> list[Milestone]:
    """Every milestone of the program in time order (unknown offsets last, in config order)."""
    milestones = [*_schedule_points(program), *_events(program), *_group_sessions(program)]
    start = program.schedule.start
    if start is not None:
        milestones = [_dated(m, start) for m in milestones]
    order = {id(m): i for i, m in enumerate(milestones)}
    return sorted(milestones, key=lambda m: (m.days is None, m.days or 0, order[id(m)]))


def _length(program: Program) -> Duration | None:
    length = program.schedule.length
    return length if isinstance(length, Duration) else None


def relative_label(days: float, unit: str) -> str:
    if unit == "week":
        return f"Week {int(days // 7) + 1}" if days else "Week 1"
    return f"Month {int(days // (365.25 / 12)) + 1}" if days else "Month 1"


def timing_label(program: Program, timing: Timing | None) -> tuple[str, float | None]:
    """A timing as a label for a reader and an offset in days (None when unknown)."""
    if timing is None:
        return UNDATED, None
    length = _length(program)
    days = timing.offset_days(length, program.schedule.start)
    if timing.anchor == "start":
        return "Start", days
    if timing.anchor in ("midpoint", "end"):
        name = "Midpoint" if timing.anchor == "midpoint" else "End"
        if length is None:
            tied = program.schedule.tied_to
            return (f"{name} of {tied}" if tied else name), None
        at = length.days / 2 if timing.anchor == "midpoint" else length.days - 1
        return f"{name} ({relative_label(at, length.unit)})", days
    if timing.anchor in ("month", "week"):
        return f"{timing.anchor.capitalize()} {timing.number}", days
    if timing.anchor == "after":
        assert timing.span is not None  # Timing.parse gives every 'after' a span, every 'date' a date
        return _span_label(timing.span), days
    assert timing.date is not None
    return long_date(timing.date), days


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _span_label(span: Duration) -> str:
    """'6 weeks' -> 'Week 6', '3 months' -> 'Month 3' (the point that many weeks or months in)."""
    amount = span.amount * 12 if span.unit == "year" else span.amount / 7 if span.unit == "day" else span.amount
    text = str(int(amount)) if float(amount).is_integer() else f"{amount:g}"
    return f"{'Week' if span.unit in ('week', 'day') else 'Month'} {text}"


def _schedule_points(program: Program) -> list[Milestone]:
    """Evaluations, the compatibility check and the switch point; a check or switch that falls on
    an evaluation is that evaluation, not a second milestone on the same day."""
    schedule = program.schedule
    points = []
    for index, evaluation in enumerate(schedule.evaluations):
        label, days = timing_label(program, evaluation.at)
        at = evaluation.at.span
        kind = "compatibility" if at is not None and at == schedule.compatibility_check else "evaluation"
        points.append(Milestone(f"evaluation-{index + 1}", evaluation.name, kind, label, days,
                                description=evaluation.description, attendees=tuple(evaluation.by),
                                switch_point=at is not None and at == schedule.switch_after))
    if schedule.compatibility_check and not any(p.kind == "compatibility" for p in points):
        label, days = _span_label(schedule.compatibility_check), schedule.compatibility_check.days
        points.append(Milestone("compatibility-check", "Compatibility check", "compatibility", label, days,
                                description="Each pair is asked whether the match is working.",
                                switch_point=schedule.compatibility_check == schedule.switch_after))
    if schedule.switch_after and not any(p.switch_point for p in points):
        label, days = _span_label(schedule.switch_after), schedule.switch_after.days
        points.append(Milestone("switch-point", "Partners may ask to change", "switch", label, days,
                                description=f"After {schedule.switch_after}, either partner may ask for a new "
                                            "match without giving a reason.", switch_point=True))
    return points


def _events(program: Program) -> list[Milestone]:
    milestones = []
    for event in program.events:
        label, days = timing_label(program, event.when)
        date = event.when.date if event.when is not None else None
        milestones.append(Milestone(event.id, event.name, event.kind, label, days, date,
                                    event.description, event.required, attendees=tuple(event.attendees),
                                    delivered_by=tuple(event.delivered_by), paid_time=event.paid_time))
    return milestones


def _group_sessions(program: Program) -> list[Milestone]:
    group = program.meetings.group
    if group is None or (group.every_weeks is None and not isinstance(group.per_month, (int, float))):
        return []
    length = _length(program)
    if group.every_weeks:
        recurrence = "every week" if group.every_weeks == 1 else f"every {group.every_weeks} weeks"
        count = math.floor(length.weeks / group.every_weeks) if length else None
    else:
        assert isinstance(group.per_month, (int, float))  # checked above
        recurrence = "monthly" if group.per_month == 1 else f"{group.per_month:g} times a month"
        count = math.floor(length.months * group.per_month + 1e-9) if length else None
    if count is not None:
        count = max(1, min(count, MAX_GROUP_SESSIONS))
    name = plural(group.name[:1].upper() + group.name[1:])
    return [Milestone("group-sessions", name, "group", f"From month 1, {recurrence}", 0.0,
                      description=", ".join(group.topics) or None, required=None,
                      recurrence=recurrence, count=count, attendees=tuple(group.attendance))]


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _dated(milestone: Milestone, start: dt.date) -> Milestone:
    if milestone.date is not None or milestone.days is None:
        return milestone
    whole_months = milestone.days / (365.25 / 12)
    on_a_month = abs(whole_months - round(whole_months)) < 1e-6
    if milestone.label.startswith(("Month", "From month", "End", "Midpoint")) and on_a_month:
        date = add_months(start, round(whole_months))
    else:
        date = start + dt.timedelta(days=round(milestone.days))
    return Milestone(**{**milestone.__dict__, "date": date})


_ICS_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_ICS_DROPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def ics_text(value: str) -> Any:
    """A value as iCalendar TEXT: line breaks as the escaped \\n of RFC 5545 (never a raw line, which
    would start a property or an event of its own), ',', ';' and '\\' escaped, control characters
    dropped (the schema refuses them; this holds whatever reaches the calendar)."""
    from icalendar import vText

    return vText(_ICS_DROPPED.sub("", _ICS_LINE_BREAK.sub("\n", str(value))))


def ics_calendar(program: Program, milestones: list[Milestone], build_epoch: int = 0) -> bytes | None:
    """The milestones as iCalendar (all-day events; group sessions recur), stamped with the build date
    (seconds since 1970, the build's SOURCE_DATE_EPOCH). None without a start date. Every text value goes
    through ics_text."""
    if program.schedule.start is None:
        return None
    from icalendar import Calendar, Event, vRecur

    stamp = dt.datetime.fromtimestamp(build_epoch, dt.UTC)
    cal = Calendar()
    cal.add("prodid", "-//handbook//mentoring program calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", ics_text(f"{program.name} ({program.edition})"))
    for milestone in milestones:
        if milestone.date is None:
            continue
        event = Event()
        event.add("uid", ics_text(f"{program.id}-{milestone.id}@handbook"))
        event.add("dtstamp", stamp)
        event.add("summary", ics_text(f"{program.display_name}: {milestone.name}"))
        event.add("dtstart", milestone.date)
        event.add("dtend", milestone.date + dt.timedelta(days=1))
        if milestone.description:
            event.add("description", ics_text(milestone.description))
        if milestone.recurrence and milestone.count:
            group = program.meetings.group
            assert group is not None  # only group sessions recur
            if group.every_weeks:
                rule = {"freq": "weekly", "interval": group.every_weeks, "count": milestone.count}
            elif group.per_month == 1:
                rule = {"freq": "monthly", "count": milestone.count}
            else:
                assert isinstance(group.per_month, (int, float))  # group sessions have every_weeks or per_month
                rule = {"freq": "weekly", "interval": max(1, round(52 / 12 / group.per_month)),
                        "count": milestone.count}
            event.add("rrule", vRecur(rule))
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
