"""SKOS in and out, and the checks a thesaurus must pass.

Everything here works on a ``SkosGraph`` in memory, with no database: files
are parsed into one, the stored thesaurus is loaded into one, and the checks
and serialisers read one. That keeps validation identical for a file, an
import and an edit.
"""
