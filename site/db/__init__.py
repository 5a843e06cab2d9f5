"""Database backends of our own: only what Django's lack for running as a service."""
