"""/support/accounts: find an account by its exact address; see its state; shorten its grace window."""
from __future__ import annotations

from flask import abort, redirect, request, url_for

from app.rendering import done, render, vary
from app.support import accounts
from app.support.forms import FindAccountForm, ShortenForm
from app.support.routes import actor, audited, bp
from app.templating import local_time


@bp.get("/accounts")
def find_account():
    """The search form; an address that has an account leads to that account's page."""
    form = FindAccountForm(request.args)
    searched = "email" in request.args
    if searched and form.validate():
        user = accounts.find_by_email(form.email.data)
        audited("support_searched_accounts", f"user:{user.id}" if user else None, found=user is not None)
        if user is not None:
            return vary(redirect(url_for("support.account", user_id=user.id), code=303))
        form.email.errors.append("No account has this address.")
    else:
        audited("support_viewed_account_search", None, searched=searched)
    return render("support/accounts.html", fragments=("find_form",), form=form,
                  status=422 if searched else 200)


def _account_page(user, form: ShortenForm | None = None, status: int = 200):
    return render("support/account.html", fragments=("shorten_form",), status=status,
                  account=accounts.summary(user), form=form or ShortenForm(), default_days=accounts.default_window())


@bp.get("/accounts/<int:user_id>")
def account(user_id: int):
    """Status, created, last sign-in, deletion and purge dates: nothing the user keeps in the account."""
    user = accounts.get(user_id)
    audited("support_viewed_account", f"user:{user_id}", found=user is not None)
    if user is None:
        abort(404)
    return _account_page(user)


@bp.post("/accounts/<int:user_id>/shorten")
def shorten(user_id: int):
    """Shortens a deleted account's grace window, on the user's written request, with the reason."""
    user = accounts.get(user_id)
    if user is None:
        audited("support_shortened_window", f"user:{user_id}", found=False)
        abort(404)
    form = ShortenForm()
    if form.validate_on_submit():
        try:
            accounts.shorten(user, form.days.data, form.reason.data, actor())
        except accounts.AccountError as exc:
            form.days.errors.append(str(exc))
        else:
            audited("support_shortened_window", f"user:{user_id}", found=True, days=form.days.data)
            return done(url_for("support.account", user_id=user_id),
                        f"The window is shortened: the account is purged at the first daily run after "
                        f"{local_time(user.purge_after, '%b %-d, %Y %-I:%M %p %Z')}.")
    audited("support_shortened_window", f"user:{user_id}", found=True, refused=True)
    return _account_page(user, form, status=422)
