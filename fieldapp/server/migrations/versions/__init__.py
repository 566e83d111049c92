"""server/migrations/versions"""
