"""server/migrations"""
