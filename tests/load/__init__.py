"""Load and crash test run by hand or by CI as a script (``python -m tests.load.run_load``);
nothing here is collected by pytest."""
