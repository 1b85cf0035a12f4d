"""Sign-in by mailed link or typed code, the welcome form for new accounts, and sign-out."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_login import current_user, login_required
from redis.exceptions import RedisError

from app import audit, db, tasks
from app.auth import mails, tokens
from app.auth.forms import CodeForm, ConfirmForm, SignInForm, SignOutForm, WelcomeForm
from app.auth.lifecycle import restore_account
from app.auth.models import User
from app.auth.sessions import find_user, sign_out, start_session
from app.db import utcnow
from app.extensions import limiter
from app.rendering import done, render
from app.security import safe_next

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)


def _address_key() -> str:
    return "address:" + tokens.normalize_email(request.form.get("email", ""))


def _limit(name: str):
    return lambda: current_app.config[name]


@bp.get("/sign-in")
def sign_in():
    """The e-mail form that starts a sign-in (or a sign-up: they are the same)."""
    if current_user.is_authenticated:
        return redirect(url_for("pages.dashboard"))
    form = SignInForm(next=request.args.get("next", ""))
    return render("auth/sign_in.html", form=form)


@bp.post("/sign-in")
@limiter.limit(_limit("SIGN_IN_LIMIT_PER_IP"), methods=["POST"])
@limiter.limit(_limit("SIGN_IN_LIMIT_PER_ADDRESS"), key_func=_address_key, methods=["POST"])
def request_sign_in():
    """Mails a link and a code; answers the same whether or not the address has an account."""
    form = SignInForm()
    if not form.validate_on_submit():
        return render("auth/sign_in.html", form=form, status=422)
    issued = tokens.issue(form.email.data, minutes=current_app.config["SIGN_IN_TOKEN_MINUTES"])
    email = tokens.normalize_email(form.email.data)
    try:
        tasks.enqueue("jobs.mail.send_sign_in", email, issued.token, issued.code,
                      result_ttl=0, failure_ttl=900, description="sign-in mail")
    except RedisError:
        log.warning("queue unavailable; sending the sign-in mail from the web process")
        mails.send_sign_in(email, issued.token, issued.code)
    session["sign_in_browser"] = issued.browser_secret
    session["sign_in_next"] = safe_next(form.next.data, "")
    return done(url_for("auth.enter_code"))


@bp.get("/sign-in/code")
def enter_code():
    """Check your mail: open the link, or type the code here (in this same browser)."""
    return render("auth/code.html", form=CodeForm(), waiting="sign_in_browser" in session)


@bp.post("/sign-in/code")
@limiter.limit(_limit("CODE_LIMIT_PER_IP"), methods=["POST"])
def submit_code():
    """Signs in with the typed code; five wrong tries void the request."""
    form = CodeForm()
    if not form.validate_on_submit():
        return render("auth/code.html", form=form, waiting="sign_in_browser" in session, status=422)
    result = tokens.consume_code(session.get("sign_in_browser"), form.code.data,
                                 max_tries=current_app.config["SIGN_IN_CODE_TRIES"])
    if result.email is None:
        audit.record("visitor", "sign_in_code_failed", None, commit=True, tries_left=result.tries_left)
        message = (f"That code is not right. {result.tries_left} "
                   f"{'try' if result.tries_left == 1 else 'tries'} left."
                   if result.tries_left else
                   "This code no longer works. Ask for a new sign-in mail below.")
        form.code.errors.append(message)
        return render("auth/code.html", form=form, waiting=bool(result.tries_left), status=422)
    return _signed_in_by(result.email, "code")


@bp.get("/sign-in/<token>")
def confirm(token: str):
    """The mailed link: a page with one button, so that link scanners consume nothing."""
    if tokens.find_live_link(token) is None:
        return render("auth/link_dead.html", status=410)
    return render("auth/confirm.html", form=ConfirmForm(), token=token)


@bp.post("/sign-in/<token>")
def confirm_post(token: str):
    """Consumes the link and signs in."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render("auth/confirm.html", form=form, token=token, status=422)
    email = tokens.consume_link(token)
    if email is None:
        return render("auth/link_dead.html", status=410)
    return _signed_in_by(email, "link")


def _signed_in_by(email: str, method: str):
    next_url = safe_next(session.get("sign_in_next"), url_for("pages.dashboard"))
    user = find_user(email)
    if user is None:
        session.clear()
        session["verified_email"] = email
        return done(url_for("auth.welcome"))
    if user.deleted_at is not None:
        session.clear()
        session["restore_user_id"] = user.id
        return done(url_for("auth.restore_offer"))
    start_session(user, method)
    return done(next_url, f"Welcome back, {user.name}.")


@bp.route("/welcome", methods=["GET", "POST"])
def welcome():
    """First sign-in of a new address: the short form that creates the account."""
    email = session.get("verified_email")
    if not email:
        return redirect(url_for("auth.sign_in"))
    form = WelcomeForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render("auth/welcome.html", form=form, email=email,
                      status=200 if request.method == "GET" else 422)
    if find_user(email) is not None:  # created meanwhile in another tab
        return redirect(url_for("auth.sign_in"))
    now = utcnow()
    user = User(email=email, name=form.name.data.strip(), time_zone=form.time_zone.data,
                age_confirmed_at=now, terms_accepted_at=now,
                terms_version=current_app.config["POLICY_VERSION"])
    db.session.add(user)
    db.session.flush()
    audit.record(f"user:{user.id}", "account_created", f"user:{user.id}", user_id=user.id)
    start_session(user, "welcome")
    return done(url_for("pages.dashboard"), f"Welcome to CE Tracker, {user.name}.")


@bp.get("/welcome/restore")
def restore_offer():
    """A deleted account signed in within its grace window: offer to bring it back."""
    if "restore_user_id" not in session:
        return redirect(url_for("auth.sign_in"))
    user = db.session.get(User, session["restore_user_id"])
    if user is None or user.deleted_at is None:
        session.pop("restore_user_id", None)
        return redirect(url_for("auth.sign_in"))
    return render("auth/restore.html", user=user, form=ConfirmForm())


@bp.post("/sign-out")
@login_required
def sign_out_post():
    """Ends this session and every other session of the account."""
    form = SignOutForm()
    if not form.validate_on_submit():
        return redirect(url_for("pages.dashboard"))
    sign_out(current_user._get_current_object())
    return done(url_for("pages.home"), "You are signed out.")


@bp.post("/welcome/restore")
def restore():
    """Brings a deleted account back, with everything in it, and signs in."""
    user = db.session.get(User, session.get("restore_user_id", 0))
    form = ConfirmForm()
    if user is None or user.deleted_at is None or not form.validate_on_submit():
        return redirect(url_for("auth.sign_in"))
    restore_account(user)
    start_session(user, "restore")
    return done(url_for("pages.dashboard"), "Your account is restored, with everything in it.")
