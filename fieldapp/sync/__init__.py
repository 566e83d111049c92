"""The device's sync client (push the outbox, pull cases and updates, fetch forms, upload attachments),
the team lead's API calls, and the client commands ``enroll``, ``sync``, ``status`` and ``notice render``."""
