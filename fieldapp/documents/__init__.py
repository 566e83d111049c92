"""Printed documents: notice letters (and, later, repayment-plan agreements) as PDF, with QR codes.

Qt-free. Shared helpers for every document: :mod:`fieldapp.documents.fonts` (the bundled CJK font,
mixed-script markup) and :mod:`fieldapp.documents.qr` (vector QR codes).
"""
