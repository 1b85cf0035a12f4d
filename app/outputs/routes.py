"""Renewal outputs pages: transcript (HTML, PDF, CSV), audit packet, share links, calendar feed.

Owner pages answer 404 for another user's license, cycle, packet or link. The public pages
(/share/<token>, /calendar/feed/<token>.ics) name their URL part `token`, so the access log
prints the route pattern instead of the secret (app.security.path_without_secrets).
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response, request, send_file, url_for
from flask_login import current_user, login_required

from app import audit, tasks
from app.db import utcnow
from app.errors import error_response
from app.extensions import limiter
from app.outputs import access, calendar, packet, sharing, transcript
from app.outputs.forms import ButtonForm, ShareForm
from app.rendering import done, render

bp = Blueprint("outputs", __name__)


def _owned_cycle(license_id: int):
    found = access.owned_cycle(current_user.id, license_id, request.args.get("cycle", type=int))
    if found is None:
        abort(404)
    return found


def _download(body: bytes, mimetype: str, name: str):
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/outputs")
@login_required
def index():
    """Every license and cycle with its transcript, packet and share links, and the calendar feed."""
    return render("outputs/index.html", licenses=access.licenses_with_cycles(current_user.id),
                  feed=calendar.active_feed(current_user.id))


# Transcript -------------------------------------------------------------------------------------

@bp.get("/licenses/<int:license_id>/transcript")
@login_required
def transcript_page(license_id: int):
    """The transcript of the current cycle (or ?cycle=<id>), with downloads, packet and sharing."""
    license, cycle = _owned_cycle(license_id)
    return render("outputs/transcript.html", t=transcript.build(license, cycle), layout="base.html", actions=True)


@bp.get("/licenses/<int:license_id>/transcript.pdf")
@login_required
def transcript_pdf(license_id: int):
    """The same transcript as a PDF, from the same template."""
    license, cycle = _owned_cycle(license_id)
    t = transcript.build(license, cycle)
    return _download(transcript.pdf(t), "application/pdf", transcript.file_stem(t) + ".pdf")


@bp.get("/licenses/<int:license_id>/transcript.csv")
@login_required
def transcript_csv(license_id: int):
    """The transcript as a spreadsheet: one line per activity, then the totals."""
    license, cycle = _owned_cycle(license_id)
    t = transcript.build(license, cycle)
    return _download(transcript.csv_text(t).encode("utf-8-sig"), "text/csv; charset=utf-8",
                     transcript.file_stem(t) + ".csv")


# Audit packet -----------------------------------------------------------------------------------

def _packet_page(license, cycle, status: int = 200):
    packets = packet.recent(current_user.id, cycle.id)
    waiting = next((p for p in packets if p.state == "queued"), None)
    record = tasks.owned_record(waiting.job_record_id, current_user.id) if waiting and waiting.job_record_id else None
    return render("outputs/packet.html", fragments=("packets",), status=status, license=license, cycle=cycle,
                  packets=packets, record=record, form=ButtonForm(), now=utcnow())


@bp.get("/licenses/<int:license_id>/packet")
@login_required
def packet_page(license_id: int):
    """Start an audit packet; follow its progress; download the PDF and the ZIP."""
    license, cycle = _owned_cycle(license_id)
    return _packet_page(license, cycle)


@bp.post("/licenses/<int:license_id>/packet")
@login_required
def start_packet(license_id: int):
    """Queues the packet build (a second click joins the one on its way)."""
    license, cycle = _owned_cycle(license_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    packet.start(license, cycle)
    return done(url_for("outputs.packet_page", license_id=license.id, cycle=cycle.id),
                "Your audit packet is being prepared.")


@bp.get("/packets/<packet_id>/packet.<any(pdf, zip):kind>")
@login_required
def packet_download(packet_id: str, kind: str):
    """The packet's PDF or ZIP, for its owner only, until it expires (then 410)."""
    item = packet.owned(current_user.id, packet_id)
    if item is None:
        abort(404)
    try:
        path = packet.file_for_download(item, kind)
    except packet.PacketGone:
        return error_response(410, "This audit packet is no longer available",
                              "Packets are kept for 24 hours. Prepare a new one on the packet page.")
    audit.record(f"user:{current_user.id}", "audit_packet_downloaded", f"packet:{item.id}",
                 user_id=current_user.id, kind=kind, commit=True)
    name = f"audit-packet-{item.created_at:%Y-%m-%d}.{kind}"
    response = send_file(path, mimetype="application/pdf" if kind == "pdf" else "application/zip",
                         as_attachment=True, download_name=name, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


# Share links ------------------------------------------------------------------------------------

def _shares_page(license, cycle, form=None, new_url: str | None = None, status: int = 200):
    return render("outputs/shares.html", fragments=("shares",), status=status, license=license, cycle=cycle,
                  links=sharing.links_of(current_user.id, license.id), form=form or ShareForm(),
                  button=ButtonForm(), new_url=new_url, now=utcnow())


@bp.get("/licenses/<int:license_id>/shares")
@login_required
def shares_page(license_id: int):
    """Make a read-only link to this cycle's transcript; see and revoke the links made so far."""
    license, cycle = _owned_cycle(license_id)
    return _shares_page(license, cycle)


@bp.post("/licenses/<int:license_id>/shares")
@login_required
def create_share(license_id: int):
    """Makes a link and shows its URL this once (only its hash is kept, so it cannot be shown again)."""
    license, cycle = _owned_cycle(license_id)
    form = ShareForm()
    if not form.validate_on_submit():
        return _shares_page(license, cycle, form=form, status=422)
    _link, token = sharing.create(license, cycle, int(form.days.data), form.note.data)
    url = current_app.config["BASE_URL"] + url_for("outputs.shared_transcript", token=token)
    return _shares_page(license, cycle, new_url=url)


@bp.post("/shares/<int:link_id>/revoke")
@login_required
def revoke_share(link_id: int):
    """Stops a link at once; anyone who opens it afterwards is refused."""
    link = sharing.owned_link(current_user.id, link_id)
    if link is None:
        abort(404)
    sharing.revoke(link)
    return done(url_for("outputs.shares_page", license_id=link.license_id, cycle=link.cycle_id),
                "The link is revoked. It no longer opens the transcript.")


class _LinkDead(Exception):
    pass


def _shared(token: str):
    link = sharing.find_live(token)
    found = link and access.owned_cycle(link.user_id, link.license_id, link.cycle_id)
    if not found:
        raise _LinkDead
    return link, transcript.build(*found)


@bp.errorhandler(_LinkDead)
def _link_dead(_error):
    return _public(error_response(410, "This shared link no longer works",
                                  "It was revoked or it expired. Ask the licensee for a new link."))


def _public(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get("/share/<token>")
def shared_transcript(token: str):
    """The read-only transcript a licensee shared; revoked or expired links answer 410."""
    link, t = _shared(token)
    sharing.record_view(link, "page")
    return _public(render("outputs/transcript.html", t=t, layout="base.html", shared=True, token=token,
                          share_expires=link.expires_at.strftime("%b %-d, %Y")))


@bp.get("/share/<token>/transcript.pdf")
@limiter.limit(lambda: current_app.config["SHARED_PDF_LIMIT_PER_IP"])
def shared_transcript_pdf(token: str):
    """The shared transcript as a PDF."""
    link, t = _shared(token)
    sharing.record_view(link, "pdf")
    return _public(_download(transcript.pdf(t), "application/pdf", transcript.file_stem(t) + ".pdf"))


# Calendar ---------------------------------------------------------------------------------------

def _calendar_page(new_url: str | None = None):
    return render("outputs/calendar.html", fragments=("calendar_feed",), feed=calendar.active_feed(current_user.id),
                  form=ButtonForm(), new_url=new_url)


@bp.get("/calendar")
@login_required
def calendar_page():
    """The private feed URL for a calendar app, and a one-time .ics download."""
    return _calendar_page()


@bp.post("/calendar/feed")
@login_required
def create_feed():
    """Makes a new feed URL (the old one stops working) and shows it this once."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    token = calendar.new_feed(current_user._get_current_object())
    return _calendar_page(new_url=current_app.config["BASE_URL"] + url_for("outputs.calendar_feed", token=token))


@bp.post("/calendar/feed/revoke")
@login_required
def revoke_feed():
    """Stops the feed URL: calendar apps subscribed to it get nothing more."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    calendar.revoke(current_user._get_current_object())
    return done(url_for("outputs.calendar_page"), "The calendar feed is turned off.")


@bp.get("/calendar/feed/<token>.ics")
def calendar_feed(token: str):
    """The subscription feed a calendar app fetches; 404 once revoked."""
    user = calendar.user_for_token(token)
    if user is None:
        abort(404)
    response = make_response(calendar.ics(user, current_app.config["BASE_URL"]))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/calendar/deadlines.ics")
@login_required
def calendar_download():
    """Today's deadlines as a file to import once (it does not update itself)."""
    body = calendar.ics(current_user._get_current_object(), current_app.config["BASE_URL"])
    return _download(body, "text/calendar; charset=utf-8", "ce-renewal-deadlines.ics")
