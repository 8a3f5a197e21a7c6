"""CSRF protection of every form (Flask-WTF). Endpoints that take no session
cookie (the API, OAI-PMH) are exempted by the package that registers them."""
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
