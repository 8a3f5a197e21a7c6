"""The acquisitions' part of the JSON API: proposals and their moves,
supports and comments, budgets and funds, suppliers and orders, and the
unmet demand (registered by ``acquisitions.init_app``)."""
