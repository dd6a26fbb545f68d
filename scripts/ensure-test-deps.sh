#!/usr/bin/env bash
# Make sure the machine can run the whole test suite, browser tests included.
#
# The browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright;
# PDF output needs Pango and Japanese fonts. Missing Debian packages are installed when
# we are root with apt-get; otherwise this stops with a message saying what to install.
# Browser tests are never skipped silently.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
# Debian bookworm names. Pango + HarfBuzz subset: WeasyPrint; Noto CJK: Japanese text.
PACKAGES=(chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$package")
  done
elif [[ ! -x $CHROMIUM ]]; then
  missing=(chromium)
fi

if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-test-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif [[ -x $CHROMIUM ]]; then
    echo "ensure-test-deps: warning: missing ${missing[*]}; PDF tests may fail." \
         "Install them with: sudo apt-get install ${missing[*]}" >&2
  fi
fi

if [[ ! -x $CHROMIUM ]]; then
  echo "ensure-test-deps: $CHROMIUM is missing, so the browser tests cannot run." >&2
  echo "  Install Debian's Chromium as root: apt-get update && apt-get install chromium" >&2
  exit 1
fi
