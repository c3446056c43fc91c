"""Operating a region: backups, restores and health checks (``flask --app wsgi ops ...``).

``maintenance`` holds the work and its SQL (the online backup, verifying and restoring a
backup, the retention of daily and weekly backups, every check of ``ops check``);
``cli`` is the command line. The deploy kit in ``deploy/`` runs them from systemd timers
(docs/OPERATIONS.md).
"""
