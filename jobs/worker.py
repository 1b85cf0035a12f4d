"""The RQ worker class of CE Tracker: builds the app once, before it forks a work horse per job.

RQ's default worker forks a fresh process for every job; that process would import the app's
packages (the Anthropic SDK among them) and build the app again, seconds before each job even
starts, so a sign-in mail would wait for it. Built in the parent, the app is inherited by every
fork. Database connections are never shared across a fork: each child drops the pool it inherited
(without closing the parent's sockets) and opens its own.
"""
from __future__ import annotations

import os

from rq.worker import Worker

import jobs


def _forget_inherited_connections() -> None:
    app = jobs._app
    if app is not None:
        app.extensions["db_engine"].dispose(close=False)


class AppWorker(Worker):
    """`rq worker --worker-class jobs.worker.AppWorker`: the app is ready before the first job."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        jobs.preload()
        os.register_at_fork(after_in_child=_forget_inherited_connections)
