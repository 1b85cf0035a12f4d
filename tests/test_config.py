"""Starting the app: the secret key rule, and the embedded Redis the run script starts and stops."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from app.config import Config

ROOT = Path(__file__).resolve().parents[1]


def test_refuses_to_start_without_a_secret_key_outside_development(fresh_app):
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        fresh_app(SECRET_KEY=None, DEVELOPMENT=False, TESTING=False, ENV="production")


def test_development_makes_a_private_key_once_and_keeps_it(fresh_app, tmp_path):
    first = fresh_app(SECRET_KEY=None, DEVELOPMENT=True, TESTING=False, INSTANCE_DIR=tmp_path)
    key_file = tmp_path / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert first.config["SECRET_KEY"] == key_file.read_text().strip() and len(first.config["SECRET_KEY"]) > 40
    second = fresh_app(SECRET_KEY=None, DEVELOPMENT=True, TESTING=False, INSTANCE_DIR=tmp_path)
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_app_env_decides_development(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    assert Config().DEVELOPMENT is False
    monkeypatch.delenv("APP_ENV")
    assert Config().DEVELOPMENT is True


def run_script(action: str, folder: Path) -> str:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "embedded_redis.py"), action, str(folder)],
                            capture_output=True, text=True, timeout=30, check=True)
    return result.stdout.strip()


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_embedded_redis_starts_a_real_server_and_stops_it_by_pid():
    with tempfile.TemporaryDirectory(prefix="ce-redis-", dir="/tmp") as folder_name:  # short socket path
        folder = Path(folder_name)
        url = run_script("start", folder)
        pid = int((folder / "redis.pid").read_text())
        try:
            assert url == f"unix://{folder / 'redis.sock'}"
            connection = Redis.from_url(url, socket_timeout=5)
            assert connection.ping() is True
            connection.set("probe", "1")
            assert run_script("start", folder) == url  # already running: the same server
            assert int((folder / "redis.pid").read_text()) == pid
            run_script("stop", folder)
            assert not alive(pid) and not (folder / "redis.pid").exists()
            with pytest.raises(RedisConnectionError):
                Redis.from_url(url, socket_timeout=2).ping()
        finally:
            if alive(pid):
                os.kill(pid, 15)


def test_every_setting_is_documented_in_the_readme_and_env_example():
    names = set(re.findall(r'_(?:env|int|bool)\("([A-Z_]+)"', (ROOT / "app" / "config.py").read_text()))
    readme, example = (ROOT / "README.md").read_text(), (ROOT / ".env.example").read_text()
    assert names and {n for n in names if f"`{n}`" not in readme} == set()
    assert {n for n in names if not re.search(rf"^#? ?{n}=", example, re.M)} == set()


def test_env_example_copied_to_env_is_read_alike_by_run_and_by_the_app(tmp_path):
    """./run sources .env with bash (set -e); the app reads it with python-dotenv: same values."""
    from dotenv import dotenv_values
    script = f'set -euo pipefail; set -a; . "{ROOT / ".env.example"}"; set +a; env -0'
    shell = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert shell.returncode == 0, shell.stderr
    sourced = dict(item.split("=", 1) for item in shell.stdout.split("\0") if "=" in item)
    for name, value in dotenv_values(ROOT / ".env.example").items():
        assert sourced.get(name) == (value or ""), name
