"""Grading: pure functions over stored question dicts, so no app. Questions are written in GIFT
and stored with ``Question.to_data`` exactly as the course importer stores them."""
import dataclasses
import json
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elearn.questions import gift
from elearn.questions.answers import AnswerError, Choices, Grade, Matches, Option, TextInput
from elearn.questions.grading import grade_attempt, score
from elearn.questions.registry import TYPES

SINGLE = """::nilai-dasar:: Apa kepanjangan nilai dasar ASN "BerAKHLAK"? {
=Berorientasi Pelayanan, Akuntabel, Kompeten, Harmonis, Loyal, Adaptif, Kolaboratif#Tepat.
~Bersih, Amanah, Kreatif#Itu bukan nilai dasar ASN.
~%-50%Berani, Aktif, Kuat#Menebak asal-asalan mengurangi nilai.
####Nilai dasar ASN ditetapkan dalam Surat Edaran Menteri PANRB Nomor 20 Tahun 2021.
}"""

MULTIPLE = """::kewajiban:: Mana saja yang termasuk kewajiban ASN? {
~%50%Setia kepada Pancasila dan UUD 1945#Benar, ini kewajiban pertama.
~%50%Menjaga rahasia jabatan#Benar, rahasia jabatan wajib dijaga.
~%-100%Menerima gratifikasi dari pemohon layanan#Ini justru dilarang.
~%0%Mengikuti semua rapat tanpa kecuali
}"""

THIRDS = """::pelayanan-prima:: Mana saja ciri pelayanan prima? {
~%33.33333%Cepat
~%33.33333%Ramah
~%33.33333%Tuntas
~%-100%Berbelit-belit
}"""

TRUE_FALSE = """::netralitas:: ASN boleh menjadi anggota partai politik. {
F#Keliru, ASN wajib netral dari partai politik.#Betul, ASN dilarang menjadi anggota partai.
####Lihat UU Nomor 20 Tahun 2023 tentang ASN.
}"""

SHORT = """::nilai-b:: Huruf B dalam BerAKHLAK adalah singkatan dari ... {
=Berorientasi Pelayanan#Tepat sekali.
=%50%Pelayanan#Kurang lengkap.
}"""

TOLERANCE = "::laporan:: Paling lambat berapa hari laporan kegiatan diserahkan? {#10:2}"
RANGE = "::masa-kerja:: Berapa tahun masa kerja minimal untuk kenaikan pangkat ini? {#5..7}"
WEIGHTED = """::jp:: Berapa JP pengembangan kompetensi ASN paling sedikit dalam setahun? {#
=20#Tepat, 20 JP setahun.
=%50%18:2#Hampir.
=%0%80#Itu JP pelatihan dasar, bukan pengembangan tahunan.
}"""
DECIMAL = "::kenaikan:: Berapa persen kenaikan tunjangan tahun ini? {#3.5}"
FLOAT_EDGE = "::indeks:: Berapa indeks kepuasan minimal? {#1.1:0.1}"

MATCHING = """::instansi:: Pasangkan instansi dengan tugasnya. {
=BKN -> Manajemen kepegawaian nasional
=LAN -> Pengembangan kompetensi ASN
=KemenPANRB -> Kebijakan reformasi birokrasi
= -> Pemeriksaan keuangan negara
}"""

ESSAY = """::refleksi:: Ceritakan penerapan nilai Harmonis di unit kerja Anda. {
####Jawaban yang baik menyebut situasi, tindakan, dan hasilnya.
}"""

DESCRIPTION = "Bagian berikut membahas netralitas ASN dalam pemilihan umum."

ALL_KINDS = [DESCRIPTION, ESSAY, TRUE_FALSE, SINGLE, MULTIPLE, SHORT, WEIGHTED, MATCHING]


def question(text: str) -> dict:
    [parsed] = gift.parse(text)
    return parsed.to_data()


def read(q: dict, *raw: str):
    return TYPES[q["kind"]].read(q, list(raw))


def answered(q: dict, *raw: str) -> Grade:
    """The grade for what a form posted, as the quiz page will do it."""
    return TYPES[q["kind"]].grade(q, read(q, *raw))


def feedback(grade: Grade) -> str:
    return "\n".join(grade.feedback_html)


def options_json(q: dict, order: list[int] | None = None) -> str:
    shown = TYPES[q["kind"]].options(q, order)
    return json.dumps(shown, default=dataclasses.asdict)


def test_every_question_kind_has_a_grader():
    assert set(TYPES) == {
        "description", "essay", "truefalse", "multichoice", "shortanswer", "numerical", "matching"
    }


# --- Single choice --------------------------------------------------------------------------


def test_the_right_choice_earns_full_marks_with_its_feedback_and_the_general_feedback():
    grade = answered(question(SINGLE), "0")
    assert grade == Grade(
        1.0,
        ["<p>Tepat.</p>",
         "<p>Nilai dasar ASN ditetapkan dalam Surat Edaran Menteri PANRB Nomor 20 Tahun 2021.</p>"],
        correct=True,
    )


def test_a_wrong_choice_earns_nothing_and_shows_its_own_feedback():
    grade = answered(question(SINGLE), "1")
    assert (grade.fraction, grade.correct) == (0.0, False)
    assert "Itu bukan nilai dasar ASN." in feedback(grade)
    assert "Tepat." not in feedback(grade)


def test_a_negative_choice_is_floored_at_zero():
    grade = answered(question(SINGLE), "2")
    assert grade.fraction == 0.0
    assert "Menebak asal-asalan" in feedback(grade)


def test_the_answer_is_the_option_index():
    assert read(question(SINGLE), "2") == 2


@pytest.mark.parametrize("raw", [[], [""]])
def test_no_choice_scores_zero(raw):
    q = question(SINGLE)
    assert read(q, *raw) is None
    grade = TYPES["multichoice"].grade(q, None)
    assert (grade.fraction, grade.correct) == (0.0, False)
    assert feedback(grade).startswith("<p>Nilai dasar ASN")


@pytest.mark.parametrize("tampered", ["99", "3", "-1", "abc", "0 ", "00", "1.0", "true"])
def test_an_option_that_does_not_exist_is_refused(tampered):
    with pytest.raises(AnswerError, match="not part of this question"):
        read(question(SINGLE), tampered)


def test_two_values_for_a_single_choice_are_refused():
    with pytest.raises(AnswerError, match="only one"):
        read(question(SINGLE), "0", "1")


# --- Several answers ------------------------------------------------------------------------


def test_all_right_answers_add_up_to_full_marks_with_each_feedback():
    grade = answered(question(MULTIPLE), "1", "0")
    assert (grade.fraction, grade.correct) == (1.0, True)
    assert "ini kewajiban pertama" in feedback(grade)
    assert "rahasia jabatan wajib dijaga" in feedback(grade)


def test_one_of_two_right_answers_earns_half():
    grade = answered(question(MULTIPLE), "0")
    assert (grade.fraction, grade.correct) == (0.5, False)


def test_the_learner_is_told_right_partly_or_wrong():
    verdicts = [answered(question(MULTIPLE), *raw).verdict for raw in (("0", "1"), ("0",), ("0", "2"))]
    assert verdicts == ["right", "partly", "wrong"]


def test_a_zero_weight_choice_costs_nothing():
    assert answered(question(MULTIPLE), "0", "1", "3").fraction == 1.0


def test_a_negative_total_is_floored_at_zero():
    grade = answered(question(MULTIPLE), "0", "2")
    assert grade.fraction == 0.0
    assert "Ini justru dilarang." in feedback(grade)


def test_choosing_every_option_including_a_minus_100_one_earns_nothing():
    assert answered(question(MULTIPLE), "0", "1", "2", "3").fraction == 0.0


def test_several_answers_are_stored_sorted():
    assert read(question(MULTIPLE), "3", "0") == [0, 3]


def test_three_thirds_make_full_marks_and_a_score_of_100():
    q = question(THIRDS)
    grade = answered(q, "0", "1", "2")
    assert (grade.fraction, grade.correct) == (1.0, True)
    assert score([q], {q["key"]: grade}) == 100.0


def test_two_thirds_are_two_thirds():
    assert round(answered(question(THIRDS), "0", "2").fraction, 4) == 0.6667


def test_the_same_option_posted_twice_is_refused():
    with pytest.raises(AnswerError, match="more than once"):
        read(question(MULTIPLE), "0", "0")


def test_an_unknown_option_among_several_is_refused():
    with pytest.raises(AnswerError, match="not part of this question"):
        read(question(MULTIPLE), "0", "99")


@st.composite
def multichoice_gift(draw) -> tuple[str, int, bool]:
    """A question the parser accepts: one "=" answer, or positive weights adding up to 100%."""
    count = draw(st.integers(min_value=2, max_value=6))
    multiple = draw(st.booleans())
    if multiple:
        positives = draw(st.integers(min_value=1, max_value=count))
        cuts = draw(st.lists(st.integers(1, 99), min_size=positives - 1, max_size=positives - 1,
                             unique=True))
        edges = [0, *sorted(cuts), 100]
        weights = [high - low for low, high in zip(edges, edges[1:])]
        weights += draw(st.lists(st.integers(-100, 0), min_size=count - positives,
                                 max_size=count - positives))
        shuffled = draw(st.permutations(weights))
        lines = [f"~%{weight}%Pilihan {i}" for i, weight in enumerate(shuffled)]
    else:
        others = [f"~%{weight}%" for weight in draw(
            st.lists(st.integers(-100, 99), min_size=count - 1, max_size=count - 1))]
        markers = draw(st.permutations(["=", *others]))
        lines = [f"{marker}Pilihan {i}" for i, marker in enumerate(markers)]
    text = "::sikap:: Sikap mana yang sesuai kode etik ASN? {\n" + "\n".join(lines) + "\n}"
    return text, count, multiple


@given(multichoice_gift(), st.data())
def test_any_choice_of_options_earns_between_nothing_and_full_marks(written, data):
    text, count, multiple = written
    q = question(text)
    chosen = data.draw(st.sets(st.integers(0, count - 1), max_size=count if multiple else 1))
    grade = answered(q, *(str(i) for i in chosen))
    assert 0.0 <= grade.fraction <= 1.0


# --- True / false ---------------------------------------------------------------------------


def test_a_right_true_false_answer_shows_the_right_feedback():
    grade = answered(question(TRUE_FALSE), "false")
    assert (grade.fraction, grade.correct) == (1.0, True)
    assert grade.feedback_html == [
        "<p>Betul, ASN dilarang menjadi anggota partai.</p>",
        "<p>Lihat UU Nomor 20 Tahun 2023 tentang ASN.</p>",
    ]


def test_a_wrong_true_false_answer_shows_the_wrong_feedback():
    grade = answered(question(TRUE_FALSE), "true")
    assert (grade.fraction, grade.correct) == (0.0, False)
    assert "Keliru, ASN wajib netral" in feedback(grade)
    assert "Betul" not in feedback(grade)


def test_true_false_answers_are_booleans():
    q = question(TRUE_FALSE)
    assert (read(q, "true"), read(q, "false"), read(q)) == (True, False, None)


def test_true_false_offers_two_options():
    shown = TYPES["truefalse"].options(question(TRUE_FALSE), None)
    assert shown == Choices([Option("true", "True"), Option("false", "False")], multiple=False)


@pytest.mark.parametrize("raw", [["yes"], ["1"], ["True"], ["true", "false"]])
def test_true_false_refuses_anything_but_one_of_its_two_values(raw):
    with pytest.raises(AnswerError):
        read(question(TRUE_FALSE), *raw)


# --- Short answer ---------------------------------------------------------------------------


def test_short_answers_ignore_case_and_spacing():
    grade = answered(question(SHORT), "  Berorientasi   PELAYANAN ")
    assert (grade.fraction, grade.correct) == (1.0, True)
    assert feedback(grade) == "<p>Tepat sekali.</p>"


def test_a_short_answer_keeps_what_was_typed_without_the_outer_spaces():
    assert read(question(SHORT), "  Berorientasi   PELAYANAN ") == "Berorientasi   PELAYANAN"


def test_a_partly_right_short_answer_earns_its_weight():
    grade = answered(question(SHORT), "pelayanan")
    assert (grade.fraction, grade.correct) == (0.5, False)
    assert "Kurang lengkap." in feedback(grade)


def test_an_unknown_short_answer_earns_nothing_and_no_feedback():
    assert answered(question(SHORT), "Akuntabel") == Grade(0.0, [], correct=False)


def test_a_blank_short_answer_is_no_answer():
    assert read(question(SHORT), "   ") is None


def test_a_short_answer_may_be_2000_characters_but_no_more():
    q = question(SHORT)
    assert read(q, "a" * 2000) == "a" * 2000
    with pytest.raises(AnswerError, match="too long"):
        read(q, "a" * 2001)


def test_two_short_answers_are_refused():
    with pytest.raises(AnswerError):
        read(question(SHORT), "Pelayanan", "Berorientasi Pelayanan")


# --- Numerical ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["8", "12", "10", "8.0", "11,999"])
def test_a_tolerance_includes_both_ends(typed):
    assert answered(question(TOLERANCE), typed).fraction == 1.0


@pytest.mark.parametrize("typed", ["7.999", "12.001", "-10"])
def test_outside_the_tolerance_earns_nothing(typed):
    assert answered(question(TOLERANCE), typed).fraction == 0.0


@pytest.mark.parametrize("typed, fraction", [("5", 1.0), ("7", 1.0), ("6,5", 1.0),
                                             ("4.99", 0.0), ("7.01", 0.0)])
def test_a_range_includes_both_ends(typed, fraction):
    assert answered(question(RANGE), typed).fraction == fraction


def test_float_error_at_a_boundary_does_not_cost_marks():
    # 1.1 - 0.1 is 1.0000000000000002 in floating point.
    assert answered(question(FLOAT_EDGE), "1").fraction == 1.0


def test_the_first_numeric_answer_that_holds_the_number_counts_as_in_moodle():
    # 20 lies in the first answer and in the second (18 ± 2): the first, written first, counts.
    grade = answered(question(WEIGHTED), "20")
    assert grade.fraction == 1.0
    assert feedback(grade) == "<p>Tepat, 20 JP setahun.</p>"
    reordered = question(WEIGHTED.replace("=20#Tepat, 20 JP setahun.\n=%50%18:2#Hampir.",
                                          "=%50%18:2#Hampir.\n=20#Tepat, 20 JP setahun."))
    assert answered(reordered, "20").fraction == 0.5


def test_a_near_numeric_answer_earns_its_weight():
    grade = answered(question(WEIGHTED), "19")
    assert (grade.fraction, grade.correct) == (0.5, False)
    assert feedback(grade) == "<p>Hampir.</p>"


def test_a_zero_weight_numeric_answer_still_gives_its_feedback():
    grade = answered(question(WEIGHTED), "80")
    assert grade.fraction == 0.0
    assert "JP pelatihan dasar" in feedback(grade)


def test_a_decimal_comma_is_read_as_a_decimal_point():
    q = question(DECIMAL)
    assert read(q, "3,5") == 3.5
    assert read(q, " 3.5 ") == 3.5
    assert answered(q, "3,5").fraction == 1.0


@pytest.mark.parametrize(
    "typed", ["abc", "3,5,1", "1.234,5", "3 5", "nan", "inf", "1e999", "١٢", "1_000", "0x10"]
)
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(AnswerError, match="number"):
        read(question(DECIMAL), typed)


def test_a_blank_number_is_no_answer():
    q = question(DECIMAL)
    assert read(q, "") is None
    assert TYPES["numerical"].grade(q, None).fraction == 0.0


# --- Matching -------------------------------------------------------------------------------


def test_all_pairs_matched_earn_full_marks():
    grade = answered(
        question(MATCHING),
        "0:Manajemen kepegawaian nasional",
        "1:Pengembangan kompetensi ASN",
        "2:Kebijakan reformasi birokrasi",
    )
    assert (grade.fraction, grade.correct) == (1.0, True)


def test_each_pair_earns_its_share():
    q = question(MATCHING)
    posted = ["0:Manajemen kepegawaian nasional", "1:Pengembangan kompetensi ASN",
              "2:Pemeriksaan keuangan negara"]
    assert read(q, *posted) == {
        "0": "Manajemen kepegawaian nasional",
        "1": "Pengembangan kompetensi ASN",
        "2": "Pemeriksaan keuangan negara",
    }
    grade = answered(q, *posted)
    assert round(grade.fraction, 4) == 0.6667
    assert grade.correct is False


def test_an_item_left_unmatched_earns_nothing_for_it():
    grade = answered(question(MATCHING), "0:", "1:Pengembangan kompetensi ASN", "2:")
    assert round(grade.fraction, 4) == 0.3333


def test_nothing_matched_is_no_answer():
    assert read(question(MATCHING), "0:", "1:", "2:") is None


def test_matching_offers_every_right_hand_text_and_the_distractor_sorted_once():
    q = question(
        "Pasangkan jabatan dengan jenisnya. {\n=Camat -> Administrator\n=Sekretaris Daerah -> "
        "Pimpinan tinggi\n=Kepala Dinas -> Pimpinan tinggi\n= -> Fungsional\n}"
    )
    shown = TYPES["matching"].options(q, None)
    assert shown == Matches(
        lefts=[Option("0", "<p>Camat</p>"), Option("1", "<p>Sekretaris Daerah</p>"),
               Option("2", "<p>Kepala Dinas</p>")],
        choices=["Administrator", "Fungsional", "Pimpinan tinggi"],
    )


def test_matching_choices_follow_the_drawn_order():
    q = question(MATCHING)
    choices = TYPES["matching"].options(q, None).choices
    assert "Pemeriksaan keuangan negara" in choices
    shown = TYPES["matching"].options(q, [3, 2, 1, 0])
    assert shown.choices == choices[::-1]


@pytest.mark.parametrize(
    "posted",
    [
        ["9:Manajemen kepegawaian nasional"],
        ["-1:Manajemen kepegawaian nasional"],
        ["x:Manajemen kepegawaian nasional"],
        ["0:Tidak ada di daftar"],
        ["Manajemen kepegawaian nasional"],
        ["0:Manajemen kepegawaian nasional", "0:Pengembangan kompetensi ASN"],
    ],
)
def test_tampered_matching_answers_are_refused(posted):
    with pytest.raises(AnswerError):
        read(question(MATCHING), *posted)


# --- Essay and description ------------------------------------------------------------------


def test_an_essay_waits_for_a_trainer():
    q = question(ESSAY)
    grade = answered(q, "Saya menengahi perselisihan antarpegawai dengan musyawarah.")
    assert grade == Grade(
        None,
        ["<p>Jawaban yang baik menyebut situasi, tindakan, dan hasilnya.</p>"],
        correct=None,
        pending=True,
    )


def test_a_blank_essay_scores_zero_without_waiting():
    grade = answered(question(ESSAY), " \r\n ")
    assert (grade.fraction, grade.pending) == (0.0, False)


def test_an_essay_may_be_20000_characters_counting_line_breaks_once():
    q = question(ESSAY)
    text = ("a" * 99 + "\r\n") * 200
    assert len(read(q, text)) == 19_999
    with pytest.raises(AnswerError, match="too long"):
        read(q, "a" * 20_001)


def test_a_description_takes_no_answer_and_is_not_scored():
    q = question(DESCRIPTION)
    assert read(q) is None
    assert TYPES["description"].options(q, None) is None
    assert TYPES["description"].grade(q, None) == Grade(None, [], correct=None)
    with pytest.raises(AnswerError):
        read(q, "sesuatu")


# --- Scoring an attempt ---------------------------------------------------------------------


def test_the_score_is_the_mean_over_scored_questions():
    qs = [question(text) for text in (DESCRIPTION, SINGLE, MULTIPLE, SHORT)]
    answers = {qs[1]["key"]: 0, qs[2]["key"]: [0]}
    grades, total = grade_attempt(qs, answers)
    assert grades[qs[0]["key"]].fraction is None
    assert grades[qs[3]["key"]].fraction == 0.0  # not answered
    assert total == 50.0


def test_the_score_is_rounded_to_two_decimals():
    qs = [question(text) for text in (SINGLE, MULTIPLE, TRUE_FALSE)]
    grades, total = grade_attempt(qs, {qs[0]["key"]: 0, qs[2]["key"]: False})
    assert total == 66.67


def test_a_pending_essay_leaves_the_score_open_until_graded():
    qs = [question(SINGLE), question(ESSAY)]
    grades, total = grade_attempt(qs, {qs[0]["key"]: 0, qs[1]["key"]: "Jawaban saya."})
    assert total is None
    grades[qs[1]["key"]] = Grade(0.5, [], correct=False)
    assert score(qs, grades) == 75.0


def test_grades_survive_a_round_trip_through_json():
    grades, _total = grade_attempt([question(SHORT)], {"nilai-b": "Pelayanan"})
    stored = json.loads(json.dumps({key: grade.as_data() for key, grade in grades.items()}))
    assert {key: Grade.from_data(data) for key, data in stored.items()} == grades


def test_a_quiz_of_descriptions_only_cannot_be_scored():
    with pytest.raises(ValueError):
        grade_attempt([question(DESCRIPTION)], {})


# --- What the quiz page shows ---------------------------------------------------------------


@pytest.mark.parametrize("text", ALL_KINDS)
def test_options_reveal_no_weight_or_feedback(text):
    q = question(text)
    shown = options_json(q)
    assert "fraction" not in shown
    assert "correct" not in shown
    assert "%" not in shown
    secrets = [a["feedback"] for a in q.get("answers", []) if a["feedback"]]
    secrets += [q.get("feedback_wrong", ""), q.get("feedback_right", ""), q["general_feedback"]]
    for secret in filter(None, secrets):
        assert secret not in shown


def test_multiple_choice_options_are_ids_and_html_in_the_drawn_order():
    q = question(MULTIPLE)
    shown = TYPES["multichoice"].options(q, [2, 0, 3, 1])
    assert shown.multiple is True
    assert [option.id for option in shown.options] == ["2", "0", "3", "1"]
    assert shown.options[0].html == "<p>Menerima gratifikasi dari pemohon layanan</p>"


def test_free_answers_get_a_bounded_input():
    assert TYPES["shortanswer"].options(question(SHORT), None) == TextInput(2000)
    assert TYPES["numerical"].options(question(DECIMAL), None) == TextInput(2000, numeric=True)
    assert TYPES["essay"].options(question(ESSAY), None) == TextInput(20_000, multiline=True)


def test_an_order_that_is_not_a_permutation_is_a_bug():
    with pytest.raises(ValueError):
        TYPES["multichoice"].options(question(SINGLE), [0, 0, 1])


@pytest.mark.parametrize("text, shuffled", [(SINGLE, "options"), (MATCHING, "choices")])
def test_a_shuffle_orders_every_option_and_repeats_with_its_seed(text, shuffled):
    q = question(text)
    grader = TYPES[q["kind"]]
    order = grader.shuffle_order(q, random.Random(7))
    assert grader.shuffle_order(q, random.Random(7)) == order
    as_written = getattr(grader.options(q, None), shuffled)
    assert sorted(order) == list(range(len(as_written)))
    assert getattr(grader.options(q, order), shuffled) == [as_written[i] for i in order]


@pytest.mark.parametrize("text", [DESCRIPTION, ESSAY, TRUE_FALSE, SHORT, WEIGHTED])
def test_questions_without_options_to_shuffle_get_no_order(text):
    q = question(text)
    assert TYPES[q["kind"]].shuffle_order(q, random.Random(7)) is None


# --- The right answer, for the result page --------------------------------------------------


def test_the_right_answers_are_described_without_the_wrong_ones():
    html = TYPES["multichoice"].correct_answer_html(question(MULTIPLE))
    assert "Setia kepada Pancasila" in html and "Menjaga rahasia jabatan" in html
    assert "gratifikasi" not in html and "rapat" not in html


def test_the_right_answer_of_each_kind_is_described():
    describe = {text: TYPES[question(text)["kind"]].correct_answer_html(question(text))
                for text in (TRUE_FALSE, SHORT, TOLERANCE, RANGE, MATCHING, ESSAY, DESCRIPTION)}
    assert describe[TRUE_FALSE] == "<p>False</p>"
    assert describe[SHORT] == "<ul><li>Berorientasi Pelayanan</li></ul>"
    assert describe[TOLERANCE] == "<ul><li>10 ± 2</li></ul>"
    assert describe[RANGE] == "<ul><li>5 – 7</li></ul>"
    assert "<dt><p>BKN</p></dt><dd>Manajemen kepegawaian nasional</dd>" in describe[MATCHING]
    assert "Pemeriksaan keuangan negara" not in describe[MATCHING]
    assert describe[ESSAY] == describe[DESCRIPTION] == ""


def test_answer_text_in_the_right_answer_is_escaped():
    q = question("Tag untuk huruf tebal dalam HTML adalah ... {=<b>}")
    assert TYPES["shortanswer"].correct_answer_html(q) == "<ul><li>&lt;b&gt;</li></ul>"
