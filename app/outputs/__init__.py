"""Renewal outputs: what a licensee hands to a board or an employer (transcript, audit packet,
share link) and what keeps the deadline in view (reminder mails, the calendar feed)."""
