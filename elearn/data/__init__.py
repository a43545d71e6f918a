"""Moving an installation's data: a portable export/import between databases of any kind
(``flask data export|import``) and consistent SQLite backups (``flask backup|restore``)."""
