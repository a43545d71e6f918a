"""A GIFT file that uses every construct of Moodle's GIFT documentation, read, shown, graded and
written back as Moodle would; and a course whose quiz is that file, checked and imported."""
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from elearn.courses.importer import import_course
from elearn.courses.loader import load
from elearn.extensions import db
from elearn.models import Course
from elearn.questions import gift
from elearn.questions.registry import TYPES
from tests.coursefiles import course_files

EVERY_CONSTRUCT = Path(__file__).parent / "gift" / "every_construct.gift"
TEXT = EVERY_CONSTRUCT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def questions() -> dict[str, gift.Question]:
    """The file's questions by title; of the repeated ones, the first."""
    parsed = gift.parse(TEXT, "quiz.gift")
    by_title: dict[str, gift.Question] = {}
    for question in parsed:
        by_title.setdefault(question.title or question.text, question)
    return by_title


def grade(question: gift.Question, *typed: str):
    data = question.to_data()
    grader = TYPES[data["kind"]]
    return grader.grade(data, grader.read(data, list(typed)))


def option_html(question: gift.Question) -> list[str]:
    return [option.html for option in TYPES[question.kind].options(question.to_data()).options]


def test_the_whole_file_parses_into_every_question_type():
    kinds = [question.kind for question in gift.parse(TEXT, "quiz.gift")]
    assert kinds == [
        "multichoice", "multichoice", "multichoice", "multichoice", "multichoice", "multichoice",
        "truefalse", "truefalse", "truefalse", "truefalse",
        "shortanswer", "shortanswer", "shortanswer",
        "numerical", "numerical", "numerical", "numerical", "numerical",
        "matching", "essay", "essay", "description",
        "multichoice", "truefalse", "multichoice", "multichoice", "truefalse", "multichoice",
        "multichoice", "truefalse", "truefalse",
    ]


def test_the_category_applies_to_every_question(questions):
    assert {question.category for question in questions.values()} == {"$course$/Kepegawaian/Dasar"}


def test_missing_word_questions_keep_the_text_on_both_sides(questions):
    middle = questions["Kata yang hilang"]
    assert (middle.text, middle.text_after) == ("Nilai dasar ASN disingkat", "sejak 2021.")
    start = next(q for q in questions.values() if q.text_after.startswith("adalah kota"))
    assert start.text == ""


def test_true_false_in_all_four_spellings(questions):
    assert [questions[f"Benar salah {n}"].correct for n in (1, 2, 3, 4)] == [True, False, True, False]
    assert grade(questions["Benar salah 2"], "true").feedback_html == ["<p>Salah: NIP 18 angka.</p>"]
    assert grade(questions["Benar salah 2"], "false").feedback_html == ["<p>Benar, NIP 18 angka.</p>"]


def test_weights_grade_as_moodle_does(questions):
    assert grade(questions["Bobot sebagian"], "1").fraction == 0.5
    assert grade(questions["Bobot sebagian"], "2").fraction == 0.0  # -25% is never below zero
    assert grade(questions["Jawaban ganda"], "0", "1").fraction == 1.0
    assert grade(questions["Jawaban ganda"], "0", "2").fraction == 0.0
    assert grade(questions["Tiga benar"], "0", "1", "2").fraction == 1.0


# --- Escaped control characters are shown as the character, through Markdown too ----------


def test_an_escaped_hash_answer_is_a_hash_not_an_empty_heading(questions):
    escaped = questions["Escape : { } = ~ #"]
    assert option_html(escaped) == [
        "<p>#</p>", "<p>=</p>", "<p>~ kira-kira</p>", "<p>{ }</p>", "<p>tanda \\ garis miring</p>",
    ]
    assert grade(escaped, "0").feedback_html == ["<p># is a control character.</p>"]


def test_escapes_in_the_question_text_survive_markdown(questions):
    escaped = questions["Escape : { } = ~ #"]
    assert escaped.to_data()["html"] == "<p>Tanda # dalam jam 08:00 dan 3 = 3 dan ~ 30 menit dan {kurung}.</p>"


@pytest.mark.parametrize("char", ["#", "=", "~", "{", "}"])
def test_each_control_character_stays_literal_even_where_markdown_would_read_it(char):
    # At the start of a line "#" is a heading, "===" a heading underline, "~~~" a code fence,
    # and "{: .x}" an attribute list; escaped in GIFT, each is only text.
    [question] = gift.parse(f"Pilih. {{=\\{char}\\{char}\\{char} x ~lain#\\{char}\\{char}\\{char}}}")
    data = question.to_data()
    assert option_html(question)[0] == f"<p>{char * 3} x</p>"
    assert TYPES["multichoice"].grade(data, 1).feedback_html == [f"<p>{char * 3}</p>"]


def test_escapes_in_code_stay_the_character():
    [question] = gift.parse("[markdown]Tulis `a \\= b \\# c`. {=`\\{x\\}` ~y}")
    assert question.to_data()["html"] == "<p>Tulis <code>a = b # c</code>.</p>"
    assert option_html(question)[0] == "<p><code>{x}</code></p>"


def test_html_and_entities_as_moodle_exports_them_still_work_in_its_format():
    # Moodle's export escapes every "=" and "#", also inside tags and entities.
    [question] = gift.parse('Lihat <a href\\="https://jdih.go.id">UU</a> ini, it&\\#8217;s. {T}')
    assert question.to_data()["html"] == '<p>Lihat <a href="https://jdih.go.id">UU</a> ini, it&#8217;s.</p>'


def test_a_link_to_a_part_of_the_page_keeps_its_hash():
    [question] = gift.parse("[markdown]Baca [bagian 2](\\#bagian-2). {T}")
    assert question.to_data()["html"] == '<p>Baca <a href="#bagian-2">bagian 2</a>.</p>'


def test_a_line_break_escape_is_a_line_break(questions):
    assert questions["Baris baru"].to_data()["html"] == "<p>Baris pertama<br>\nBaris kedua</p>"


# --- Numerical answers ----------------------------------------------------------------------


def test_numeric_exact_tolerance_and_range(questions):
    assert [grade(questions["Angka tepat"], n).fraction for n in ("20", "21")] == [1.0, 0.0]
    assert [grade(questions["Angka toleransi"], n).fraction for n in ("40", "50", "39,9")] == [1.0, 1.0, 0.0]
    assert [grade(questions["Angka rentang"], n).fraction for n in ("1", "5", "5.01")] == [1.0, 1.0, 0.0]


def test_several_numeric_answers_take_the_first_that_holds_the_number(questions):
    # 2014 lies in both; Moodle takes the first in the order written.
    several = questions["Angka ganda"]
    assert grade(several, "2014").fraction == 1.0
    assert grade(several, "2014").feedback_html == ["<p>Benar, UU 5/2014.</p>"]
    assert grade(several, "2015").fraction == 0.5
    assert grade(several, "2016").fraction == 0.0


def test_numeric_feedback_for_a_wrong_answer(questions):
    wrong = questions["Angka salah"]
    assert grade(wrong, "8").fraction == 1.0
    assert grade(wrong, "8").feedback_html == []
    result = grade(wrong, "12")
    assert result.fraction == 0.0
    assert result.feedback_html == ["<p>Jauh sekali: tanggal lahir ditulis YYYYMMDD.</p>"]


def test_moodle_documentation_numeric_forms():
    [grant, close, wrong] = gift.parse(
        "Ulysses S. Grant lahir tahun? {# =1822:0 # Tepat. =%50%1822:2 # Dekat.}\n\n"
        "Dua kali satu? {#2:0.5}\n\n"
        "Berapa? {#3:2~#Completely wrong}"
    )
    assert [(a.value, a.tolerance, a.fraction, a.feedback) for a in grant.answers] == [
        (1822, 0, 1.0, "Tepat."), (1822, 2, 0.5, "Dekat."),
    ]
    assert (close.answers[0].low, close.answers[0].high) == (1.5, 2.5)
    assert [a.other for a in wrong.answers] == [False, True]
    assert wrong.answers[1].feedback == "Completely wrong"


def test_the_first_numeric_answer_may_go_without_an_equals_sign():
    [question] = gift.parse("Dua kali satu? {#2:0.5 =%50%3#Hampir}")
    assert [(a.value, a.tolerance, a.fraction, a.feedback) for a in question.answers] == [
        (2, 0.5, 1.0, ""), (3, 0, 0.5, "Hampir"),
    ]


def test_the_general_feedback_starts_at_the_last_four_hashes():
    [question] = gift.parse("Soal. {=a#ini ####bukan umpan balik umum ~b ####Umum}")
    assert question.general_feedback == "Umum"
    assert question.answers[0].feedback == "ini ####bukan umpan balik umum"


def test_a_marker_in_capitals_is_text_as_in_moodle():
    [question] = gift.parse("[HTML]<b>Tebal</b>? {T}")
    assert (question.text_format, question.text) == ("moodle", "[HTML]<b>Tebal</b>?")


def test_only_feedback_may_follow_the_tilde_of_a_numeric_question():
    with pytest.raises(gift.GiftError) as caught:
        gift.parse("::a::\nBerapa?\n{#3:2\n~%50%4#Setengah}", "quiz.gift", 10)
    assert [str(p) for p in caught.value.problems] == [
        "quiz.gift:13: After '~' in a numeric question only feedback for a wrong answer may follow: ~#feedback."
    ]


# --- Short answers and the wildcard ---------------------------------------------------------


def test_short_answers_ignore_case(questions):
    assert grade(questions["Isian singkat"], "JAM PELAJARAN").fraction == 1.0
    assert grade(questions["Isian singkat"], "Jam").fraction == 0.5


def test_the_wildcard_matches_any_characters_and_the_first_match_counts(questions):
    star = questions["Isian bintang"]
    assert grade(star, "badan kepegawaian dan pengembangan SDM").fraction == 1.0
    assert grade(star, "BKPSDM").fraction == 0.5
    assert grade(star, "BKPSDM").feedback_html == ["<p>Singkatannya benar.</p>"]
    # The catch-all "*" comes last; it only gives its feedback.
    result = grade(star, "dinas pendidikan")
    assert (result.fraction, result.feedback_html) == (0.0, ["<p>Coba lagi.</p>"])


def test_many_wildcards_against_a_long_answer_are_graded_correctly():
    [question] = gift.parse("Tulis. {=*a*a*a*c}")
    assert grade(question, "a" * 1999).fraction == 0.0
    assert grade(question, "a" * 1998 + "c").fraction == 1.0


def test_an_escaped_star_is_a_literal_star(questions):
    literal = questions["Bintang literal"]
    assert grade(literal, "*").fraction == 1.0
    assert grade(literal, "x").fraction == 0.0


def test_a_wildcard_in_the_middle_and_special_characters_around_it():
    [question] = gift.parse("Tulis rumusnya. {=a+b*(c)}")
    assert grade(question, "A+B apa saja (C)").fraction == 1.0
    assert grade(question, "a+bc").fraction == 0.0


# --- Format markers -------------------------------------------------------------------------


def test_each_part_is_rendered_in_its_own_format(questions):
    marked = questions["Format markdown"]
    data = marked.to_data()
    assert data["html"] == "<p>Apa arti <strong>cuti besar</strong>?</p>"
    assert option_html(marked) == ["<p>&lt;cuti&gt; tiga bulan</p>", "<p>cuti <em>tahunan</em></p>"]
    general = "<p>Lihat <strong>PP 11/2017</strong>.</p>"
    assert data["general_feedback_html"] == general
    assert grade(marked, "0").feedback_html == ["<em>Benar</em>", general]
    assert grade(marked, "1").feedback_html == ["<p>Bukan.</p>", general]


def test_html_is_sanitised_not_read_as_markdown(questions):
    html = questions["Format html"]
    assert html.to_data()["html"] == "<p>Pilih <b>satu</b>.</p>"
    assert option_html(html) == ["<p>Ini</p>", "<p><strong>Itu</strong></p>"]
    [unsafe] = gift.parse('[html]<p onclick="x()">A<script>alert(1)</script></p>{T}')
    assert unsafe.to_data()["html"] == "<p>A</p>"


def test_plain_text_is_shown_as_typed(questions):
    plain = questions["Format plain"]
    assert plain.to_data()["html"] == "<p>Apakah &lt;b&gt; ditampilkan apa adanya?</p>"
    assert grade(plain, "false").feedback_html == ["<p>Salah <em>tebal</em></p>"]
    assert grade(plain, "true").feedback_html == ["<p>Benar</p>"]


# --- Written back ---------------------------------------------------------------------------


def test_the_writer_round_trips_the_whole_file():
    parsed = gift.parse(TEXT)
    assert gift.parse(gift.write(parsed)) == parsed


def test_the_writer_marks_parts_whose_format_differs_as_moodle_does(questions):
    written = gift.write([questions["Format markdown"]])
    assert "=[plain]<cuti> tiga bulan#[html]<em>Benar</em>" in written
    assert "~cuti *tahunan*#[moodle]Bukan." in written
    assert "####[html]<p>Lihat <strong>PP 11/2017</strong>.</p>" in written
    numeric = gift.write([replace(questions["Angka salah"], category=None)])
    assert "~#Jauh sekali\\: tanggal lahir ditulis YYYYMMDD." in numeric
    assert gift.parse(numeric) == [replace(questions["Angka salah"], category=None)]


# --- As a course's quiz ---------------------------------------------------------------------


def gift_course() -> dict[str, bytes]:
    files = course_files()
    del files["quiz.md"]
    files["quiz.gift"] = TEXT.encode()
    return files


def test_repeated_questions_and_titles_are_kept_with_a_warning_at_their_real_line():
    course = load(gift_course(), "etika-pelayanan", "courses/etika-pelayanan")
    keys = [question["key"] for question in course.quiz.questions]
    assert len(keys) == len(set(keys)) == 31
    assert keys.count("pilihan-ganda") == 1 and "pilihan-ganda--2" in keys
    lines = {n + 1: line for n, line in enumerate(TEXT.splitlines())}
    repeated = [w for w in course.warnings if "same identity" in w.message]
    assert [(w.source, lines[w.line][:20]) for w in repeated] == [
        ("courses/etika-pelayanan/quiz.gift", "::Pilihan ganda::Jud"),
        ("courses/etika-pelayanan/quiz.gift", "Soal yang sama persi"),
    ]
    first_line = next(n for n, line in lines.items() if line.startswith("::Pilihan ganda::Siapa"))
    assert f"as the one at line {first_line};" in repeated[0].message


def test_repeated_knowledge_checks_warn_in_their_lesson_file():
    files = course_files()
    lesson = files["01-bagian-1.md"].decode()
    files["01-bagian-1.md"] = lesson.replace("```\n", "\n::cek-1:: Lagi? {T}\n```\n", 1).encode()
    course = load(files, "etika-pelayanan", "courses/etika-pelayanan")
    [warning] = [w for w in course.warnings if "same identity" in w.message]
    line = files["01-bagian-1.md"].decode().splitlines().index("::cek-1:: Lagi? {T}") + 1
    assert (warning.source, warning.line) == ("courses/etika-pelayanan/01-bagian-1.md", line)
    assert [check["key"] for check in course.lessons[0].checks] == ["cek-1", "cek-1--2"]


def test_courses_check_passes_with_warnings_and_import_is_idempotent(app, runner, tmp_path):
    folder = tmp_path / "etika-pelayanan"
    folder.mkdir()
    for path, content in gift_course().items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(content)
    checked = runner.invoke(args=["courses", "check", str(folder)])
    assert checked.exit_code == 0, checked.output
    repeated = TEXT.splitlines().index("::Pilihan ganda::Judul yang sama boleh dipakai dua kali. {=Ya ~Tidak}") + 1
    assert f"{folder}/quiz.gift:{repeated}: peringatan: Soal ini memiliki identitas pilihan-ganda" in checked.output
    assert "31 soal kuis" in checked.output
    for expected in ("dibuat (versi 1)", "tidak berubah (versi 1)"):
        imported = runner.invoke(args=["courses", "import", str(folder)])
        assert imported.exit_code == 0 and expected in imported.output, imported.output
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "etika-pelayanan"))
        stored = [q["key"] for q in course.current_version.quiz_questions]
    assert stored == [q["key"] for q in load(gift_course(), "etika-pelayanan", "x").quiz.questions]


def test_a_new_version_keeps_the_keys_of_repeated_questions(app):
    with app.app_context():
        first = import_course(load(gift_course(), "etika-pelayanan", "x"))
        db.session.commit()
        keys = [q["key"] for q in first.course.current_version.quiz_questions]
        edited = gift_course()
        edited["quiz.gift"] = edited["quiz.gift"].replace(b"Pasangkan istilah", b"Jodohkan istilah")
        second = import_course(load(edited, "etika-pelayanan", "x"))
        db.session.commit()
        assert second.status == "updated"
        new_keys = [q["key"] for q in second.course.current_version.quiz_questions]
    assert new_keys == keys
