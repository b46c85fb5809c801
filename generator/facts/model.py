"""ProgramFacts: what the handbook may say about one program, computed once from its configuration.

Every fact is either stated by the configuration (or by program-config/_base.yml, which a
coordinator can read and override) or absent (None, an empty tuple). A value left `blank` on
purpose stays a blank inside a Phrase, so documents print a write-in line. Templates lay these
facts out; they decide nothing about the program themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from generator.config.schema import Program
from generator.config.types import Duration, Timing
from generator.facts.chart import Chart, responsibility_chart
from generator.facts.parties import Party, program_parties
from generator.facts.phrases import Phrase, frequency, hours, in_words, plural
from generator.facts.schedule import Milestone, long_date, program_schedule, timing_label

TRAINING_KINDS = ("orientation", "training")


@dataclass(frozen=True)
class EventFacts:
    id: str
    name: str
    kind: str
    description: str | None
    when: str                # for a table: "Month 1", "End (Month 9)", "Date to be announced"
    when_phrase: str         # in a sentence: "in month 1", "at the end", "on 2027-03-01", "date to be announced"
    dated: bool
    required: bool | None    # None: the program does not say
    attendees: tuple[Party, ...]
    delivered_by: tuple[Party, ...]
    paid_time: bool | None

    def attended_by(self, party_id: str) -> bool:
        return any(p.id == party_id for p in self.attendees)

    @property
    def need(self) -> str | None:
        """'required' or 'optional' when the program says which; None when it does not."""
        return None if self.required is None else "required" if self.required else "optional"


@dataclass(frozen=True)
class EvaluationFacts:
    name: str
    when: str          # "Week 6", "Midpoint (Month 5)", "End"
    when_phrase: str   # "after six weeks", "halfway through", "at the end"
    by: tuple[Party, ...]
    description: str | None


@dataclass(frozen=True)
class GroupFacts:
    name: str                        # "group session"
    title: str                       # "Group sessions"
    cadence: str | Phrase | None     # "once a month"; None when not said
    length: str | Phrase | None      # "2 hours"
    attendance: tuple[tuple[Party, str], ...]   # (who, "required" | "optional")
    topics: tuple[str, ...]

    def attendance_of(self, party_id: str) -> str | None:
        return next((need for party, need in self.attendance if party.id == party_id), None)


@dataclass(frozen=True)
class Requirement:
    """One row of the eligibility requirements: what, and what each side needs (None: nothing set)."""

    name: str
    mentee: str | Phrase | None
    mentor: str | Phrase | None


@dataclass(frozen=True)
class OpenItem:
    field: str       # the configuration field, e.g. meetings.one_to_one.hours_per_month
    what: str        # in words
    blank: bool      # True: left blank on purpose (a write-in line); False: the program does not say


@dataclass(frozen=True)
class ProgramFacts:
    program: Program
    length: str | Phrase                 # "nine months", "at least one year", "as long as X runs"
    length_known: Duration | None
    tied_to: str | None
    start: str | None                    # the start date in words, "January 4, 2027"
    cadence: str | Phrase | None         # "at least twice a month"; None when the program does not say
    time_together: Phrase | None         # "at least 4 hours a month"
    monthly_estimate: str | None         # "about 2 hours a month", from cadence x meeting length
    meeting_length: str | Phrase | None
    first_meeting_length: str | Phrase | None
    meeting_format: str | None
    scheduler: Party | None              # who arranges one-to-one meetings
    on_work_time: bool | None
    group: GroupFacts | None
    switch_after: str | Phrase | None    # "six weeks"
    switch_label: str | None             # "Week 6"
    compatibility_check: str | Phrase | None  # "three months"
    compatibility_label: str | None      # "Month 3"
    no_fault: str | None
    runner: Party | None                 # who runs the program day to day
    matcher: Party | None
    application: bool | None             # do people apply? None: the program does not say
    intake_form: str
    roles: tuple[Party, ...]
    committees: tuple[Party, ...]
    parties: dict[str, Party]
    events: tuple[EventFacts, ...]
    evaluations: tuple[EvaluationFacts, ...]
    milestones: tuple[Milestone, ...]
    requirements: tuple[Requirement, ...]
    mentees_per_mentor: str | Phrase | None   # "one mentee", "no more than three mentees", "no more than ____ mentees"
    objectives_limit: str | None         # "no more than three objectives", from content.max_objectives
    chart: Chart
    meeting_count: int | None            # one-to-one meetings over the program, when length and cadence are known

    def party(self, party_id: str) -> Party:
        return self.parties[party_id]

    def parties_of(self, ids: tuple[str, ...] | list[str]) -> tuple[Party, ...]:
        """Parties by id, in the order given (e.g. a milestone's attendees)."""
        return tuple(self.parties[i] for i in ids)

    @property
    def mentor(self) -> Party:
        return self.parties["mentor"]

    @property
    def mentee(self) -> Party:
        return self.parties["mentee"]

    @property
    def others(self) -> tuple[Party, ...]:
        """Roles other than mentor, mentee and whoever runs the program."""
        skip = {"mentor", "mentee", self.runner.id if self.runner else None}
        return tuple(r for r in self.roles if r.id not in skip)

    @property
    def commitment(self) -> Phrase | None:
        """The pair's time in one phrase: 'one-to-one meetings twice a month, at least 2 hours a month'."""
        parts = [Phrase(("one-to-one meetings ", self.cadence))] if self.cadence else []
        time = self.time_together or self.monthly_estimate
        parts += [Phrase((time,))] if time else []
        return Phrase((parts[0], ", ", parts[1])) if len(parts) == 2 else (parts[0] if parts else None)

    @property
    def trainings(self) -> tuple[EventFacts, ...]:
        return tuple(e for e in self.events if e.kind in TRAINING_KINDS)

    def events_for(self, party_id: str, required: bool | None = None) -> tuple[EventFacts, ...]:
        """Events the party attends; `required=True` keeps those the program says are required."""
        return tuple(e for e in self.events if e.attended_by(party_id)
                     and (required is None or e.required is required))

    def requirements_for(self, side: str) -> tuple[str | Phrase, ...]:
        """The requirements set for 'mentee' or 'mentor', in words."""
        return tuple(getattr(r, side) for r in self.requirements if getattr(r, side) is not None)

    def trainings_for(self, party_id: str, required: bool | None = None) -> tuple[EventFacts, ...]:
        """Orientations and trainings the party attends (`required=True`: those said to be required)."""
        return tuple(e for e in self.trainings
                     if e.attended_by(party_id) and (required is None or e.required is required))

    @property
    def compatibility_separate(self) -> bool:
        """True when the compatibility check is a point of its own, not one of the evaluations."""
        return bool(self.compatibility_check) and self.compatibility_label not in [v.when for v in self.evaluations]

    def events_of_kind(self, *kinds: str) -> tuple[EventFacts, ...]:
        return tuple(e for e in self.events if e.kind in kinds)

    @cached_property
    def open_items(self) -> tuple[OpenItem, ...]:
        from generator.facts.open_items import open_items

        return open_items(self)


def derive_facts(program: Program) -> ProgramFacts:
    roles, committees, parties = program_parties(program)
    schedule = program.schedule
    one = program.meetings.one_to_one
    length = schedule.length if isinstance(schedule.length, Duration) else None
    group = _group(program, parties)
    switch = schedule.switch_after
    check = schedule.compatibility_check
    return ProgramFacts(
        program=program,
        length=_length(program),
        length_known=length,
        tied_to=schedule.tied_to,
        start=long_date(schedule.start) if schedule.start else None,
        cadence=_cadence(program),
        time_together=(Phrase(("at least ", hours(one.hours_per_month), " a month"))
                       if one.hours_per_month is not None else None),
        monthly_estimate=_monthly_estimate(program),
        meeting_length=hours(one.meeting_hours) if one.meeting_hours is not None else None,
        first_meeting_length=hours(one.first_meeting_hours) if one.first_meeting_hours is not None else None,
        meeting_format=one.format,
        scheduler=parties.get(one.who_schedules) if one.who_schedules else None,
        on_work_time=one.on_work_time,
        group=group,
        switch_after=in_words(switch) if switch else None,
        switch_label=timing_label(program, Timing("after", span=switch))[0] if switch else None,
        compatibility_check=in_words(check) if check else None,
        compatibility_label=timing_label(program, Timing("after", span=check))[0] if check else None,
        no_fault=program.policies.no_fault_ending,
        runner=parties.get(program.run_by) if program.run_by else None,
        matcher=parties.get(program.selection.matched_by) if program.selection.matched_by else None,
        application=_application(program),
        intake_form=program.content.intake_form_name,
        roles=roles,
        committees=committees,
        parties=parties,
        events=tuple(_event(program, e, parties) for e in program.events),
        evaluations=tuple(_evaluation(program, v, parties) for v in schedule.evaluations),
        milestones=tuple(program_schedule(program)),
        requirements=_requirements(program),
        mentees_per_mentor=_mentees_per_mentor(program),
        objectives_limit=f"no more than {in_words(program.content.max_objectives)} objectives"
        if program.content.max_objectives else None,
        chart=responsibility_chart(program, roles, group.title if group else None),
        meeting_count=_meeting_count(program),
    )


def _length(program: Program) -> str | Phrase:
    schedule = program.schedule
    if schedule.length is None:
        return f"as long as {schedule.tied_to} runs"
    words = Phrase(("at least " if schedule.length_is_minimum else "", in_words(schedule.length)))
    return words + f", alongside {schedule.tied_to}" if schedule.tied_to else words


def _cadence(program: Program) -> str | Phrase | None:
    one = program.meetings.one_to_one
    if one.per_month is None and one.every_weeks is None:
        return None
    return Phrase(("at least " if one.at_least else "", frequency(one.per_month, one.every_weeks)))


def _monthly_estimate(program: Program) -> str | None:
    one = program.meetings.one_to_one
    per_month, each = one.meetings_per_month, one.meeting_hours
    if one.hours_per_month is not None or not isinstance(per_month, (int, float)) or not isinstance(each, (int, float)):
        return None
    return f"about {hours(round(per_month * each * 2) / 2)} a month"


def _group(program: Program, parties: dict[str, Party]) -> GroupFacts | None:
    group = program.meetings.group
    if group is None:
        return None
    said = group.per_month is not None or group.every_weeks is not None
    return GroupFacts(
        name=group.name,
        title=plural(group.name[:1].upper() + group.name[1:]),
        cadence=frequency(group.per_month, group.every_weeks) if said else None,
        length=hours(group.hours) if group.hours is not None else None,
        attendance=tuple((parties[r], need) for r, need in group.attendance.items()),
        topics=tuple(group.topics),
    )


def _when_phrase(timing: Timing | None) -> str:
    if timing is None:
        return "date to be announced"
    return {
        "start": "at the start", "midpoint": "halfway through", "end": "at the end",
        "month": f"in month {timing.number}", "week": f"in week {timing.number}",
        "after": f"after {in_words(timing.span)}",
    }.get(timing.anchor, f"on {timing.date.isoformat() if timing.date else ''}")


def _event(program: Program, event: Any, parties: dict[str, Party]) -> EventFacts:
    label, _ = timing_label(program, event.when)
    return EventFacts(
        id=event.id, name=event.name, kind=event.kind, description=event.description,
        when=label, when_phrase=_when_phrase(event.when),
        dated=event.when is not None, required=event.required,
        attendees=tuple(parties[a] for a in event.attendees),
        delivered_by=tuple(parties[d] for d in event.delivered_by),
        paid_time=event.paid_time,
    )


def _evaluation(program: Program, evaluation: Any, parties: dict[str, Party]) -> EvaluationFacts:
    label, _ = timing_label(program, evaluation.at)
    return EvaluationFacts(evaluation.name, label, _when_phrase(evaluation.at),
                           tuple(parties[b] for b in evaluation.by), evaluation.description)


def _application(program: Program) -> bool | None:
    selection = program.selection
    if selection.application is not None:
        return selection.application
    return True if selection.how_to_apply else None


def _requirements(program: Program) -> tuple[Requirement, ...]:
    """The structured eligibility requirements the program sets, one row each; unset rows are left out."""
    mentee, mentor = program.eligibility.mentee, program.eligibility.mentor
    rows: list[tuple[str, Callable[[Any], Any]]] = [
        ("Length of service", lambda e: Phrase(("at least ", in_words(e.service), f" of service with {program.agency}"))
         if e.service is not None else None),
        ("Probation", lambda e: "probationary period completed" if e.probation_completed else None),
        ("Performance", lambda e: e.performance),
        ("Conduct", lambda e: "no open performance or disciplinary issues" if e.no_disciplinary_issues else None),
        ("Supervisor's approval",
         lambda e: "the supervisor's approval to take part" if e.supervisor_approval else None),
    ]
    found = []
    for name, get in rows:
        pair = get(mentee), get(mentor)
        if any(value is not None for value in pair):
            found.append(Requirement(name, *pair))
    return tuple(found)


def _mentees_per_mentor(program: Program) -> str | Phrase | None:
    count, term = program.eligibility.mentees_per_mentor, program.mentee_term
    if count is None:
        return None
    if count == 1:
        return f"one {term} at a time"
    return Phrase(("no more than ", in_words(count), f" {plural(term)} at a time"))


def _meeting_count(program: Program) -> int | None:
    import math

    length = program.schedule.length
    one = program.meetings.one_to_one
    per_month = one.meetings_per_month
    if not isinstance(length, Duration) or not isinstance(per_month, (int, float)):
        return None
    count = length.weeks / one.every_weeks if one.every_weeks else length.months * per_month
    return max(1, math.ceil(round(count, 6)))


__all__ = [
    "EvaluationFacts",
    "EventFacts",
    "GroupFacts",
    "OpenItem",
    "ProgramFacts",
    "Requirement",
    "derive_facts",
]
