"""The server's rules, HTTP-free: each module a service the API routes, the admin commands and the demo call.

They raise the domain errors of ``fieldapp.server.errors``; ``fieldapp.server.api.errors`` maps them to HTTP.
"""
