"""The GIFT parser and writer: pure functions, so no app; hypothesis checks the round trip."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elearn.questions.gift import (
    FORMATS,
    Choice,
    Description,
    Essay,
    GiftError,
    Matching,
    MultipleChoice,
    Numerical,
    NumericAnswer,
    Problem,
    ShortAnswer,
    TrueFalse,
    parse,
    write,
)


def only(text: str, **kwargs):
    [question] = parse(text, **kwargs)
    return question


def problems(text: str, **kwargs) -> list[tuple[int, str]]:
    with pytest.raises(GiftError) as caught:
        parse(text, **kwargs)
    return [(problem.line, problem.message) for problem in caught.value.problems]


# --- One test per question type ---------------------------------------------------------------


def test_text_without_braces_is_a_description():
    question = only("Modul ini membahas tujuh nilai dasar ASN BerAKHLAK.")
    assert question == Description(text="Modul ini membahas tujuh nilai dasar ASN BerAKHLAK.")
    assert question.kind == "description"


def test_empty_braces_make_an_essay_with_general_feedback():
    question = only(
        "::Refleksi:: Ceritakan pengalaman Anda menerapkan nilai Harmonis di unit kerja. "
        "{####Jawaban yang baik menyebut situasi, tindakan, dan hasilnya.}"
    )
    assert question == Essay(
        title="Refleksi",
        text="Ceritakan pengalaman Anda menerapkan nilai Harmonis di unit kerja.",
        general_feedback="Jawaban yang baik menyebut situasi, tindakan, dan hasilnya.",
    )


@pytest.mark.parametrize(
    "written, correct", [("T", True), ("TRUE", True), ("true", True), ("f", False), ("False", False)]
)
def test_true_false_in_every_spelling(written, correct):
    question = only(f"UU 27/2022 mengatur pelindungan data pribadi. {{{written}}}")
    assert question == TrueFalse(text="UU 27/2022 mengatur pelindungan data pribadi.", correct=correct)


def test_true_false_first_feedback_is_for_a_wrong_answer_second_for_a_right_one():
    question = only(
        "Data kesehatan termasuk data pribadi yang bersifat spesifik. "
        "{T#Keliru: Pasal 4 ayat (2) menyebutnya spesifik.#Tepat, lihat Pasal 4 ayat (2).}"
    )
    assert question.correct is True
    assert question.feedback_wrong == "Keliru: Pasal 4 ayat (2) menyebutnya spesifik."
    assert question.feedback_right == "Tepat, lihat Pasal 4 ayat (2)."


def test_true_false_with_only_the_wrong_answer_feedback():
    question = only("NIK boleh dibagikan di grup WhatsApp kantor. {F#Tidak: NIK adalah data pribadi.}")
    assert (question.correct, question.feedback_wrong, question.feedback_right) == (
        False,
        "Tidak: NIK adalah data pribadi.",
        "",
    )


def test_single_choice_with_feedback_per_answer_and_general_feedback():
    question = only(
        """::Akuntabel:: Seorang ASN menggunakan mobil dinas untuk mudik. Nilai apa yang dilanggar? {
        =Akuntabel#Benar: fasilitas negara dipakai untuk kepentingan dinas.
        ~Kompeten#Kurang tepat: ini soal penggunaan fasilitas, bukan keahlian.
        ~Adaptif
        ####Lihat Modul 2: Akuntabel.
        }"""
    )
    assert question == MultipleChoice(
        title="Akuntabel",
        text="Seorang ASN menggunakan mobil dinas untuk mudik. Nilai apa yang dilanggar?",
        answers=[
            Choice("Akuntabel", 1.0, "Benar: fasilitas negara dipakai untuk kepentingan dinas."),
            Choice("Kompeten", 0.0, "Kurang tepat: ini soal penggunaan fasilitas, bukan keahlian."),
            Choice("Adaptif", 0.0, ""),
        ],
        multiple=False,
        general_feedback="Lihat Modul 2: Akuntabel.",
    )


def test_single_choice_may_give_partial_credit_to_a_wrong_choice():
    question = only("Pelayanan prima berarti? {=Cepat, tepat, ramah ~%50%Cepat saja ~Sesuka petugas}")
    assert [choice.fraction for choice in question.answers] == [1.0, 0.5, 0.0]
    assert question.multiple is False


def test_multiple_answers_with_negative_and_decimal_weights():
    question = only(
        "Manakah yang termasuk nilai BerAKHLAK? {\n"
        "~%33.33333%Berorientasi Pelayanan#Ya\n"
        "~%33.33333%Loyal\n"
        "~%33.33333%Kolaboratif\n"
        "~%-50%Birokratis#Bukan nilai BerAKHLAK\n"
        "~%-100%Koruptif\n"
        "}"
    )
    assert question.multiple is True
    assert [choice.fraction for choice in question.answers] == [0.3333333, 0.3333333, 0.3333333, -0.5, -1.0]
    assert question.answers[3].feedback == "Bukan nilai BerAKHLAK"


def test_short_answer_with_several_weighted_answers():
    question = only(
        "Singkatan dari nilai dasar ASN adalah? "
        "{=BerAKHLAK#Tepat =%50%AKHLAK#Hampir, ada awalannya. =%25%Akhlak}"
    )
    assert question == ShortAnswer(
        text="Singkatan dari nilai dasar ASN adalah?",
        answers=[
            Choice("BerAKHLAK", 1.0, "Tepat"),
            Choice("AKHLAK", 0.5, "Hampir, ada awalannya."),
            Choice("Akhlak", 0.25, ""),
        ],
    )


def test_numeric_value_with_and_without_tolerance():
    assert only("Tahun berapa UU PDP disahkan? {#2022}").answers == [NumericAnswer(2022.0)]
    assert only("Ada berapa nilai BerAKHLAK? {#7:0#Tujuh}").answers == [NumericAnswer(7.0, 0.0, 1.0, "Tujuh")]
    assert only("Skor IKM minimal kategori baik (0–100)? {#82.5:1.5}").answers == [NumericAnswer(82.5, 1.5)]


def test_numeric_range_keeps_its_exact_bounds():
    [answer] = only("Berapa hari kerja batas waktu jawaban atas permohonan informasi? {#0.1..0.3}").answers
    assert answer.bounds == (0.1, 0.3)
    assert (answer.low, answer.high) == (0.1, 0.3)
    assert answer.value == pytest.approx(0.2) and answer.tolerance == pytest.approx(0.1)


@pytest.mark.parametrize(
    "answer, low, high",
    [(NumericAnswer(82.5, 1.5), 81.0, 84.0), (NumericAnswer.between(-1e308, 1e308), -1e308, 1e308)],
)
def test_numeric_answer_accepts_from_low_to_high(answer, low, high):
    assert (answer.low, answer.high) == (low, high)


def test_several_weighted_numeric_answers():
    question = only(
        """Berapa lama (hari kerja) paling lambat badan publik menjawab permohonan informasi? {#
        =10:0#Tepat, Pasal 22 ayat (7) UU KIP.
        =%50%7..17#Sudah dekat; perpanjangan hingga 7 hari kerja dimungkinkan.
        ####Jangka waktu diatur dalam UU 14/2008.
        }"""
    )
    assert question == Numerical(
        text="Berapa lama (hari kerja) paling lambat badan publik menjawab permohonan informasi?",
        answers=[
            NumericAnswer(10.0, 0.0, 1.0, "Tepat, Pasal 22 ayat (7) UU KIP."),
            NumericAnswer.between(
                7.0, 17.0, 0.5, "Sudah dekat; perpanjangan hingga 7 hari kerja dimungkinkan."
            ),
        ],
        general_feedback="Jangka waktu diatur dalam UU 14/2008.",
    )


def test_matching_with_a_distractor():
    question = only(
        """Pasangkan nilai dengan perilakunya. {
        =Berorientasi Pelayanan -> Memahami dan memenuhi kebutuhan masyarakat
        =Akuntabel -> Melaksanakan tugas dengan jujur dan bertanggung jawab
        =Kompeten -> Terus belajar dan mengembangkan kapabilitas
        = -> Mendahulukan kepentingan golongan
        }"""
    )
    assert question.pairs == [
        ("Berorientasi Pelayanan", "Memahami dan memenuhi kebutuhan masyarakat"),
        ("Akuntabel", "Melaksanakan tugas dengan jujur dan bertanggung jawab"),
        ("Kompeten", "Terus belajar dan mengembangkan kapabilitas"),
    ]
    assert question.distractors == ["Mendahulukan kepentingan golongan"]
    assert question.kind == "matching"


def test_missing_word_keeps_the_text_after_the_answers():
    question = only("Kegagalan pelindungan data wajib diberitahukan paling lambat {=3 =tiga} x 24 jam.")
    assert question.text == "Kegagalan pelindungan data wajib diberitahukan paling lambat"
    assert question.text_after == "x 24 jam."
    assert isinstance(question, ShortAnswer)


def test_missing_word_may_start_with_the_answers():
    question = only("{~Adaptif =Harmonis ~Loyal} berarti saling peduli dan menghargai perbedaan.")
    assert (question.text, question.text_after) == ("", "berarti saling peduli dan menghargai perbedaan.")


# --- Syntax ------------------------------------------------------------------------------------


def test_escapes_in_title_text_answers_and_feedback():
    question = only(
        r"::Rumus \: IKM:: Nilai IKM \= total \{bobot\} \~ dibagi \# unsur\\n? {"
        r"=100 \= sangat baik#Benar\: lihat \{Permenpan\}\nPasal 5"
        r" ~50 \~ cukup#Salah \# coba lagi}"
    )
    assert question.title == "Rumus : IKM"
    assert question.text == "Nilai IKM = total {bobot} ~ dibagi # unsur\\n?"
    assert question.answers == [
        Choice("100 = sangat baik", 1.0, "Benar: lihat {Permenpan}\nPasal 5"),
        Choice("50 ~ cukup", 0.0, "Salah # coba lagi"),
    ]


def test_a_backslash_before_an_ordinary_character_stays():
    assert only(r"Folder C:\Data\PDP wajib dienkripsi. {T}").text == r"Folder C:\Data\PDP wajib dienkripsi."


def test_crlf_cr_and_byte_order_mark_read_like_plain_newlines():
    text = "// PDP\n::Satu:: Data biometrik adalah data spesifik. {T}\n\n::Dua:: NIK boleh diumumkan. {F}\n"
    expected = parse(text)
    for variant in ("\ufeff" + text, text.replace("\n", "\r\n"), text.replace("\n", "\r")):
        assert parse(variant) == expected
        assert [question.line for question in parse(variant)] == [2, 4]


def test_comment_lines_are_ignored_but_double_slashes_inside_text_are_not():
    question = only(
        "// Bab 3: kanal pengaduan\n"
        "Alamat kanal pengaduan nasional adalah https://www.lapor.go.id {\n"
        "  // penjelasan untuk penulis soal: jangan diubah\n"
        "=T\n"
        "}"
    )
    assert question.text == "Alamat kanal pengaduan nasional adalah https://www.lapor.go.id"
    assert question.line == 2


def test_category_applies_to_the_questions_below_it():
    first, second, third = parse(
        "Tanpa kategori. {T}\n\n"
        "$CATEGORY: $course$/top/BerAKHLAK/Pelayanan\n\n"
        "Soal satu. {T}\n\n"
        "$CATEGORY: $course$/top/PDP\n"
        "Soal dua. {F}\n"
    )
    assert first.category is None
    assert second.category == "$course$/top/BerAKHLAK/Pelayanan"
    assert third.category == "$course$/top/PDP"
    assert third.line == 8


@pytest.mark.parametrize("marker", FORMATS)
def test_format_marker_before_the_text(marker):
    question = only(f"::Format:: [{marker}] Sebutkan *satu* hak subjek data. {{}}")
    assert question.text_format == marker
    assert question.text == "Sebutkan *satu* hak subjek data."


def test_without_a_marker_the_format_is_moodle():
    assert only("Sebutkan satu hak subjek data. {}").text_format == "moodle"


def test_a_bracketed_word_that_names_no_format_is_text_as_in_moodle():
    question = only("[Pasal 5] Siapa yang berhak? {=[rtf] Setiap orang ~Hanya pejabat}")
    assert (question.text_format, question.text) == ("moodle", "[Pasal 5] Siapa yang berhak?")
    assert question.answers[0] == Choice("[rtf] Setiap orang", 1.0)


def test_every_answer_and_feedback_may_carry_its_own_format_marker():
    question = only(
        "[markdown] Ibu kota provinsi Sumatera Utara?\n"
        "{=[html]<b>Medan</b>#[plain]<Benar>\n~Pematangsiantar#[markdown]Bukan, itu *kota*.\n"
        "####[html]<i>Lihat peta</i>}"
    )
    assert question.answers == [
        Choice("<b>Medan</b>", 1.0, "<Benar>", "html", "plain"),
        Choice("Pematangsiantar", 0.0, "Bukan, itu *kota*.", "", ""),
    ]
    assert (question.general_feedback, question.general_feedback_format) == ("<i>Lihat peta</i>", "html")


def test_markers_in_true_false_numeric_and_matching_parts():
    true_false = only("Benar? {T#[plain]*salah*#[html]<b>benar</b>}")
    assert (true_false.feedback_wrong_format, true_false.feedback_right_format) == ("plain", "html")
    numeric = only("Berapa? {#=4#[html]<b>Tepat</b> ~#[plain]Jauh *sekali*}")
    assert [a.feedback_format for a in numeric.answers] == ["html", "plain"]
    matching = only("Pasangkan. {=[html]<b>PNS</b> -> tetap =PPPK -> perjanjian}")
    assert matching.left_formats == ["html", ""]
    assert matching.pairs == [("<b>PNS</b>", "tetap"), ("PPPK", "perjanjian")]


def test_answers_on_one_line_or_on_several_lines_are_the_same():
    one_line = "Siapa yang menandatangani SKP? {=Pejabat penilai kinerja ~Rekan kerja ~Diri sendiri}"
    several = (
        "Siapa yang menandatangani SKP?\n{\n  =Pejabat penilai kinerja\n  ~Rekan kerja\n\t~Diri sendiri\n}"
    )
    assert parse(one_line) == parse(several)


def test_a_question_may_span_several_lines_and_end_with_its_answers():
    question = only("Budi menerima parsel\ndari rekanan.\nApa yang ia lakukan? {\n=Menolak\n~Menerima\n}")
    assert question.text == "Budi menerima parsel\ndari rekanan.\nApa yang ia lakukan?"
    assert question.text_after == ""


def test_first_line_shifts_every_line_number():
    text = "Soal pertama. {T}\n\nSoal kedua. {=x ~y}"
    assert [question.line for question in parse(text, first_line=31)] == [31, 33]
    assert problems("Soal.\n\nRusak {=x", first_line=31) == [(33, "This '{' is never closed with '}'.")]


def test_problem_reads_as_file_line_message():
    with pytest.raises(GiftError) as caught:
        parse("Rusak {=x", source="courses/pdp/quiz.md", first_line=12)
    unclosed = "This '{' is never closed with '}'."
    assert caught.value.problems == [Problem("courses/pdp/quiz.md", 12, unclosed)]
    assert str(caught.value) == "courses/pdp/quiz.md:12: This '{' is never closed with '}'."
    assert isinstance(caught.value, ValueError)


# --- Keys ------------------------------------------------------------------------------------


def test_a_titled_question_is_keyed_by_the_slug_of_its_title():
    assert only("::Nilai Akuntabel: Studi Kasus #1:: Jelaskan. {}").key == "nilai-akuntabel-studi-kasus-1"


def test_a_title_in_any_script_gives_an_ascii_slug_or_falls_back_to_the_hash():
    assert only("::Étika Pelayanan – Kasus 2:: Jelaskan. {}").key == "etika-pelayanan-kasus-2"
    assert only("::???:: Jelaskan. {}").key == only("Jelaskan. {}").key


def test_an_untitled_question_keeps_its_key_when_read_again_or_when_feedback_changes():
    question = only("Data pribadi spesifik meliputi? {=Data kesehatan#Ya ~Nama#Bukan}")
    assert question.key.startswith("q-") and len(question.key) == 14
    assert only("Data pribadi spesifik meliputi? {=Data kesehatan#Ya ~Nama#Bukan}").key == question.key
    assert only("\n\nData pribadi spesifik meliputi? {=Data kesehatan ~Nama}").key == question.key


@pytest.mark.parametrize(
    "edited",
    [
        "Data pribadi umum meliputi? {=Data kesehatan ~Nama}",
        "Data pribadi spesifik meliputi? {=Data genetika ~Nama}",
        "Data pribadi spesifik meliputi? {~Data kesehatan =Nama}",
        "Data pribadi spesifik meliputi? {=Data kesehatan =Nama}",
    ],
)
def test_changing_the_question_or_what_counts_as_right_changes_the_key(edited):
    assert only(edited).key != only("Data pribadi spesifik meliputi? {=Data kesehatan ~Nama}").key


# --- Problems ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("Soal\n{=Ya\n~%abc%Tidak}", 3, "'abc' is not a weight: write a percentage such as %50%."),
        ("Soal {=Ya ~%150%Tidak}", 1, "The weight 150% is not between -100% and 100%."),
        ("Soal {=Ya ~%-101%Tidak}", 1, "The weight -101% is not between -100% and 100%."),
        ("Soal {=Ya\n~%50 Tidak}", 2, "The weight has no closing '%'."),
        ("Tahun UU PDP? {#dua ribu}", 1, "'dua ribu' is not a number."),
        ("Tahun UU PDP? {#nan}", 1, "'nan' is not a number."),
        ("Tahun UU PDP? {#1e999}", 1, "'1e999' is not a number."),
        ("Tahun UU PDP? {#2022:x}", 1, "'x' is not a number."),
        ("Tahun? {#\n=2022\n=%50%2023..2021}", 3, "The range 2023..2021 starts above where it ends."),
        ("Tahun UU PDP? {#2022:-1}", 1, "The tolerance -1 is negative."),
        ("Tahun UU PDP? {#}", 1, "The numeric question has no answer after '#'."),
        ("Tahun UU PDP? {#=%50%2022}", 1, "No answer is marked fully correct."),
        ("Nilai BerAKHLAK? {~Loyal}", 1, "A multiple-choice question needs at least two choices."),
        ("Nilai ASN? {~Loyal ~Boros}", 1, "No answer is marked correct: mark the right answer with '='."),
        ("Nilai BerAKHLAK? {=%50%Loyal ~Birokratis}", 1, "No answer is marked fully correct."),
        ("Sebutkan nilai? {=%50%AKHLAK}", 1, "No answer is marked fully correct."),
        (
            "Nilai BerAKHLAK?\n{~%50%Loyal\n~%40%Adaptif\n~Birokratis}",
            2,
            "The positive weights add up to 90%; with several right answers they must add up to 100%.",
        ),
        (
            "Cocokkan. {=Loyal -> Setia}",
            1,
            "A matching question needs at least two pairs 'question -> answer'.",
        ),
        (
            "Pasangkan. {\n=Loyal -> Setia\n=Adaptif\n}",
            3,
            "This matching pair has no '->' between question and answer.",
        ),
        ("Pasangkan. {\n=Loyal -> Setia\n=Adaptif ->\n}", 3, "An answer is empty."),
        ("Nilai BerAKHLAK? {=Loyal ~#tidak ada teksnya}", 1, "An answer is empty."),
        ("Nilai BerAKHLAK?\n{=Loyal ~Birokratis", 2, "This '{' is never closed with '}'."),
        (
            "Nilai BerAKHLAK? =Loyal ~Birokratis}",
            1,
            "This '}' closes nothing; write \\} for a brace that is part of the text.",
        ),
        ("::Judul:: {=Loyal ~Birokratis}", 1, "The question has no text."),
        ("::Hanya judul::", 1, "The question has no text."),
        ("::Judul\nNilai ASN? {=Loyal ~Boros}", 1, "The title is never closed: end it with '::'."),
        (
            "Soal satu? {=Loyal ~Birokratis}\nSoal dua? {T}",
            2,
            "A second answer block in the same question; "
            "put a blank line between questions, or write \\{ for a brace in the text.",
        ),
        (
            "Nilai BerAKHLAK? {Loyal}",
            1,
            "Cannot tell the question type: answers start with = or ~, "
            "a numeric answer with #, true/false with T or F.",
        ),
        ("$CATEGORY:\n\nSoal. {T}", 1, "The $CATEGORY line names no category."),
    ],
)
def test_each_problem_is_reported_with_its_line(text, line, message):
    assert problems(text) == [(line, message)]


def test_several_equals_in_a_single_choice_question_are_reported_at_the_second():
    assert problems("Nilai BerAKHLAK? {\n=Loyal\n~Birokratis\n=Adaptif\n}") == [
        (
            4,
            "Several answers are marked correct with '='; a single-choice question has one. "
            "For several right answers, give each a weight such as ~%50% instead.",
        )
    ]


def test_either_of_two_answers_can_earn_full_marks_with_an_explicit_weight():
    question = only("Sinonim 'harmonis'? {=Rukun ~%100%Selaras ~Bertengkar}")
    assert [choice.fraction for choice in question.answers] == [1.0, 1.0, 0.0]
    assert question.multiple is False


def test_every_problem_in_a_text_is_reported_with_its_line():
    text = (
        "// Kuis PDP\n"  # 20
        "Soal baik. {T}\n"  # 21
        "\n"
        "Bobot rusak {\n"  # 23
        "=Ya\n"
        "~%abc%Tidak\n"  # 25
        "~%50 Mungkin\n"  # 26
        "}\n"
        "\n"
        "Angka {#=lima =%50%3..1}\n"  # 29
        "\n"
        "Tidak ditutup {=a ~b\n"  # 31
        "\n"
        "::Judul tanpa penutup\n"  # 33
        "\n"
        "Soal baik lagi {=x ~y}\n"
    )
    assert problems(text, first_line=20) == [
        (25, "'abc' is not a weight: write a percentage such as %50%."),
        (26, "The weight has no closing '%'."),
        (29, "'lima' is not a number."),
        (29, "The range 3..1 starts above where it ends."),
        (31, "This '{' is never closed with '}'."),
        (33, "The title is never closed: end it with '::'."),
    ]


def test_every_wrong_answer_of_one_question_is_reported():
    assert problems("Nilai ASN?\n{\n=Loyal\n~%x%Boros\n~%200%Malas\n~\n}") == [
        (4, "'x' is not a weight: write a percentage such as %50%."),
        (5, "The weight 200% is not between -100% and 100%."),
        (6, "An answer is empty."),
    ]


def test_a_blank_line_inside_an_answer_block_splits_it_and_is_reported():
    assert problems("Soal {\n=Ya\n\n~Tidak\n}") == [
        (1, "This '{' is never closed with '}'."),
        (5, "This '}' closes nothing; write \\} for a brace that is part of the text."),
    ]


def test_problems_are_english_without_an_app():
    [(_, message)] = problems("Soal {#x}")
    assert message == "'x' is not a number."


# --- Writer ------------------------------------------------------------------------------------


def test_writer_produces_moodle_style_gift():
    questions = [
        MultipleChoice(
            title="Akuntabel",
            text="Nilai yang dilanggar: {mobil dinas} dipakai mudik?",
            answers=[Choice("Akuntabel", 1.0, "Benar"), Choice("Kompeten", 0.0)],
            category="$course$/BerAKHLAK",
        ),
        Numerical(text="Tahun UU PDP?", answers=[NumericAnswer(2022.0)], category="$course$/BerAKHLAK"),
        TrueFalse(text="NIK adalah data pribadi.", correct=True, feedback_wrong="Lihat Pasal 4."),
    ]
    assert write(questions) == (
        "$CATEGORY: $course$/BerAKHLAK\n"
        "\n"
        "::Akuntabel:: Nilai yang dilanggar\\: \\{mobil dinas\\} dipakai mudik? {\n"
        "=Akuntabel#Benar\n"
        "~Kompeten\n"
        "}\n"
        "\n"
        "Tahun UU PDP? {#=2022}\n"
        "\n"
        "NIK adalah data pribadi. {TRUE#Lihat Pasal 4.}\n"
    )


def test_writer_protects_texts_that_look_like_markers_comments_or_weights():
    questions = [
        Description(text="[Pasal 5] Setiap orang berhak atas pelindungan data pribadi."),
        Essay(text="// bukan komentar: jelaskan makna garis miring ganda"),
        ShortAnswer(text="Persentase kepatuhan minimal?", answers=[Choice("%80", 1.0)]),
    ]
    assert parse(write(questions)) == questions


def test_realistic_quiz_survives_a_round_trip():
    text = """
$CATEGORY: $course$/top/PDP

::pdp-1::[markdown] Menurut **UU 27/2022**, data berikut yang termasuk data pribadi spesifik? {
~%50%Data kesehatan#Ya, Pasal 4 ayat (2) huruf a.
~%50%Data biometrik#Ya, Pasal 4 ayat (2) huruf c.
~%-100%Nama lengkap#Bukan, itu data pribadi umum.
####Data spesifik menimbulkan dampak lebih besar bila bocor.
}

Paling lambat {=3 =tiga#ditulis dengan huruf juga benar} x 24 jam kegagalan pelindungan harus diberitahukan.

Besaran denda administratif paling tinggi (persen pendapatan tahunan)? {#2:0}

Pasangkan peran dengan contohnya. {
=Pengendali data -> Dinas Kependudukan dan Pencatatan Sipil
=Prosesor data -> Penyedia pusat data yang dikontrak
=Subjek data -> Warga pemilik NIK
}
"""
    questions = parse(text)
    assert len(questions) == 4
    assert parse(write(questions)) == questions


# --- Properties ----------------------------------------------------------------------------------

FRAGMENTS = [
    "{", "}", "=", "~", "#", "####", "%", "%50%", "%-33.3%", "::", "->", "\\", "\n", "\n\n", "\r\n",
    "\r", "//", "..", ":", "T", "FALSE", "[html]", "[x]", "$CATEGORY: a/b\n", "1", "2.5", "-", "e9", " ",
    "Loyal", "\ufeff",
]


@settings(max_examples=200)
@given(st.text() | st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_parse_returns_questions_or_raises_gift_error_and_nothing_else(text):
    try:
        questions = parse(text)
    except GiftError as error:
        assert error.problems
        assert all(problem.line >= 1 for problem in error.problems)
    else:
        assert isinstance(questions, list)


# Every character the writer must escape or protect, plus enough ordinary ones to read.
ALPHABET = "aBkLmé 09~=#{}:\\\n%[]/->.$T"
texts = st.text(alphabet=ALPHABET, min_size=1, max_size=12).map(str.strip).filter(bool)
maybe_texts = st.just("") | texts
# "->" makes an answer block a matching question; GIFT has no way to escape it.
no_arrow_texts = texts.filter(lambda text: "->" not in text)
one_line_texts = texts.filter(lambda text: "\n" not in text)
fractions = st.floats(min_value=-1, max_value=1)
finite_floats = st.floats(allow_nan=False, allow_infinity=False)


def part_formats(question_format: str):
    """The format of an answer or a feedback: ``""`` for the question's, or another one."""
    return st.sampled_from(["", *(f for f in FORMATS if f != question_format)])


@st.composite
def feedbacks(draw, question_format: str) -> tuple[str, str]:
    """A feedback and its format; an empty feedback has none (there is nothing to mark)."""
    text = draw(maybe_texts)
    return text, draw(part_formats(question_format)) if text else ""


@st.composite
def common(draw) -> dict:
    """Fields every question with an answer block has; the text may be empty if text follows."""
    text = draw(maybe_texts)
    text_format = draw(st.sampled_from(FORMATS))
    general_feedback, general_feedback_format = draw(feedbacks(text_format))
    return {
        "title": draw(st.none() | texts),
        "text": text,
        "text_after": draw(texts if not text else maybe_texts),
        "text_format": text_format,
        "general_feedback": general_feedback,
        "general_feedback_format": general_feedback_format,
    }


@st.composite
def choices(draw, question_format: str, text=texts, fraction=fractions) -> Choice:
    feedback, feedback_format = draw(feedbacks(question_format))
    return Choice(draw(text), draw(fraction), feedback, draw(part_formats(question_format)), feedback_format)


@st.composite
def one_right_and_others(draw, right, others) -> list:
    return draw(st.permutations([draw(right), *draw(st.lists(others, min_size=1, max_size=4))]))


@st.composite
def descriptions(draw) -> Description:
    return Description(
        text=draw(texts), title=draw(st.none() | texts), text_format=draw(st.sampled_from(FORMATS))
    )


@st.composite
def essays(draw) -> Essay:
    return Essay(**draw(common()))


@st.composite
def true_falses(draw) -> TrueFalse:
    fields = draw(common())
    wrong, wrong_format = draw(feedbacks(fields["text_format"]))
    right, right_format = draw(feedbacks(fields["text_format"]))
    return TrueFalse(
        correct=draw(st.booleans()),
        feedback_wrong=wrong,
        feedback_right=right,
        feedback_wrong_format=wrong_format,
        feedback_right_format=right_format,
        **fields,
    )


@st.composite
def single_choices(draw) -> MultipleChoice:
    fields = draw(common())
    answers = one_right_and_others(
        choices(fields["text_format"], fraction=st.just(1.0)), choices(fields["text_format"])
    )
    return MultipleChoice(answers=draw(answers), multiple=False, **fields)


@st.composite
def multiple_answers(draw) -> MultipleChoice:
    fields = draw(common())
    weights = draw(st.sampled_from([[1.0], [0.5, 0.5], [0.3333333] * 3, [0.25] * 4, [0.7, 0.3]]))
    right = [draw(choices(fields["text_format"], fraction=st.just(weight))) for weight in weights]
    penalty = st.floats(min_value=-1, max_value=0)
    wrong = choices(fields["text_format"], fraction=penalty)
    wrong = draw(st.lists(wrong, min_size=max(0, 2 - len(right)), max_size=3))
    return MultipleChoice(answers=draw(st.permutations(right + wrong)), multiple=True, **fields)


@st.composite
def short_answers(draw) -> ShortAnswer:
    fields = draw(common())
    answers = one_right_and_others(
        choices(fields["text_format"], no_arrow_texts, st.just(1.0)),
        choices(fields["text_format"], no_arrow_texts),
    )
    return ShortAnswer(answers=draw(answers), **fields)


@st.composite
def numeric_answers(draw, question_format: str, fraction=fractions) -> NumericAnswer:
    feedback, feedback_format = draw(feedbacks(question_format))
    if draw(st.booleans()):
        low, high = sorted(draw(st.tuples(finite_floats, finite_floats)))
        return NumericAnswer.between(low, high, draw(fraction), feedback, feedback_format)
    tolerance = st.floats(min_value=0, allow_infinity=False)
    value = draw(finite_floats)
    return NumericAnswer(value, draw(tolerance), draw(fraction), feedback, None, feedback_format)


@st.composite
def numericals(draw) -> Numerical:
    """Weighted answers and, at the end, perhaps the feedback for any other number."""
    fields = draw(common())
    text_format = fields["text_format"]
    answers = draw(
        one_right_and_others(numeric_answers(text_format, st.just(1.0)), numeric_answers(text_format))
    )
    if draw(st.booleans()):
        feedback, feedback_format = draw(feedbacks(text_format))
        answers.append(NumericAnswer(0.0, 0.0, 0.0, feedback, None, feedback_format, other=True))
    return Numerical(answers=answers, **fields)


@st.composite
def matchings(draw) -> Matching:
    fields = draw(common())
    pairs = draw(st.lists(st.tuples(no_arrow_texts, texts), min_size=2, max_size=4))
    formats = draw(st.lists(part_formats(fields["text_format"]), min_size=len(pairs), max_size=len(pairs)))
    return Matching(
        pairs=pairs,
        distractors=draw(st.lists(texts, max_size=2)),
        left_formats=formats if any(formats) else [],
        **fields,
    )


@st.composite
def quizzes(draw) -> list:
    """Questions with categories as GIFT can say them: once set, a category only changes."""
    any_question = st.one_of(
        descriptions(), essays(), true_falses(), single_choices(), multiple_answers(), short_answers(),
        numericals(), matchings(),
    )
    quiz = draw(st.lists(any_question, max_size=5))
    category = None
    for question in quiz:
        category = draw(one_line_texts) if draw(st.booleans()) else category
        question.category = category
    return quiz


@settings(max_examples=300)
@given(quizzes())
def test_write_then_parse_gives_back_the_same_questions(quiz):
    assert parse(write(quiz)) == quiz
