"""Weeding reviews: campaigns, candidate items and decisions, with their history."""
