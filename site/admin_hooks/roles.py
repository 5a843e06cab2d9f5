"""Staff scopes (roles) in the admin: filled in by the roles work."""
