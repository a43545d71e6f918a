"""Notifications: each person is told, in the app and by e-mail, what needs them.

Events write a :class:`~elearn.models.Notification` in their own transaction
(:func:`.operations.notify`); ``flask notify remind`` writes the reminders that only the calendar
causes (due dates, follow-ups, the weekly digest of unit heads), idempotently; ``flask notify
send`` delivers the e-mails over SMTP, retrying with back-off.
"""
