"""Bulk import in the admin: filled in by the import work."""
