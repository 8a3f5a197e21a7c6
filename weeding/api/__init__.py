"""Weeding's part of the JSON API: rules, campaigns with their candidates,
votes and decisions, reports and statistics (registered by ``weeding.init_app``)."""
