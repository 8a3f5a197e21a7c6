"""Thesaurus rules. Services take a SQLAlchemy session (and the acting user
and a clock), flush but never commit, and never import Flask.

Import them from their modules (``thesaurus.services.concepts``...): this
package imports nothing, so importing one service never drags in the others.
"""
