"""Staff accounts, roles and API tokens. Visitors never have an account."""
