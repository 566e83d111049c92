"""Printed documents: notice letters (and, later, repayment-plan agreements) as PDF, with QR codes.

Qt-free; every function is safe off the GUI thread. Shared helpers for every document:
:mod:`~fieldapp.documents.fonts` (``register_fonts() -> str``, ``markup(text)`` for mixed
Chinese/Latin paragraphs, ``draw_string`` for canvas lines) and :mod:`~fieldapp.documents.qr`
(``qr_flowable(url, size)``, a vector QR code). Notices: :mod:`~fieldapp.documents.notice_pdf`
(``render_notice``, ``render_batch``) and :mod:`~fieldapp.documents.notice_values` (case → values).
"""
