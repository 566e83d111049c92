"""Bundled resources: fonts, icons, style sheet, translations (read through importlib.resources)."""
