"""Small, valid course folders written in code, for tests to load, break and import."""
from __future__ import annotations

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c6360000002000100"
    "05fe02fea3560b5b0000000049454e44ae426082"
)

COURSE_MD = """---
id: {slug}
title: Etika Pelayanan di Kantor Kelurahan
summary: Cara melayani warga dengan ramah, cepat, dan sesuai standar.
jp: {jp}
competency: sosial-kultural
tags: [BerAKHLAK, pelayanan-publik]
passing_score: 70
authors: [Tim Widyaiswara BKPSDM]
organiser: BKPSDM Kota Pematangsiantar
---
Kursus singkat untuk petugas **meja layanan**.
"""

LESSON_MD = """---
title: Pelajaran {n}
minutes: {minutes}
---
## Bagian {n}

Warga datang pukul 08.00 dan dilayani sesuai standar.

![Alur layanan](img/alur.png)

```gift
::cek-{n}:: Apakah petugas wajib tersenyum? {{T#Salah, keramahan itu standar.#Benar.}}
```
"""

QUIZ_MD = """---
title: Kuis Akhir
passing_score: 70
max_attempts: 3
time_limit: {time_limit}
shuffle: true
---
Jawab semua pertanyaan.

```gift
::nilai:: Nilai dasar ASN yang menekankan layanan prima adalah... {{
=Berorientasi Pelayanan#Tepat.
~Loyal
~Adaptif
}}

::jam-buka:: Kantor kelurahan buka pukul berapa? (jam) {{#8:0}}
```
"""

# A quiz whose only question never closes its answers: the error is on line 7.
BROKEN_QUIZ = """---
title: Kuis Akhir
passing_score: 70
---

```gift
::layanan:: Siapa yang dilayani kantor kelurahan? {=Warga ~Pejabat
```
"""
BROKEN_QUIZ_LINE = 7


def course_files(slug: str = "etika-pelayanan", lessons: int = 2, minutes: int = 15, quiz: bool = True,
                 time_limit: int = 15) -> dict[str, bytes]:
    total = lessons * minutes + (time_limit if quiz else 0)
    files = {
        "course.md": COURSE_MD.format(slug=slug, jp=round(total / 45, 2)).encode(),
        "img/alur.png": PNG,
    }
    for n in range(1, lessons + 1):
        files[f"{n:02d}-bagian-{n}.md"] = LESSON_MD.format(n=n, minutes=minutes).encode()
    if quiz:
        files["quiz.md"] = QUIZ_MD.format(time_limit=time_limit).encode()
    return files
