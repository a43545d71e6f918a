"""The HR dashboard: the figures people read at a glance, drawn on the server."""
