"""Django admin is not mounted (see the URL enumeration test); nothing is registered."""
