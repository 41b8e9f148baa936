"""No admin: Django admin is not mounted (sightline/site/tests/test_url_enumeration.py)."""
