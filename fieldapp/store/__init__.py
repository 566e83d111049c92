"""The device's encrypted store (SQLCipher): models, migrations, and ``repo`` — the helpers that write a
change, its audit event and its outbox row in one transaction (cases, contact attempts, attachments,
the audit chain, received form versions, plans, promises, printed notices, the trusted clock)."""
