"""Evaluation after a course (Kirkpatrick levels 1 and 3): the reaction survey on completion,
the follow-up on what was applied at work and its confirmation by the supervisor, and the
figures trainers and HR read from both."""
