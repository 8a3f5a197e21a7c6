"""Acquisition proposals made by counsellors and decided by librarians."""
