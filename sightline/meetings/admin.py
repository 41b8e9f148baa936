"""No admin site is mounted (docs/permissions.md); nothing is registered."""
