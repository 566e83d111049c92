"""The central sync server: HTTP API, database models and migrations, admin commands (SQLite or PostgreSQL).

Modules: ``app`` (routes), ``db`` (models, engines, migrations), ``push`` (storing a batch),
``cases`` (ownership and the pull page), ``attachments`` (chunked and batched uploads), ``audit_chains``
(device audit chains checked on receipt), ``forms`` (published scripts, rule packs, notice templates),
``plans`` (plans, promises, a lead's decisions, payment imports), ``verify`` (notice tokens and the public
verification page), ``importer`` (case CSV), ``admin``/``commands`` (``fieldapp admin …``), ``run`` (uvicorn).
"""
