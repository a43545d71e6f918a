"""Course dashboards for a course's trainers, HR and admins: how learners progress, where they
stop, how each quiz question does, and the queue of essay answers waiting for a grade."""
