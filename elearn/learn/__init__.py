"""What learners use: the catalogue, course pages, lessons, knowledge checks, the graded final
quiz and course files."""
