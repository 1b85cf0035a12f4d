#!/usr/bin/env bash
# Creates .venv with Python 3.11+ and installs the pinned requirements (dev ones with "dev").
set -euo pipefail
cd "$(dirname "$0")/.."
want=requirements.txt
[ "${1:-}" = "dev" ] && want=requirements-dev.txt
python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      python=$candidate; break
    fi
  done
fi
[ -n "$python" ] || { echo "CE Tracker needs Python 3.11 or newer." >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.installed-$(cat requirements.txt "$want" | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$want"
  touch "$stamp"
fi
# WeasyPrint needs Pango; Debian ships it as a package (installed when we may).
if ! .venv/bin/python -c 'import weasyprint' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null
  else
    echo "warning: WeasyPrint cannot load Pango; install libpango-1.0-0 for PDF reports" >&2
  fi
fi
