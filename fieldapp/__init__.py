"""FieldApp: offline-first field collection with compliant visits and exact-once sync."""

__version__ = "0.1.0"

#: Protocol version spoken on the wire; bumped only on incompatible changes.
PROTOCOL_VERSION = 1
