"""The installable app: its manifest, the service worker, and the pages shown offline."""
