"""Staff login and logout, and the staff inbox."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user

from accounts.errors import AccountLocked
from accounts.forms import LoginForm
from accounts.permissions import VIEW_STAFF
from accounts.services import AccountService, NotificationService
from accounts.throttle import LoginThrottle
from core.web.auth import require
from core.web.forms import ConfirmForm
from core.web.helpers import page_args, pagination
from core.web.transaction import db_session

bp = Blueprint("accounts", __name__, template_folder="templates")


def throttle() -> LoginThrottle:
    """This process's counts of failed logins (accounts.throttle): memory only, never stored."""
    return current_app.extensions["accounts.throttle"]


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never redirect to another host after login.
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("staff_home.home")  # cite.staff_home: what waits for this staff member


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        return render_template("accounts/login.html", form=form)
    status = 200
    if form.validate_on_submit():
        client, username = request.remote_addr or "", form.username.data
        accounts = AccountService(db_session())
        known = accounts.by_username(username or "")
        seconds, locked = throttle().wait(client, username,
                                        password_changed_at=known.password_changed_at if known else None)
        if seconds:
            form.password.errors = [gettext(
                "Too many failed attempts: this account is locked for a few minutes. Try again later or ask an "
                "administrator.") if locked else gettext(
                "Too many failed attempts from here: wait %(seconds)s seconds, then try again.", seconds=seconds)]
            return render_template("accounts/login.html", form=form), 429, {"Retry-After": str(seconds)}
        try:
            user = accounts.authenticate(username, form.password.data)
        except AccountLocked as error:
            form.password.errors = [gettext(error.message)]
            return render_template("accounts/login.html", form=form), 429
        if user is not None:
            throttle().succeeded(client, username)
            session.clear()  # a fresh session on login: no fixation
            login_user(user)
            session.permanent = True
            flash(gettext("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(_safe_next(form.next.data))
        # A failed login answers 401, which rolls the request's transaction
        # back; the failure count must stick, so it is committed here.
        throttle().failed(client, username)
        transaction = db_session()
        transaction.rollback()
        AccountService(transaction).record_failed_login(form.username.data)
        transaction.commit()
        form.password.errors = [gettext("Unknown username or wrong password.")]
        status = 401
    else:
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    if ConfirmForm().validate_on_submit() and current_user.is_authenticated:
        logout_user()
        session.clear()
        flash(gettext("You are logged out."), "info")
    return redirect(url_for("search.home"))


@bp.route("/staff/inbox")
@require(VIEW_STAFF)
def inbox():
    page, size = page_args(25)
    notifications, total = NotificationService(db_session()).inbox(current_user.id, page=page, size=size)
    return render_template("accounts/inbox.html", notifications=notifications, confirm=ConfirmForm(),
                           paging=pagination(total, page, size))


@bp.route("/staff/inbox/read", methods=["POST"])
@require(VIEW_STAFF)
def mark_read():
    """Mark one notification read (``id``) and follow its link, or mark them all read."""
    if not ConfirmForm().validate_on_submit():
        flash(gettext("The form expired: please try again."), "error")
        return redirect(url_for("accounts.inbox"))
    try:
        notification_id = int(request.form["id"]) if request.form.get("id") else None
    except ValueError:
        abort(404)
    notifications = NotificationService(db_session())
    notifications.mark_read(current_user.id, notification_id)
    target = request.form.get("next")
    return redirect(_safe_next(target) if target else url_for("accounts.inbox"))
