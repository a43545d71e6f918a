"""The signed-in person's start page: what to continue, what is due, what to do next."""
