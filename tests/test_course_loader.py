"""The course loader and `flask courses check`: every problem named with its file and line."""
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elearn.courses.loader import CourseError, course_folders, load, read_folder
from tests.coursefiles import course_files

ROOT = Path(__file__).resolve().parent.parent


def problems_of(files, slug="etika-pelayanan"):
    with pytest.raises(CourseError) as caught:
        load(files, slug, f"courses/{slug}")
    return [(p.source, p.line, p.message) for p in caught.value.problems]


def replaced(files, path, old, new):
    assert old in files[path].decode()
    return {**files, path: files[path].decode().replace(old, new).encode()}


def test_a_valid_course_loads_with_lessons_checks_and_quiz():
    course = load(course_files(), "etika-pelayanan", "courses/etika-pelayanan")
    assert course.meta["title"] == "Etika Pelayanan di Kantor Kelurahan"
    assert [lesson.slug for lesson in course.lessons] == ["bagian-1", "bagian-2"]
    lesson = course.lessons[0]
    assert lesson.minutes == 15 and lesson.checks[0]["key"] == "cek-1"
    assert '<div class="knowledge-check" data-check="cek-1"></div>' in lesson.body_html
    assert '<img alt="Alur layanan" src="/courses/etika-pelayanan/files/img/alur.png">' in lesson.body_html
    assert course.quiz.settings["max_attempts"] == 3 and course.quiz.settings["shuffle"] is True
    assert [q["kind"] for q in course.quiz.questions] == ["multichoice", "numerical"]
    assert course.warnings == []


def test_the_knowledge_check_answer_is_not_in_the_lesson_html():
    lesson = load(course_files(), "etika-pelayanan", "x").lessons[0]
    assert "Salah, keramahan itu standar" not in lesson.body_html
    assert "{T" not in lesson.body_html


@pytest.mark.parametrize(
    "path, old, new, line, fragment",
    [
        ("course.md", "jp: 1.0", "jp: dua", 5, "jp: a number is needed"),
        ("course.md", "jp: 1.0", "jp: -1", 5, "jp: must be more than 0"),
        ("course.md", "competency: sosial-kultural", "competency: umum", 6, "competency: must be one of"),
        ("course.md", "passing_score: 70", "passing_score: 170", 8, "passing_score: must be between 0 and 100"),
        ("course.md", "title: Etika Pelayanan di Kantor Kelurahan\n", "", 1, "The field title is missing"),
        ("course.md", "tags: [BerAKHLAK, pelayanan-publik]", "tags: {a: 1}", 7, "write a list"),
        ("course.md", "organiser: BKPSDM", "organizer: BKPSDM", 10, "Unknown field organizer"),
        ("course.md", "id: etika-pelayanan", "id: etika-lain", 2, "must be the same as the folder name"),
        ("course.md", "id: etika-pelayanan", "id: Etika Pelayanan", 2, "lowercase letters"),
        ("course.md", "summary: Cara", "summary: [Cara", 4, "not valid YAML"),
        ("course.md", "---\nid", "id", 1, "must start with front matter"),
        ("01-bagian-1.md", "minutes: 15", "minutes: 1.5", 3, "minutes: a whole number is needed"),
        ("01-bagian-1.md", "minutes: 15", "minutes: 0", 3, "minutes: must be more than 0"),
        ("01-bagian-1.md", "title: Pelajaran 1\n", "", 1, "The field title is missing"),
        ("01-bagian-1.md", "img/alur.png", "img/hilang.png", 9, "img/hilang.png points to a file that is not"),
        ("01-bagian-1.md", "{T#Salah, keramahan itu standar.#Benar.}", "{~%abc%Ya =Tidak}", 12, "weight"),
        ("01-bagian-1.md", "tersenyum? {T#Salah, keramahan itu standar.#Benar.}", "tersenyum? {T", 12, "never closed"),
        ("quiz.md", "max_attempts: 3", "max_attempts: nol", 4, "max_attempts: a whole number is needed"),
        ("quiz.md", "shuffle: true", "shuffle: ya", 6, "shuffle: write true or false"),
        ("quiz.md", "=Berorientasi Pelayanan#Tepat.\n~Loyal\n~Adaptif\n", "~Berorientasi Pelayanan\n", 11,
         "at least two choices"),
        ("quiz.md", "{#8:0}", "{#delapan}", 17, "'delapan' is not a number"),
    ],
)
def test_problems_name_the_file_and_line(path, old, new, line, fragment):
    found = problems_of(replaced(course_files(), path, old, new))
    assert any(source == f"courses/etika-pelayanan/{path}" and at == line and fragment in message
               for source, at, message in found), found


def test_duplicate_lesson_slugs():
    files = course_files()
    files["05-bagian-1.md"] = files["01-bagian-1.md"]
    found = problems_of(files)
    assert ("courses/etika-pelayanan/05-bagian-1.md", 1,
            "Lesson bagian-1 already comes from 01-bagian-1.md: lesson names must differ.") in found


def test_files_that_do_not_belong():
    files = course_files()
    files["catatan.txt"] = b"draft"
    files["img/program.exe"] = b"MZ"
    files["img/besar.png"] = b"\x89PNG" + b"0" * (2 * 1024 * 1024)
    files["02-bagian-2.md"] = "Ä".encode("latin-1")
    messages = {source: message for source, _, message in problems_of(files)}
    assert "Unexpected file" in messages["courses/etika-pelayanan/catatan.txt"]
    assert "Only images" in messages["courses/etika-pelayanan/img/program.exe"]
    assert "larger than 2 MB" in messages["courses/etika-pelayanan/img/besar.png"]
    assert "not UTF-8" in messages["courses/etika-pelayanan/02-bagian-2.md"]


def test_a_course_needs_course_md_and_lessons():
    found = problems_of({"img/alur.png": b"x"})
    assert ("courses/etika-pelayanan/course.md", 1, "Every course needs a course.md file.") in found
    assert ("courses/etika-pelayanan/course.md", 1, "The course has no lessons.") in found


def test_quiz_gift_is_the_alternative_to_quiz_md():
    files = course_files(quiz=False)
    files["quiz.gift"] = b"\xef\xbb\xbf// dari Moodle\r\n::q1:: Dua tambah dua? {#4}\r\n"
    course = load(files, "etika-pelayanan", "x")
    assert course.quiz.questions[0]["key"] == "q1"
    assert course.quiz.settings["passing_score"] == 70

    files["quiz.md"] = course_files()["quiz.md"]
    assert ("courses/etika-pelayanan/quiz.gift", 1, "Use quiz.md or quiz.gift, not both.") in problems_of(files)


def test_a_quiz_without_questions_is_a_problem():
    files = replaced(course_files(), "quiz.md", "```gift", "```text")
    assert ("courses/etika-pelayanan/quiz.md", 1, "The quiz has no question to answer.") in problems_of(files)


def test_questions_with_the_same_identity_are_both_kept_with_a_warning():
    files = replaced(course_files(), "quiz.md", "::jam-buka::", "::nilai::")
    course = load(files, "etika-pelayanan", "courses/etika-pelayanan")
    assert [question["key"] for question in course.quiz.questions] == ["nilai", "nilai--2"]
    quiz_lines = files["quiz.md"].decode().splitlines()
    second = next(n for n, line in enumerate(quiz_lines, start=1) if line.startswith("::nilai:: Kantor"))
    [warning] = [w for w in course.warnings if "same identity nilai" in w.message]
    assert (warning.source, warning.line) == ("courses/etika-pelayanan/quiz.md", second)


def test_jp_that_does_not_match_the_minutes_is_a_warning():
    files = replaced(course_files(), "course.md", "jp: 1.0", "jp: 4")
    course = load(files, "etika-pelayanan", "courses/etika-pelayanan")
    assert [w.message for w in course.warnings] == [
        "jp 4 means 180 minutes, but the lessons and the quiz time limit add up to 45 minutes."
    ]


def test_links_between_lessons_become_lesson_urls():
    files = replaced(course_files(), "01-bagian-1.md", "## Bagian 1", "## Bagian 1\n\nLanjut ke [bagian 2](02-bagian-2.md).")
    html = load(files, "etika-pelayanan", "x").lessons[0].body_html
    assert '<a href="/courses/etika-pelayanan/lessons/bagian-2">bagian 2</a>' in html


def test_links_out_of_the_course_folder_are_refused():
    files = replaced(course_files(), "01-bagian-1.md", "img/alur.png", "../lain/img/alur.png")
    assert any("points to a file that is not in the course folder" in m for _, _, m in problems_of(files))


@settings(max_examples=150, deadline=None)
@given(front=st.text(max_size=200), body=st.text(max_size=200))
def test_any_text_gives_a_course_or_a_course_error(front, body):
    files = {**course_files(), "01-bagian-1.md": f"---\n{front}\n---\n{body}".encode()}
    try:
        load(files, "etika-pelayanan", "x")
    except CourseError as exc:
        assert all(p.line >= 1 and p.message for p in exc.problems)


def test_the_shipped_courses_pass_check_and_match_their_jp(runner):
    result = runner.invoke(args=["courses", "check", str(ROOT / "courses")])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    folders = course_folders([ROOT / "courses"])
    assert len(folders) >= 3
    for folder in folders:
        course = load(read_folder(folder), folder.name, str(folder))
        assert course.minutes == course.meta["jp"] * 45
        assert len(course.lessons) >= 4
        assert sum(len(lesson.checks) for lesson in course.lessons) >= 1
        kinds = {q["kind"] for q in course.quiz.questions}
        assert len(course.quiz.questions) >= 10 and len(kinds) >= 5, (folder.name, kinds)


def test_check_prints_file_line_messages_and_exits_1(runner, tmp_path):
    folder = tmp_path / "etika-pelayanan"
    for path, content in replaced(course_files(), "quiz.md", "{#8:0}", "{#delapan}").items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(content)
    result = runner.invoke(args=["courses", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{folder}/quiz.md:17: " in result.output
