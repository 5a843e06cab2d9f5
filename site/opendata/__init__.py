"""Open data: downloads of the register (CSV, XLSX, JSON, the whole register as a zip), the
read-only JSON API under /api/v1/, and the rate limit in front of both.

What is public is decided by `website.privacy` alone; the tables here only shape it.
"""
