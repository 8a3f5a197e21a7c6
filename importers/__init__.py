"""MARC import runs (files and OAI-PMH harvests), their rejects and harvest state."""
