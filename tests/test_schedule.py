"""The program calendar: milestones from config, dates from a start date, iCalendar output."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from icalendar import Calendar

from generator.config import ConfigError, load_programs
from generator.config.schema import Program
from generator.facts.schedule import add_months, ics_calendar, program_schedule
from tests.conftest import MINIMAL_PROGRAM, write_project


def program(**changes) -> Program:
    data = {**copy.deepcopy(MINIMAL_PROGRAM), "id": "example", **changes}
    return Program.model_validate(data)


EVENTS = [
    {"id": "orientation", "name": "Orientation", "kind": "orientation", "when": "month 1"},
    {"id": "training", "name": "Training", "kind": "training", "when": "month 3"},
    {"id": "celebration", "name": "Celebration", "kind": "celebration", "when": "end"},
]


def test_relative_program_shows_months_and_weeks_and_no_dates():
    p = program(schedule={"length": "9 months", "switch_after": "6 weeks", "compatibility_check": "3 months"},
                events=EVENTS, meetings={"group": {"per_month": 1}})
    labels = [(m.label, m.name) for m in program_schedule(p)]
    assert ("Week 6", "Partners may ask to change") in labels
    assert ("Month 3", "Compatibility check") in labels
    assert ("End (Month 9)", "Celebration") in labels
    assert all(m.date is None for m in program_schedule(p))
    assert ics_calendar(p, program_schedule(p)) is None


def test_milestones_are_in_time_order():
    p = program(schedule={"length": "9 months", "switch_after": "6 weeks"}, events=list(reversed(EVENTS)))
    days = [m.days for m in program_schedule(p)]
    assert days == sorted(days)


def test_dates_follow_the_start_date():
    p = program(schedule={"length": "5 months", "start": "2027-02-01"}, events=EVENTS)
    dates = {m.id: m.date for m in program_schedule(p)}
    assert dates == {"orientation": dt.date(2027, 2, 1), "training": dt.date(2027, 4, 1),
                     "celebration": dt.date(2027, 7, 1)}


def test_ics_has_one_event_per_milestone_and_recurring_group_sessions():
    p = program(schedule={"length": "9 months", "start": "2027-01-15", "switch_after": "6 weeks"},
                events=EVENTS, meetings={"group": {"per_month": 1, "name": "group session"}})
    milestones = program_schedule(p)
    cal = Calendar.from_ical(ics_calendar(p, milestones))
    events = cal.walk("VEVENT")
    assert len(events) == len(milestones) == 5
    group = next(e for e in events if "Group sessions" in str(e["SUMMARY"]))
    assert group["RRULE"]["FREQ"] == ["MONTHLY"] and group["RRULE"]["COUNT"] == [9]
    assert group.decoded("DTSTART") == dt.date(2027, 1, 15)
    switch = next(e for e in events if "change" in str(e["SUMMARY"]))
    assert switch.decoded("DTSTART") == dt.date(2027, 1, 15) + dt.timedelta(weeks=6)
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_ics_is_byte_identical_between_builds(monkeypatch):
    p = program(schedule={"length": "9 months", "start": "2027-01-15"}, events=EVENTS)
    assert ics_calendar(p, program_schedule(p)) == ics_calendar(p, program_schedule(p))


def test_tied_length_shows_points_relative_to_the_other_program_without_numbers():
    p = program(schedule={"tied_to": "the Leadership Academy"}, events=EVENTS,
                meetings={"group": {"per_month": 1}})
    by_id = {m.id: m for m in program_schedule(p)}
    assert by_id["celebration"].label == "End of the Leadership Academy" and by_id["celebration"].days is None
    assert by_id["group-sessions"].count is None
    assert list(by_id)[-1] == "celebration"


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 11, 15), 3) == dt.date(2028, 2, 15)


@pytest.mark.parametrize("schedule, events, message", [
    ({"length": "5 months", "start": "2027-02-30"}, [], "schedule.start"),
    ({"length": "5 months", "start": "next spring"}, [], "schedule.start"),
    ({"length": "5 months"}, [{"id": "x", "name": "X", "kind": "other", "when": "month 7"}], "events[0].when"),
    ({"length": "5 months", "start": "2027-02-01"}, [{"id": "x", "name": "X", "kind": "other", "when": "2027-09-01"}],
     "events[0].when"),
    ({"length": "5 months", "compatibility_check": "6 months"}, [], "schedule.compatibility_check"),
])
def test_impossible_schedules_are_located_config_errors(tmp_path, schedule, events, message):
    data = {**copy.deepcopy(MINIMAL_PROGRAM), "schedule": schedule, "events": events}
    project = write_project(tmp_path, {"p": data})
    with pytest.raises(ConfigError) as caught:
        load_programs(project)
    assert any(p.field == message and p.location.line for p in caught.value.problems), caught.value


def test_a_program_with_a_start_date_publishes_its_calendar(tmp_path):
    from generator.build import build
    from tests.test_charts import chart_project
    project = chart_project(tmp_path / "p", 3, False)
    path = project / "program-config" / "chart.yml"
    path.write_text(path.read_text().replace("schedule:\n", "schedule:\n  start: 2027-01-15\n"))
    build(project, out=tmp_path / "out", jobs=1, cache_dir=False)
    calendar = Calendar.from_ical((tmp_path / "out" / "chart" / "calendar.ics").read_bytes())
    assert len(calendar.walk("VEVENT")) == 1  # the switch point of MINIMAL_PROGRAM (6 weeks)
    assert "calendar.ics" in (tmp_path / "out" / "chart" / "downloads.html").read_text()


def test_relative_program_has_no_calendar_file(tmp_path):
    from generator.build import build
    from tests.test_charts import chart_project
    project = chart_project(tmp_path / "p", 3, False)
    build(project, out=tmp_path / "out", jobs=1, cache_dir=False)
    assert not (tmp_path / "out" / "chart" / "calendar.ics").exists()
