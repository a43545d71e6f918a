"""What HR does: reports and their files, the dashboard, mandatory training, the SIASN export.

The features share one query core: ``filters`` reads what a person asks for, ``queries`` holds
the one select per figure, so a figure on a report, in a file, on the dashboard or on a
trainer's course page always comes from the same query. ``charts`` draws them."""
