"""The graded final quiz of a course."""
