"""The rules of acquisitions: proposals and their duplicates, moves through
the states, funds, orders and receipts, the demand behind them, and who hears
of what. Services take a session, flush but never commit, and never import
Flask."""
