"""Mandatory training: HR assigns a course with a due date; learners see it first."""
