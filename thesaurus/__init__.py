"""The thesaurus shared with the main library (SKOS concepts and relations).

This issue lays the tables records are indexed against; SKOS import, export
and validation come with the thesaurus issue.
"""
