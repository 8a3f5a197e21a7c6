"""Searching the single catalogue: one engine protocol, two engines (an
embedded SQLite FTS5 index by default, Elasticsearch or OpenSearch for
scale), the outbox that keeps them current, thematic portals and the
anonymous demand observatory."""
