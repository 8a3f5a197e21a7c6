"""The public search API under /api/v1/search: no token, no cookie. Same
OpenAPI document and error shape as the staff API."""
