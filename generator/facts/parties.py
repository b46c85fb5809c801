"""Roles and committees as the handbook names them: a title for headings, a phrase for sentences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.config.schema import Committee, Program, Role


@dataclass(frozen=True)
class Party:
    """A role or a committee the program defines.

    `title` goes in headings and tables ("Steering Team"); `refer` in running text ("the Steering
    Team", or what the program set in `refer_as`, e.g. "Human Resources").
    """

    id: str
    title: str
    refer: str
    kind: Literal["role", "committee"]
    summary: str
    held_by: str | None = None
    duties: tuple[str, ...] = ()
    is_not: tuple[str, ...] = ()
    qualities: tuple[str, ...] = ()
    members: tuple[Party | str, ...] = ()   # a committee's members: parties, or positions in words
    meets: str | None = None

    @property
    def Refer(self) -> str:
        return self.refer[:1].upper() + self.refer[1:]

    def __str__(self) -> str:
        return self.title


def role_party(role: Role, terms: dict[str, str]) -> Party:
    """A role; the mentor and mentee are named by the program's terms in sentences ('the mentor')."""
    refer = role.refer_as or f"the {terms.get(role.id, role.title)}"
    return Party(role.id, role.title, refer, "role", role.summary, role.held_by,
                 tuple(role.responsibilities), tuple(role.is_not), tuple(role.characteristics))


def committee_party(committee: Committee, parties: dict[str, Party]) -> Party:
    members = tuple(parties.get(member, member) for member in committee.members)
    return Party(committee.id, committee.name, committee.refer_as or f"the {committee.name}", "committee",
                 committee.purpose, duties=tuple(committee.responsibilities), members=members, meets=committee.meets)


def program_parties(program: Program) -> tuple[tuple[Party, ...], tuple[Party, ...], dict[str, Party]]:
    """(roles, committees, lookup by id). An id used by both a role and a committee names the role."""
    terms = {"mentor": program.mentor_term, "mentee": program.mentee_term}
    roles = tuple(role_party(role, terms) for role in program.roles)
    by_id = {party.id: party for party in roles}
    committees = tuple(committee_party(c, by_id) for c in program.committees)
    for committee in committees:
        by_id.setdefault(committee.id, committee)
    return roles, committees, by_id
