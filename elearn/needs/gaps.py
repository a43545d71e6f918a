"""What each ASN must master (requirements of their unit or position), what they have shown
(completed courses, verified external trainings), and the difference: their gaps.

Tags compare without regard to case or surrounding spaces ("BerAKHLAK" = "berakhlak")."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import (
    CompetencyRequirement,
    Course,
    Enrolment,
    ExternalTraining,
    Unit,
    User,
)
from elearn.models.units import subtree_ids


def normal(tag: str) -> str:
    return " ".join(tag.split()).casefold()


@dataclass(frozen=True)
class Tag:
    """A tag as HR wrote it, compared by its normal form."""

    key: str
    label: str


def _ancestors(units: dict[int, Unit], unit_id: int | None) -> set[int]:
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        unit_id = units[unit_id].parent_id if unit_id in units else None
    return seen


def _applies(requirement: CompetencyRequirement, person: User, unit_chain: set[int]) -> bool:
    if requirement.unit_id is not None and requirement.unit_id not in unit_chain:
        return False
    if requirement.position and normal(requirement.position) not in normal(person.position or ""):
        return False
    return True


def required(people: list[User]) -> dict[int, dict[str, Tag]]:
    """Each person's required tags: requirements of their unit or any unit above it, and of
    their position; one query for the requirements and one for the units, whatever the number."""
    requirements = db.session.scalars(select(CompetencyRequirement)).all()
    result: dict[int, dict[str, Tag]] = {person.id: {} for person in people}
    if not requirements:
        return result
    units = {unit.id: unit for unit in db.session.scalars(select(Unit))}
    for person in people:
        chain = _ancestors(units, person.unit_id)
        result[person.id] = {normal(r.tag): Tag(normal(r.tag), r.tag) for r in requirements
                             if _applies(r, person, chain)}
    return result


def achieved(user_ids: list[int]) -> dict[int, set[str]]:
    """Tags each person has shown: of courses completed and of external trainings verified."""
    shown: dict[int, set[str]] = defaultdict(set)
    courses = db.session.execute(
        select(Enrolment.user_id, Course.tags).join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id.in_(user_ids), Enrolment.completed_at.is_not(None))
    )
    trainings = db.session.execute(
        select(ExternalTraining.user_id, ExternalTraining.tags)
        .where(ExternalTraining.user_id.in_(user_ids), ExternalTraining.status == "verified")
    )
    for user_id, tags in [*courses, *trainings]:
        shown[user_id].update(normal(tag) for tag in tags or [])
    return shown


def gaps(people: list[User]) -> dict[int, list[Tag]]:
    """Required minus achieved, per person, in the order HR would read them."""
    needed = required(people)
    if not any(needed.values()):
        return {person.id: [] for person in people}
    have = achieved([person.id for person in people])
    return {
        person.id: sorted((tag for key, tag in needed[person.id].items() if key not in have[person.id]),
                          key=lambda tag: tag.key)
        for person in people
    }


def courses_for(tags: list[Tag], exclude_completed_by: int | None = None) -> dict[str, list[Course]]:
    """Published courses carrying each tag, leaving out those the person has completed."""
    wanted = {tag.key for tag in tags}
    if not wanted:
        return {}
    done: set[int] = set()
    if exclude_completed_by is not None:
        done = set(db.session.scalars(select(Enrolment.course_id).where(
            Enrolment.user_id == exclude_completed_by, Enrolment.completed_at.is_not(None))))
    courses = db.session.scalars(select(Course).where(
        Course.status == "published", Course.current_version_id.is_not(None)).order_by(Course.title))
    found: dict[str, list[Course]] = defaultdict(list)
    for course in courses:
        if course.id in done:
            continue
        for key in {normal(tag) for tag in course.tags or []} & wanted:
            found[key].append(course)
    return found


def recommendations(person: User) -> list[tuple[Course, list[Tag]]]:
    """Courses that close the person's gaps, those closing most gaps first."""
    person_gaps = gaps([person])[person.id]
    by_tag = courses_for(person_gaps, exclude_completed_by=person.id)
    closes: dict[int, tuple[Course, list[Tag]]] = {}
    for tag in person_gaps:
        for course in by_tag.get(tag.key, []):
            closes.setdefault(course.id, (course, []))[1].append(tag)
    return sorted(closes.values(), key=lambda item: (-len(item[1]), item[0].title))


def lacking(unit_id: int, key: str) -> list[User]:
    """The active ASN of a unit (with its sub-units) who lack a tag, as the matrix counts them."""
    people = db.session.scalars(select(User).where(
        User.active.is_(True), User.nip.is_not(None), User.unit_id.in_(subtree_ids(unit_id)))).all()
    person_gaps = gaps(people)
    return [person for person in people if any(tag.key == key for tag in person_gaps[person.id])]


@dataclass
class MatrixRow:
    unit: Unit
    depth: int
    headcount: int
    # For each tag, the people of the unit (sub-units included) who lack it.
    lacking: dict[str, list[User]]


@dataclass(frozen=True)
class Matrix:
    tags: list[Tag]
    rows: list[MatrixRow]
    courses: dict[str, list[Course]]


def needs_matrix() -> Matrix:
    """Units × required tags: how many active ASN of each unit (with its sub-units) lack each
    tag, and which courses cover it. Units without anyone required to learn anything are left out."""
    people = db.session.scalars(select(User).where(User.active.is_(True), User.nip.is_not(None))).all()
    person_gaps = gaps(people)
    units = {unit.id: unit for unit in db.session.scalars(select(Unit).order_by(Unit.code))}
    tags: dict[str, Tag] = {}
    for text in db.session.scalars(select(CompetencyRequirement.tag)):
        tags.setdefault(normal(text), Tag(normal(text), text))
    headcount: dict[int, int] = defaultdict(int)
    lacking: dict[int, dict[str, list[User]]] = defaultdict(lambda: defaultdict(list))
    for person in people:
        for unit_id in _ancestors(units, person.unit_id):
            headcount[unit_id] += 1
            for tag in person_gaps[person.id]:
                lacking[unit_id][tag.key].append(person)
    rows = [MatrixRow(unit, depth, headcount[unit.id], dict(lacking[unit.id]))
            for unit, depth in _tree(units) if lacking.get(unit.id)]
    ordered = sorted(tags.values(), key=lambda tag: tag.key)
    return Matrix(ordered, rows, courses_for(ordered))


def _tree(units: dict[int, Unit]) -> list[tuple[Unit, int]]:
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units.values():
        children[unit.parent_id if unit.parent_id in units else None].append(unit)
    ordered: list[tuple[Unit, int]] = []
    stack = [(unit, 0) for unit in reversed(children[None])]
    while stack:
        unit, depth = stack.pop()
        ordered.append((unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children[unit.id]))
    return ordered
