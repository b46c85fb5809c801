"""The program configuration schema: everything that differs between agencies, declared once.

Every field carries a docstring (exported to JSON Schema and the configuration reference).
`extra="forbid"` turns a misspelt key into an error rather than a silence. Every text value has a
kind (config/types.py): one line (`Line`), text that may hold paragraphs (`Text`), or an id naming a
role, committee or document; none may hold a control character. Every list and mapping has an upper
bound (`AtMost`), checked before its items.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from generator.config.choices import ContentChoices
from generator.config.types import (
    BLANK,
    ID_PATTERN,
    MAX_GROUPS,
    MAX_ITEMS,
    AtMost,
    Blank,
    DocumentRef,
    Duration,
    Line,
    Lines,
    Model,
    Open,
    PartyRef,
    RoleRef,
    Text,
    Timing,
)

# Upper bounds on lists (checked before their items are validated: a huge list is one quick error).
MAX_ROLES = 30
MAX_COMMITTEES = 20
MAX_EVENTS = 60
MAX_ACTIVITIES = 60
MAX_CONTACTS = 20
MAX_EVALUATIONS = 24
MAX_POLICIES = 30

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
RoleRefs = Annotated[list[RoleRef], AtMost(MAX_ITEMS)]
PartyRefs = Annotated[list[PartyRef], AtMost(MAX_ITEMS)]


class Contact(Model):
    role: Line
    """Role title of the person to contact, e.g. 'Program Coordinator' (never a personal name)."""
    email: Line | None = None
    """E-mail address, e.g. coordinator@example.org."""
    phone: Line | None = None
    """Telephone number, optional."""
    purpose: Line | None = None
    """What to contact them about, e.g. 'questions about matching'."""


class Branding(Model):
    primary_color: Line = "#1f5f8b"
    """Main color (hex, e.g. '#1f5f8b') for headings, the site header and PDF covers."""
    accent_color: Line = "#c7511f"
    """Accent color (hex) for links and highlights."""
    logo: Line | None = None
    """Path to a logo image, relative to the project folder: PNG, JPEG or SVG (by content, not only by name),
    at most 2 MB; an SVG may not hold scripts, event handlers or references to other files."""

    @field_validator("primary_color", "accent_color")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            raise ValueError(f"'{value}' is not a color; write it as six hex digits, e.g. '#1f5f8b'")
        return value.lower()


class Evaluation(Model):
    at: Timing
    """When the evaluation happens: a span from the start ('6 weeks', '3 months'), 'midpoint', 'end', 'month 4'."""
    name: Line
    """What it is called, e.g. 'Compatibility check' or 'End-of-program evaluation'."""
    by: PartyRefs = []
    """Ids of the roles that complete it."""
    description: Text | None = None
    """What is asked or decided at this point."""


class Schedule(Model):
    length: Open[Duration] | None = None
    """How long the partnership lasts, e.g. '9 months' or '1 year'; 'blank' to leave it open."""
    length_is_minimum: bool = False
    """`true` when the length is a minimum ('at least one year')."""
    tied_to: Line | None = None
    """Instead of a fixed length: the program it runs alongside, e.g. 'the Leadership Academy'."""
    start: dt.date | None = None
    """First day of the program (YYYY-MM-DD), if known. Without it the calendar is relative (month 1, week 6)."""
    switch_after: Duration | None = None
    """Point after which either partner may ask for a new match without giving a reason, e.g. '6 weeks'."""
    compatibility_check: Duration | None = None
    """When pairs are asked whether the match works, e.g. '3 months'."""
    evaluations: Annotated[list[Evaluation], AtMost(MAX_EVALUATIONS)] = []
    """Evaluation points during and at the end of the program."""

    @model_validator(mode="after")
    def _consistent(self) -> Schedule:
        if self.length is None and self.tied_to is None:
            raise ValueError("give either 'length' (e.g. '9 months', or 'blank') or 'tied_to'")
        return self


class OneToOne(Model):
    per_month: Open[Annotated[float, Field(gt=0, le=31)]] | None = None
    """One-to-one meetings per month (e.g. 1 or 2), or 'blank'. Give this or every_weeks."""
    every_weeks: int | None = Field(default=None, ge=1, le=26)
    """Instead of per_month: meet every N weeks (2 = bi-weekly)."""
    at_least: bool | None = None
    """`true` when the cadence is a minimum ('at least once a month'); leave out for an exact cadence."""
    hours_per_month: Open[Annotated[float, Field(gt=0, le=160)]] | None = None
    """Minimum hours per month the pair spends in conversation, or 'blank'."""
    meeting_hours: Open[Annotated[float, Field(gt=0, le=24)]] | None = None
    """Usual length of one meeting in hours."""
    first_meeting_hours: Open[Annotated[float, Field(gt=0, le=24)]] | None = None
    """Recommended length of the first meeting in hours."""
    on_work_time: bool | None = None
    """`true` when one-to-one meetings happen on paid work time; leave out when the program does not say."""
    who_schedules: RoleRef | None = None
    """Id of the role that schedules and initiates meetings (e.g. 'mentee')."""
    format: Line | None = None
    """How pairs meet, e.g. 'in person or by video call'."""

    @model_validator(mode="after")
    def _one_cadence(self) -> OneToOne:
        if self.per_month is not None and self.every_weeks is not None:
            raise ValueError("give either per_month or every_weeks, not both")
        return self

    @property
    def meetings_per_month(self) -> float | Blank | None:
        """Cadence as meetings per month, whichever way it was given."""
        if self.every_weeks is not None:
            return round(52 / 12 / self.every_weeks, 2)
        return self.per_month


class GroupSessions(Model):
    name: Line = "group session"
    """What the program calls them, e.g. 'group session' or 'networking lunch'."""
    per_month: Open[Annotated[float, Field(gt=0, le=31)]] | None = None
    """Group sessions per month (1 = monthly), or 'blank'."""
    every_weeks: int | None = Field(default=None, ge=1, le=52)
    """Instead of per_month: one every N weeks."""
    hours: Open[Annotated[float, Field(gt=0, le=24)]] | None = None
    """Length of a session in hours."""
    attendance: Annotated[dict[PartyRef, Literal["required", "optional"]], AtMost(MAX_GROUPS)] = {}
    """Per role id: whether attending is 'required' or 'optional'."""
    topics: Lines = []
    """Typical topics of the sessions."""


class Meetings(Model):
    one_to_one: OneToOne = OneToOne()
    """Mentor and mentee meetings."""
    group: GroupSessions | None = None
    """Group sessions for all participants, if the program has them."""


class Eligibility(Model):
    service: Open[Duration] | None = None
    """Minimum length of service with the agency, e.g. '1 year', or 'blank'."""
    probation_completed: bool | None = None
    """`true` when the probationary period must be completed."""
    performance: Line | None = None
    """Performance requirement in words, e.g. 'a current rating of meets expectations or better'."""
    no_disciplinary_issues: bool | None = None
    """`true` when candidates must have no open performance or disciplinary issues."""
    supervisor_approval: bool | None = None
    """`true` when the supervisor must approve participation."""
    criteria: Lines = []
    """Further criteria in plain words, one per item."""


class EligibilityRules(Model):
    open_to: Line | None = None
    """Who may apply, in words, e.g. 'all regular employees, management and non-management'."""
    mentee: Eligibility = Eligibility()
    """Requirements for mentees."""
    mentor: Eligibility = Eligibility()
    """Requirements for mentors."""
    mentees_per_mentor: Open[Annotated[int, Field(ge=1, le=20)]] | None = None
    """How many mentees one mentor may take."""
    exceptions: Text | None = None
    """How exceptions to the requirements are handled."""


class Selection(Model):
    how_to_apply: Lines = []
    """What applicants submit (e.g. a statement of interest with their top three strengths)."""
    matching_criteria: Lines = []
    """What matchers weigh when pairing a mentor with a mentee."""
    application: bool | None = None
    """`true` when people apply to take part (with the intake form); `false` when they do not. Leave it out
    when the program does not say; a list in how_to_apply means true."""
    matched_by: PartyRef | None = None
    """Id of the role or committee that matches pairs."""
    self_matching: Text | None = None
    """How participants may find their own partner, if the program allows it."""
    discussion_topics: Annotated[dict[RoleRef, Lines], AtMost(MAX_GROUPS)] = {}
    """What the matcher talks through with candidates before matching, keyed by role id (e.g. the mentor's career path)."""  # noqa: E501


class Role(Model):
    id: Id
    """Short id used to refer to the role elsewhere, e.g. 'mentor', 'coordinator'."""
    title: Line
    """Title as printed, e.g. 'Support Coordinator'."""
    refer_as: Line | None = None
    """How a sentence names the role, e.g. 'Human Resources', 'the Steering Team', 'your supervisor'.
    Default: 'the' and the title ('the Support Coordinator')."""
    held_by: Line | None = None
    """Who holds the role, as a position (e.g. 'the City Manager'), never a personal name."""
    summary: Text
    """One or two sentences on what the role is for."""
    responsibilities: Lines = []
    """What the role does, one duty per item."""
    is_not: Lines = []
    """What the role does not do (e.g. 'take part in performance appraisals of the mentee')."""
    characteristics: Lines = []
    """Qualities that make someone good in this role."""


class Committee(Model):
    id: Id
    """Short id, e.g. 'steering-team'."""
    name: Line
    """Name as printed, e.g. 'Mentoring Committee'."""
    refer_as: Line | None = None
    """How a sentence names the committee. Default: 'the' and the name ('the Mentoring Committee')."""
    purpose: Text
    """What the committee is for."""
    members: Lines = []
    """Who sits on it: role ids, or positions in words (e.g. 'a liaison from each participating department')."""
    responsibilities: Lines = []
    """What the committee does."""
    meets: Line | None = None
    """How often it meets, in words."""


class Event(Model):
    id: Id
    """Short id, e.g. 'orientation'."""
    name: Line
    """Name as printed, e.g. 'Orientation and training'."""
    kind: Literal["orientation", "training", "checkpoint", "evaluation", "group", "celebration", "other"]
    """What sort of event it is."""
    when: Timing | None = None
    """When it happens: 'month 1', 'week 6', 'start', 'end', or a date (YYYY-MM-DD). Leave out when
    the date is not set yet: the handbook then says 'date to be announced'."""
    required: bool | None = None
    """`true` when attendance is required, `false` when optional; leave out when the program does not say."""
    attendees: PartyRefs = []
    """Ids of the roles (or committees) who attend."""
    delivered_by: PartyRefs = []
    """Ids of the roles or committees who run or deliver it (e.g. an outside trainer)."""
    paid_time: bool | None = None
    """`true` when attendance is on paid work time."""
    description: Text | None = None
    """What happens there."""


class Activity(Model):
    name: Line
    """A row of the responsibility chart, e.g. 'Match mentors and mentees'."""
    lead: RoleRefs = []
    """Ids of the roles that lead it."""
    part: RoleRefs = []
    """Ids of the roles that take part."""
    informed: RoleRefs = []
    """Ids of the roles kept informed."""


class Confidentiality(Model):
    summary: Text | None = None
    """The confidentiality rule in one or two sentences (program-config/_base.yml gives a shared one)."""
    exceptions: Lines = []
    """What must be reported regardless (e.g. abuse, criminal activity, a hostile work environment)."""


class Policy(Model):
    title: Line
    """Heading of the policy."""
    text: Text
    """The policy in plain words."""


class Policies(Model):
    confidentiality: Confidentiality = Confidentiality()
    """Confidentiality and its limits."""
    no_fault_ending: Text | None = None
    """How either partner may end the relationship without blame; leave out when the program has no such rule."""
    time: Text | None = None
    """Rules on work time, time off and pay for mentoring activities."""
    promotion_disclaimer: Text | None = None
    """A note that taking part does not guarantee promotion, where the agency wants one."""
    other: Annotated[list[Policy], AtMost(MAX_POLICIES)] = []
    """Any further policies."""


class Documents(Model):
    exclude: Annotated[list[DocumentRef], AtMost(MAX_ITEMS)] = []
    """Ids of default documents this program does not publish."""
    include: Annotated[list[DocumentRef], AtMost(MAX_ITEMS)] = []
    """Ids of optional documents (not published by default) this program publishes."""


class CopiedFrom(Model):
    program: Line
    """Id of the program this file was copied from by `handbook new --from`."""
    names: Annotated[list[Line], AtMost(MAX_ROLES + MAX_COMMITTEES + MAX_CONTACTS + 10)] = []
    """That program's names: its name, agency, department, role titles, committee names, contacts."""


class Program(Model):
    """One mentoring program: everything that differs between agencies."""

    id: Id
    """Program id; taken from the file name (program-config/<id>.yml)."""
    name: Line = Field(min_length=1, max_length=200)
    """Program name as printed, e.g. 'Shared Leadership Learning'."""
    short_name: Line | None = None
    """Short name used in running text, e.g. 'SLL'. Defaults to the name."""
    agency: Line = Field(min_length=1, max_length=200)
    """Agency that runs the program, e.g. 'City of Example'."""
    department: Line | None = None
    """Department or unit that runs it, e.g. 'Human Resources, Training & Development'."""
    description: Text
    """One-paragraph description of the program."""
    edition: Line
    """Year or edition printed on covers, e.g. '2027' or '2027-28'."""
    language: str = Field(default="en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    """Language of the handbook (BCP 47 code, e.g. 'en' or 'en-US')."""
    paper: Literal["letter", "a4"] = "letter"
    """Paper size of the PDFs."""
    mentor_term: Line = "mentor"
    """What the program calls a mentor."""
    mentee_term: Line = "mentee"
    """What the program calls a mentee."""
    contacts: Annotated[list[Contact], AtMost(MAX_CONTACTS)] = []
    """Who to contact, by role title."""
    branding: Branding = Branding()
    """Colors and logo."""
    schedule: Schedule
    """Length of the program and its key points."""
    meetings: Meetings = Meetings()
    """How often and how long pairs and groups meet."""
    eligibility: EligibilityRules = EligibilityRules()
    """Who may take part."""
    selection: Selection = Selection()
    """How participants apply and are matched."""
    roles: Annotated[list[Role], AtMost(MAX_ROLES)] = Field(min_length=1)
    """Every role in the program, in the order they are presented; one has id 'mentor' and one 'mentee'."""
    run_by: PartyRef | None = None
    """Id of the role (or committee) that runs the program day to day, e.g. 'coordinator'. Leave it out
    when no one role does: the handbook then names no coordinator."""
    committees: Annotated[list[Committee], AtMost(MAX_COMMITTEES)] = []
    """Committees and teams that run or advise the program."""
    events: Annotated[list[Event], AtMost(MAX_EVENTS)] = []
    """Required and optional events: orientation, training, check points, celebrations."""
    activities: Annotated[list[Activity], AtMost(MAX_ACTIVITIES)] = []
    """Rows of the responsibility chart: who leads, takes part in, or is informed of each activity.
    Empty: the rows come from what the program states elsewhere (matching, meetings, events, evaluations)."""
    policies: Policies = Policies()
    """Confidentiality, ending a partnership, time rules and other policies."""
    content: ContentChoices = ContentChoices()
    """Program-specific lists the shared content draws on (purposes, competencies, ground rules)."""
    documents: Documents = Documents()
    """Which documents the program publishes beyond or instead of the defaults."""
    copied_from: CopiedFrom | None = None
    """Written by `handbook new --from`: `handbook check` warns while free text still mentions one of the
    source's names that this program no longer has (a renamed committee). Delete it once the copy is yours."""

    # Convenience for templates -------------------------------------------------------------
    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def committee(self, committee_id: str) -> Committee | None:
        return next((c for c in self.committees if c.id == committee_id), None)

    def party_ids(self) -> list[str]:
        """Every id a reference may name: roles first, then committees."""
        return list(dict.fromkeys([r.id for r in self.roles] + [c.id for c in self.committees]))


__all__ = ["BLANK", "Blank", "Duration", "Program"]
