"""HR reports: completions, JP compliance, unit and course summaries, on screen and as files,
and the training history as SIASN takes it."""
