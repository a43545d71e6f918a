"""The reports HR can open and download: what each shows, which filters it takes, and its query."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select

from elearn.hr import queries
from elearn.hr.filters import ReportFilters, Sort
from elearn.i18n import lazy_gettext as _l

COMPLETION_STATUSES = {
    "completed": _l("Completed"),
    "in_progress": _l("In progress"),
    "not_started": _l("Not started"),
}
JP_STATUSES = {"met": _l("Target met"), "behind": _l("Behind")}


@dataclass(frozen=True)
class Column:
    # The label in the query, the header in files and the value ``?sort=`` takes.
    key: str
    label: str
    # How a value is shown and written: text, date, number, percent or status.
    kind: str = "text"
    sortable: bool = True


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    description: str
    # Files are called <stem>-<date>.csv: Indonesian, as HR hands them on.
    file_stem: str
    filters: tuple[str, ...]
    columns: tuple[Column, ...]
    default_sort: Sort
    query: Callable[[ReportFilters, Sort], Select]
    statuses: dict[str, str]

    @property
    def sortable(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.sortable)

    @property
    def headers(self) -> list[str]:
        return [c.key for c in self.columns]


_PERIOD = ("unit", "course", "from", "to", "competency", "employment")

REPORTS = {
    report.name: report
    for report in (
        Report(
            name="completions",
            title=_l("Course completions"),
            description=_l(
                "One row per enrolment: who took which course, when, with what result. The period "
                "counts completed courses by the completion date, the others by the enrolment date."
            ),
            file_stem="penyelesaian",
            filters=(*_PERIOD, "status"),
            columns=(
                Column("nip", _l("NIP")),
                Column("nama", _l("Name")),
                Column("unit", _l("Unit")),
                Column("jabatan", _l("Position")),
                Column("golongan", _l("Rank")),
                Column("kursus_id", _l("Course id")),
                Column("kursus", _l("Course")),
                Column("jp", _l("JP"), "number"),
                Column("terdaftar", _l("Enrolled"), "date"),
                Column("selesai", _l("Completed"), "date"),
                Column("nilai", _l("Final score"), "number"),
                Column("nomor_sertifikat", _l("Certificate number")),
            ),
            default_sort=Sort("nama"),
            query=queries.completions,
            statuses=COMPLETION_STATUSES,
        ),
        Report(
            name="jp",
            title=_l("JP compliance"),
            description=_l(
                "One row per active civil servant: the JP their development record credits in the "
                "year, from courses here and from verified external trainings, against the target."
            ),
            file_stem="capaian-jp",
            filters=("year", *_PERIOD, "status"),
            columns=(
                Column("nip", _l("NIP")),
                Column("nama", _l("Name")),
                Column("unit", _l("Unit")),
                Column("jp_kursus", _l("JP from courses"), "number"),
                Column("jp_eksternal", _l("JP from external trainings"), "number"),
                Column("jp_total", _l("Total JP"), "number"),
                Column("target_jp", _l("Target"), "number", sortable=False),
                Column("kekurangan_jp", _l("Gap"), "number"),
                Column("status", _l("Status"), "status"),
            ),
            default_sort=Sort("kekurangan_jp", descending=True),
            query=queries.jp_compliance,
            statuses=JP_STATUSES,
        ),
        Report(
            name="units",
            title=_l("Unit summary"),
            description=_l(
                "One row per unit, its sub-units included: active civil servants, how many meet the "
                "JP target of the year, courses completed and the average JP per person."
            ),
            file_stem="ringkasan-unit",
            filters=("year", *_PERIOD),
            columns=(
                Column("kode", _l("Code")),
                Column("unit", _l("Unit")),
                Column("pegawai", _l("Headcount"), "number"),
                Column("memenuhi_target", _l("Meeting the target"), "number"),
                Column("persen_memenuhi", _l("Share meeting the target"), "percent"),
                Column("penyelesaian", _l("Courses completed"), "number"),
                Column("rata_rata_jp", _l("Average JP"), "number"),
            ),
            default_sort=Sort("kode"),
            query=queries.unit_summary,
            statuses={},
        ),
        Report(
            name="courses",
            title=_l("Course summary"),
            description=_l(
                "One row per course: people enrolled and completed, the completion rate, and the "
                "average final score and time spent of those who completed it."
            ),
            file_stem="ringkasan-kursus",
            filters=_PERIOD,
            columns=(
                Column("kursus_id", _l("Course id")),
                Column("kursus", _l("Course")),
                Column("jp", _l("JP"), "number"),
                Column("peserta", _l("Enrolled"), "number"),
                Column("selesai", _l("Completed"), "number"),
                Column("persen_selesai", _l("Completion rate"), "percent"),
                Column("rata_rata_nilai", _l("Average score"), "number"),
                Column("rata_rata_menit", _l("Average time (minutes)"), "number"),
            ),
            default_sort=Sort("kursus"),
            query=queries.course_summary,
            statuses={},
        ),
    )
}
