"""The central sync server (SQLite or PostgreSQL): the HTTP API over the services over the database.

- ``api/``: routes by caller (sync, attachments, team, public), auth as dependencies, one error map.
- ``services/``: the server's rules, Qt- and HTTP-free, raising the domain errors of ``errors``:
  ``enrolment``, ``devices`` (who is calling), ``cases`` (ownership), ``pull``, ``push`` (storing a
  batch), ``attachments``, ``audit_chains``, ``forms`` (published scripts, rule packs, notice templates),
  ``plans`` (plans, promises, a lead's decisions, payment imports), ``verify`` (notice tokens and the
  public page), ``importer`` (case files), ``users``, ``escrow`` (sealed device keys).
- ``db`` (models, engines, migrations), ``security`` (passwords and tokens), ``errors``.

The admin commands (``fieldapp admin …``, in ``fieldapp.cli.admin``) and the demo call the services.
"""
