"""Every use case once, Qt-free: the GUI, the command line and the demo call these, nothing below them.

``cases`` (the list, Today, Outbox, the detail pane), ``contacts`` (check and log an attempt), ``visits``
(context, drafts, the audited writer), ``issuers`` (the one notice-issuer loader), ``notices``
(permission, prepare, record print and delivery), ``plans`` (context, seal and save, history),
``settings`` (the app's small settings file). Functions take a DeviceStore and do their own
sessions, so a Task can run them on a worker.
"""
