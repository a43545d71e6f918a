"""The notifications that only the calendar causes: due dates of assigned courses, follow-ups
after a course, and the weekly digest of who is behind. Above every feature it reminds of, so
that notifications themselves stay at the bottom where every feature can send one."""
