"""The importers' part of the JSON API: the alignment of incoming subject
headings with the thesaurus (``headings``), and the import runs with the
updates they held for review (``imports``)."""
from importers.api import headings, imports

BLUEPRINTS = (headings.blp, imports.blp)
