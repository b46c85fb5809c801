"""The facts stage, one fact at a time: what the handbook may say, computed from the configuration."""

from __future__ import annotations

import copy

import pytest

from generator.config.schema import Program
from generator.config.types import BLANK, Timing
from generator.facts import Phrase, derive_facts
from tests.conftest import MINIMAL_PROGRAM

ROLES = [
    {"id": "mentor", "title": "Mentor", "summary": "Guides."},
    {"id": "mentee", "title": "Mentee", "summary": "Learns."},
    {"id": "hr", "title": "Human Resources", "refer_as": "Human Resources", "summary": "Matches pairs."},
    {"id": "vendor", "title": "Training Vendor", "summary": "Delivers the training."},
    {"id": "coordinator", "title": "Program Coordinator", "summary": "Runs the program."},
]


def facts(**changes):
    data = {**copy.deepcopy(MINIMAL_PROGRAM), "id": "example", "roles": copy.deepcopy(ROLES), **changes}
    return derive_facts(Program.model_validate(data))


# Length ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("schedule, words", [
    ({"length": "9 months"}, "nine months"),
    ({"length": "1 year", "length_is_minimum": True}, "at least one year"),
    ({"tied_to": "the Leadership Academy"}, "as long as the Leadership Academy runs"),
    ({"length": "6 months", "tied_to": "the Academy"}, "six months, alongside the Academy"),
])
def test_length_in_words(schedule, words):
    assert str(facts(schedule=schedule).length) == words


def test_blank_length_stays_a_blank():
    length = facts(schedule={"length": "blank"}).length
    assert isinstance(length, Phrase) and length.has_blank


# Cadence and time -------------------------------------------------------------------------------

@pytest.mark.parametrize("one, words", [
    ({"per_month": 2}, "twice a month"),
    ({"per_month": 1, "at_least": True}, "at least once a month"),
    ({"every_weeks": 2}, "every two weeks"),
    ({"per_month": "blank", "at_least": True}, "at least __________ times a month"),
])
def test_cadence_says_only_what_is_given(one, words):
    assert str(facts(meetings={"one_to_one": one}).cadence) == words


def test_no_cadence_is_no_sentence_not_a_guess():
    assert facts(meetings={"one_to_one": {}}).cadence is None


def test_time_together_and_estimate():
    assert str(facts(meetings={"one_to_one": {"hours_per_month": 4}}).time_together) == "at least 4 hours a month"
    estimated = facts(meetings={"one_to_one": {"per_month": 2, "meeting_hours": 1}})
    assert estimated.time_together is None and estimated.monthly_estimate == "about 2 hours a month"
    assert facts(meetings={"one_to_one": {"per_month": "blank", "meeting_hours": 1}}).monthly_estimate is None


def test_commitment_joins_cadence_and_time():
    found = facts(meetings={"one_to_one": {"per_month": 2, "at_least": True, "hours_per_month": 2}}).commitment
    assert str(found) == "one-to-one meetings at least twice a month, at least 2 hours a month"
    assert facts(meetings={"one_to_one": {}}).commitment is None


def test_meeting_count_needs_length_and_cadence():
    assert facts(schedule={"length": "9 months"}, meetings={"one_to_one": {"per_month": 2}}).meeting_count == 18
    assert facts(schedule={"tied_to": "X"}, meetings={"one_to_one": {"per_month": 2}}).meeting_count is None


# Who -----------------------------------------------------------------------------------------------

def test_roles_refer_by_title_or_by_what_the_program_says():
    found = facts()
    assert found.party("vendor").refer == "the Training Vendor"
    assert found.party("hr").refer == "Human Resources" and found.party("hr").Refer == "Human Resources"
    assert found.mentor.refer == "the mentor"


def test_runner_is_named_only_when_the_program_says():
    assert facts().runner is None
    assert facts(run_by="coordinator").runner.title == "Program Coordinator"


def test_matcher_and_scheduler():
    found = facts(selection={"matched_by": "hr"}, meetings={"one_to_one": {"who_schedules": "mentee"}})
    assert found.matcher.refer == "Human Resources"
    assert found.scheduler.id == "mentee"


@pytest.mark.parametrize("selection, applies", [
    ({}, None),
    ({"application": False}, False),
    ({"how_to_apply": ["a statement of goals"]}, True),
    ({"application": True}, True),
])
def test_application_step(selection, applies):
    assert facts(selection=selection).application is applies


def test_others_are_every_role_but_the_pair_and_the_runner():
    assert [p.id for p in facts(run_by="coordinator").others] == ["hr", "vendor"]


# Events ----------------------------------------------------------------------------------------------

EVENTS = [
    {"id": "training", "name": "Mentor training", "kind": "training", "attendees": ["mentor"], "delivered_by": ["vendor"]},
    {"id": "kickoff", "name": "Kick-off", "kind": "orientation", "when": "month 1", "required": True,
     "attendees": ["mentor", "mentee"]},
    {"id": "party", "name": "Party", "kind": "celebration", "when": "end", "required": False, "attendees": ["mentee"]},
]


def test_undated_events_are_to_be_announced_not_at_the_start():
    training = facts(events=EVENTS).events[0]
    assert (training.when, training.when_phrase, training.dated) == ("Date to be announced", "date to be announced", False)
    milestone = next(m for m in facts(events=EVENTS).milestones if m.id == "training")
    assert milestone.days is None and not milestone.dated


def test_required_only_when_said():
    assert [e.required for e in facts(events=EVENTS).events] == [None, True, False]


def test_attendees_and_deliverers_are_separate():
    found = facts(events=EVENTS)
    assert [e.name for e in found.trainings_for("mentee")] == ["Kick-off"]
    assert [e.name for e in found.trainings_for("mentor")] == ["Mentor training", "Kick-off"]
    assert [p.id for p in found.events[0].delivered_by] == ["vendor"]
    assert [e.name for e in found.events_for("mentee", required=True)] == ["Kick-off"]


def test_evaluations_have_labels_and_phrases():
    found = facts(schedule={"length": "9 months", "evaluations": [
        {"at": "6 weeks", "name": "Check-in", "by": ["mentor"]}, {"at": "midpoint", "name": "Mid"},
        {"at": "end", "name": "Final"}]})
    assert [(v.when, v.when_phrase) for v in found.evaluations] == [
        ("Week 6", "after six weeks"), ("Midpoint (Month 5)", "halfway through"), ("End (Month 9)", "at the end")]


def test_switch_and_compatibility_points():
    found = facts(schedule={"length": "9 months", "switch_after": "6 weeks", "compatibility_check": "3 months"})
    assert (found.switch_after, found.switch_label) == ("six weeks", "Week 6")
    assert (found.compatibility_check, found.compatibility_label) == ("three months", "Month 3")


def test_group_sessions():
    group = facts(meetings={"group": {"per_month": 1, "attendance": {"mentee": "required", "mentor": "optional"}}}).group
    assert (group.title, group.cadence) == ("Group sessions", "once a month")
    assert group.attendance_of("mentee") == "required" and group.attendance_of("hr") is None
    assert facts(meetings={"group": {}}).group.cadence is None


# Eligibility ----------------------------------------------------------------------------------------

def test_requirements_are_rows_that_are_set():
    found = facts(eligibility={"mentee": {"service": "blank", "supervisor_approval": True}})
    assert [r.name for r in found.requirements] == ["Length of service", "Supervisor's approval"]
    assert found.requirements[0].mentor is None and found.requirements[0].mentee.has_blank
    assert found.requirements_for("mentor") == ()


# Chart ------------------------------------------------------------------------------------------------

def test_declared_activities_make_the_chart():
    chart = facts(activities=[{"name": "Match pairs", "lead": ["hr"], "part": ["mentor"], "informed": ["mentee"]}]).chart
    assert chart.declared and [(r.name, r.cells) for r in chart.rows] == [
        ("Match pairs", (("hr", "Leads"), ("mentor", "Takes part"), ("mentee", "Informed")))]
    assert [p.id for p in chart.unassigned] == ["vendor", "coordinator"]


def test_derived_chart_uses_stated_facts_only():
    chart = facts(events=EVENTS, selection={"matched_by": "hr"},
                  roles=[*ROLES[:4], {**ROLES[4], "responsibilities": ["Evaluate and match and recruit"]}]).chart
    rows = {r.name: dict(r.cells) for r in chart.rows}
    assert rows["Match mentors and mentees"] == {"hr": "Leads"}
    assert rows["Mentor training"] == {"vendor": "Leads", "mentor": "Takes part"}  # the vendor does not "attend"
    assert rows["Party"] == {"mentee": "Optional"}
    assert [p.id for p in chart.unassigned] == ["coordinator"]  # duties' words give no part


# What is left open ---------------------------------------------------------------------------------------

def test_open_items_separate_blanks_from_silence():
    found = facts(meetings={"one_to_one": {"per_month": "blank"}}, events=EVENTS)
    items = {item.field: item.blank for item in found.open_items}
    assert items["meetings.one_to_one.per_month"] is True
    assert items["run_by"] is False and items["events[0].when"] is False and items["events[0].required"] is False
    assert "events[1].when" not in items


def test_timing_offsets():
    assert Timing.parse("month 3").offset_days(None) == pytest.approx(2 * 365.25 / 12)
    assert Timing.parse("end").offset_days(None) is None
    assert Timing.parse("6 weeks").offset_days(None) == 42
    assert str(Timing.parse("Week 2")) == "week 2"
    with pytest.raises(ValueError):
        Timing.parse("soon")


def test_blank_is_kept_in_phrases():
    assert Phrase(("at least ", BLANK, " hours")).has_blank
    assert str(Phrase(("a", None, "b"))) == "ab"
