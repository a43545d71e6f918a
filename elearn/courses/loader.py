"""A course folder in, a validated course out, or every problem with its file and line.

The loader reads files from a mapping of relative paths to bytes, so a folder on disk and an
uploaded archive go through exactly the same checks. Nothing here touches the database.
"""
from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from elearn.courses.frontmatter import (
    Document,
    Field,
    boolean,
    check_fields,
    number,
    one_of,
    split,
    text,
    text_list,
)
from elearn.markup import render_markdown
from elearn.models.courses import COMPETENCIES
from elearn.questions import gift
from elearn.questions.gift import Problem

COURSE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
LESSON_FILE = re.compile(r"^(\d+)-([a-z0-9][a-z0-9-]*)\.md$")
GIFT_FENCE = re.compile(r"^(`{3,}|~{3,})\s*gift\s*$")
ASSET_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".pdf"}
MAX_ASSET_BYTES = 2 * 1024 * 1024
MAX_TEXT_BYTES = 512 * 1024
CHECK_TOKEN = "@@knowledge-check-{}@@"

COURSE_FIELDS = {
    "id": Field(text(64), required=True),
    "title": Field(text(200), required=True),
    "summary": Field(text(300), required=True),
    "jp": Field(number(0, 1000, above=True), required=True),
    "competency": Field(one_of(*COMPETENCIES), required=True),
    "tags": Field(text_list(50)),
    "passing_score": Field(number(0, 100, whole=True)),
    "authors": Field(text_list(200)),
    "organiser": Field(text(200), required=True),
    # Evaluation: whether the reaction survey gates the certificate, and after how many days
    # learners are asked what they applied at work (0: never).
    "survey": Field(one_of("required", "optional")),
    "follow_up_days": Field(number(0, 365, whole=True)),
}
LESSON_FIELDS = {
    "title": Field(text(200), required=True),
    "minutes": Field(number(0, 600, whole=True, above=True), required=True),
}
QUIZ_FIELDS = {
    "title": Field(text(200)),
    "passing_score": Field(number(0, 100, whole=True)),
    "max_attempts": Field(number(0, 100, whole=True, above=True)),
    "time_limit": Field(number(0, 600, whole=True, above=True)),
    "shuffle": Field(boolean),
    "show_answers": Field(boolean),
}


class CourseError(ValueError):
    """The course cannot be imported; ``problems`` says every reason, with file and line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class LoadedLesson:
    slug: str
    position: int
    title: str
    minutes: int
    body_html: str
    checks: list[dict[str, Any]]


@dataclass
class LoadedQuiz:
    settings: dict[str, Any]
    questions: list[dict[str, Any]]


@dataclass
class LoadedCourse:
    slug: str
    meta: dict[str, Any]
    description_html: str
    lessons: list[LoadedLesson]
    quiz: LoadedQuiz | None
    files: dict[str, bytes]
    content_hash: str
    warnings: list[Problem] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        quiz_minutes = (self.quiz.settings.get("time_limit") or 0) if self.quiz else 0
        return sum(lesson.minutes for lesson in self.lessons) + quiz_minutes


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every file below the folder by its relative path; hidden files and links are left out."""
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or path.is_symlink() or not path.is_file():
            continue
        files[relative.as_posix()] = path.read_bytes()
    return files


def course_folders(paths: Iterable[Path]) -> list[Path]:
    """A path is a course folder (it holds course.md) or a folder of course folders."""
    found = []
    for path in paths:
        if (path / "course.md").is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(sorted(child for child in path.iterdir() if (child / "course.md").is_file()))
    return found


def load(files: dict[str, bytes], folder_name: str, label: str, minutes_per_jp: int = 45) -> LoadedCourse:
    """Check and render a whole course; raise CourseError listing every problem found."""
    return _Loader(files, folder_name, label, minutes_per_jp).load()


class _Loader:
    def __init__(self, files: dict[str, bytes], folder_name: str, label: str, minutes_per_jp: int):
        self.files = files
        self.folder_name = folder_name
        self.label = label.rstrip("/")
        self.minutes_per_jp = minutes_per_jp
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.lesson_files = self._lesson_files()

    def source(self, path: str) -> str:
        return f"{self.label}/{path}"

    def load(self) -> LoadedCourse:
        self._check_file_set()
        meta, description = self._course()
        lessons = [self._lesson(position, path, slug) for position, (path, slug) in enumerate(self.lesson_files)]
        quiz = self._quiz(meta)
        if self.problems:
            raise CourseError(self.problems)
        course = LoadedCourse(
            slug=meta["id"], meta=meta, description_html=description, lessons=lessons, quiz=quiz,
            files=self.files, content_hash=content_hash(self.files),
        )
        self._check_minutes(course)
        course.warnings = self.warnings
        return course

    def _lesson_files(self) -> list[tuple[str, str]]:
        lessons = []
        for path in sorted(self.files):
            match = LESSON_FILE.match(path)
            if match:
                lessons.append((int(match.group(1)), path, match.group(2)))
        return [(path, slug) for _, path, slug in sorted(lessons)]

    def _check_file_set(self) -> None:
        lesson_paths = {path for path, _ in self.lesson_files}
        for path, content in self.files.items():
            if path in {"course.md", "quiz.md", "quiz.gift"} or path in lesson_paths:
                if len(content) > MAX_TEXT_BYTES:
                    self.problems.append(Problem(self.source(path), 1, _("The file is larger than 512 KB.")))
            elif "/" not in path:
                self.problems.append(Problem(self.source(path), 1, _(
                    "Unexpected file. Lessons are named like 01-introduction.md; images and other "
                    "files go in a folder such as img/.")))
            elif posixpath.splitext(path)[1].lower() not in ASSET_TYPES:
                self.problems.append(Problem(self.source(path), 1, _(
                    "Only images (PNG, JPEG, GIF, WebP, SVG) and PDF files can be added to a course.")))
            elif len(content) > MAX_ASSET_BYTES:
                self.problems.append(Problem(self.source(path), 1, _("The file is larger than 2 MB.")))
        if "course.md" not in self.files:
            self.problems.append(Problem(self.source("course.md"), 1, _("Every course needs a course.md file.")))
        if not self.lesson_files:
            self.problems.append(Problem(self.source("course.md"), 1, _("The course has no lessons.")))
        if "quiz.md" in self.files and "quiz.gift" in self.files:
            self.problems.append(Problem(self.source("quiz.gift"), 1, _("Use quiz.md or quiz.gift, not both.")))
        seen: dict[str, str] = {}
        for path, slug in self.lesson_files:
            if slug in seen:
                self.problems.append(Problem(self.source(path), 1, _(
                    "Lesson %(slug)s already comes from %(other)s: lesson names must differ.",
                    slug=slug, other=seen[slug])))
            seen.setdefault(slug, path)

    def _text(self, path: str) -> str | None:
        try:
            return self.files[path].decode("utf-8")
        except UnicodeDecodeError:
            self.problems.append(Problem(self.source(path), 1, _("The file is not UTF-8 text.")))
            return None

    def _document(self, path: str, schema: dict[str, Field]) -> tuple[dict[str, Any], Document] | None:
        content = self._text(path)
        if content is None:
            return None
        document = split(content, self.source(path), self.problems)
        return check_fields(document, schema, self.source(path), self.problems), document

    def _course(self) -> tuple[dict[str, Any], str]:
        read = self._document("course.md", COURSE_FIELDS) if "course.md" in self.files else None
        if read is None:
            return {"id": self.folder_name}, ""
        meta, document = read
        course_id = meta.get("id", self.folder_name)
        line = document.field_lines.get("id", 1)
        if not COURSE_ID.match(course_id):
            self.problems.append(Problem(self.source("course.md"), line, _(
                "id: use lowercase letters, digits and dashes only, for example pelayanan-publik.")))
        elif course_id != self.folder_name:
            self.problems.append(Problem(self.source("course.md"), line, _(
                "id: %(id)s must be the same as the folder name %(folder)s.", id=course_id,
                folder=self.folder_name)))
        meta.setdefault("id", self.folder_name)
        meta.setdefault("passing_score", 70)
        meta.setdefault("tags", [])
        meta.setdefault("authors", [])
        meta.setdefault("survey", "optional")
        meta.setdefault("follow_up_days", 30)
        return meta, self._render("course.md", document.body, document.body_line)

    def _lesson(self, position: int, path: str, slug: str) -> LoadedLesson:
        read = self._document(path, LESSON_FIELDS)
        if read is None:
            return LoadedLesson(slug, position, slug, 1, "", [])
        meta, document = read
        body, checks = self._knowledge_checks(path, document)
        html = self._render(path, body, document.body_line)
        for number_, check in enumerate(checks):
            html = html.replace(
                f"<p>{CHECK_TOKEN.format(number_)}</p>",
                f'<div class="knowledge-check" data-check="{check["key"]}"></div>',
            )
        return LoadedLesson(slug, position, meta.get("title", slug), meta.get("minutes", 1), html, checks)

    def _knowledge_checks(self, path: str, document: Document) -> tuple[str, list[dict[str, Any]]]:
        """Take the ```gift blocks out of a lesson, leaving a marker where each question stood."""
        body, blocks = self._gift_blocks(path, document)
        parsed = iter([self._parse_gift(block, path, first_line) for first_line, block in blocks])
        kept: list[str] = []
        questions: list[gift.Question] = []
        for line in body:
            if line is not None:
                kept.append(line)
                continue
            for question in next(parsed):
                kept.append("\n" + CHECK_TOKEN.format(len(questions)) + "\n")
                questions.append(question)
        return "\n".join(kept), self._question_data(path, questions)

    def _gift_blocks(self, path: str, document: Document) -> tuple[list[str | None], list[tuple[int, str]]]:
        """The body with None where each ```gift block stood, and the blocks with their first line."""
        lines = document.body.split("\n")
        body: list[str | None] = []
        blocks = []
        index = 0
        while index < len(lines):
            match = GIFT_FENCE.match(lines[index])
            if not match:
                body.append(lines[index])
                index += 1
                continue
            fence = match.group(1)
            end = next((n for n in range(index + 1, len(lines)) if lines[n].strip() == fence), None)
            if end is None:
                self.problems.append(Problem(self.source(path), document.body_line + index, _(
                    "This ```gift block is never closed.")))
                break
            blocks.append((document.body_line + index + 1, "\n".join(lines[index + 1:end])))
            body.append(None)
            index = end + 1
        return body, blocks

    def _parse_gift(self, text_: str, path: str, first_line: int) -> list[gift.Question]:
        try:
            return gift.parse(text_, self.source(path), first_line)
        except gift.GiftError as exc:
            self.problems.extend(exc.problems)
            return []

    def _quiz(self, course_meta: dict[str, Any]) -> LoadedQuiz | None:
        if "quiz.md" in self.files:
            read = self._document("quiz.md", QUIZ_FIELDS)
            if read is None:
                return None
            settings, document = read
            body, blocks = self._gift_blocks("quiz.md", document)
            questions = [q for first, block in blocks for q in self._parse_gift(block, "quiz.md", first)]
            intro = "\n".join(line for line in body if line is not None)
            settings["intro_html"] = self._render("quiz.md", intro, document.body_line)
            path = "quiz.md"
        elif "quiz.gift" in self.files:
            content = self._text("quiz.gift")
            if content is None:
                return None
            settings, path = {"intro_html": ""}, "quiz.gift"
            questions = self._parse_gift(content, path, 1)
        else:
            return None
        if not any(q.scored for q in questions) and not self._has_problems_in(path):
            self.problems.append(Problem(self.source(path), 1, _("The quiz has no question to answer.")))
        settings.setdefault("title", _("Final quiz"))
        settings.setdefault("passing_score", course_meta.get("passing_score", 70))
        settings.setdefault("max_attempts", None)
        settings.setdefault("time_limit", None)
        settings.setdefault("shuffle", False)
        settings.setdefault("show_answers", False)
        return LoadedQuiz(settings, self._question_data(path, questions))

    def _has_problems_in(self, path: str) -> bool:
        return any(p.source == self.source(path) for p in self.problems)

    def _question_data(self, path: str, questions: list[gift.Question]) -> list[dict[str, Any]]:
        """The questions of one file as stored data, each with a key of its own.

        Moodle accepts a file that repeats a question or a title, so a repeated key is a
        warning: its second occurrence becomes ``key--2``, its third ``key--3``. The number
        comes from the order in the file, so re-importing the same file gives the same keys,
        and no slug or hash contains ``--``, so no other question can have them.
        """
        data = []
        first_lines: dict[str, int] = {}
        seen: dict[str, int] = {}
        for question in questions:
            item = question.to_data()
            key = item["key"]
            seen[key] = seen.get(key, 0) + 1
            if seen[key] == 1:
                first_lines[key] = question.line
            else:
                item["key"] = f"{key}--{seen[key]}"
                self.warnings.append(Problem(self.source(path), question.line, _(
                    "This question has the same identity %(key)s as the one at line %(line)s; "
                    "both are kept, told apart by their order. Give them different ::titles:: "
                    "so that moving one keeps learners' answers.", key=key, line=first_lines[key])))
            data.append(item)
        return data

    def _check_minutes(self, course: LoadedCourse) -> None:
        expected = course.meta["jp"] * self.minutes_per_jp
        if abs(course.minutes - expected) > self.minutes_per_jp / 2:
            self.warnings.append(Problem(self.source("course.md"), 1, _(
                "jp %(jp)s means %(expected)d minutes, but the lessons and the quiz time limit add up to "
                "%(minutes)d minutes.", jp=course.meta["jp"], expected=round(expected), minutes=course.minutes)))

    def _render(self, path: str, body: str, first_line: int) -> str:
        lines = body.split("\n")

        def resolve(url: str, tag: str) -> str | None:
            target = url.split("#")[0].split("?")[0]
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            lesson = LESSON_FILE.match(resolved)
            if lesson and resolved in self.files:
                return f"/courses/{self.folder_name}/lessons/{lesson.group(2)}"
            if resolved in self.files and not resolved.startswith("../"):
                return f"/courses/{self.folder_name}/files/{resolved}"
            line = next((first_line + n for n, text_ in enumerate(lines) if url in text_), first_line)
            self.problems.append(Problem(self.source(path), line, _(
                "The link %(url)s points to a file that is not in the course folder.", url=url)))
            return None

        return render_markdown(body, resolve)


def content_hash(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    return digest.hexdigest()
