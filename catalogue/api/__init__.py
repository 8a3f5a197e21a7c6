"""The catalogue's part of the JSON API: records, items, uses, vocabularies
and the audit trail (registered by ``catalogue.init_app``)."""
