"""Web-edge plumbing: the per-request transaction, authentication, locale
and error mapping. Views use these; services never see them."""
