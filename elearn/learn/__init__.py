"""What learners use: the catalogue, course pages, lessons, knowledge checks and course files."""
