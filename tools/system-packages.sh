#!/bin/sh
# Install the Debian packages the tests use when they are missing and this machine allows it (root, or
# sudo without a password, and apt). Never fails: what cannot be installed is named, and the tests that
# need it are skipped. Quick when everything is there (no apt-get update then).
#   libreoffice-writer, python3-uno  the libreoffice engine (UNO updates tables of contents)
#   fonts-crosextra-*, fonts-liberation2  the metric fonts LibreOffice lays Calibri, Cambria, Arial… out in
#   poppler-utils                    pdftotext, pdfsig: independent readers of our PDFs
#   qpdf                             qpdf's own command, to inspect a PDF by hand (the tests use pikepdf)
#   chromium                         the browser the web-form tests drive through playwright
#   libcairo2                        cairo, which draws a plan's SVG picture (cairosvg); LibreOffice brings it too
set -u

has() { command -v "$1" >/dev/null 2>&1; }
installed() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed; }
families=$(fc-list : family 2>/dev/null | tr 'A-Z' 'a-z')
has_font() { echo "$families" | tr ',' '\n' | grep -qx "$1"; }
poppler() { has pdftotext && has pdfsig && has pdftoppm; }
uno() { /usr/bin/python3 -c 'import uno' >/dev/null 2>&1; }
cairo() { ldconfig -p 2>/dev/null | grep -q "libcairo.so.2"; }

missing=""
# check PACKAGE PROBE...: the package is needed unless the probe finds what it gives, or dpkg knows it.
check() { package=$1; shift; "$@" || installed "$package" || missing="$missing $package"; }
check libreoffice-writer has soffice
check python3-uno uno
check poppler-utils poppler
check qpdf has qpdf
check fonts-crosextra-carlito has_font carlito
check fonts-crosextra-caladea has_font caladea
check fonts-liberation2 has_font "liberation serif"
check chromium has chromium
check libcairo2 cairo

[ -z "$missing" ] && exit 0

say() { echo "system-packages: $*" >&2; }
if [ "$(id -u)" = 0 ]; then
  as_root=""
elif has sudo && sudo -n true >/dev/null 2>&1; then
  as_root="sudo -n"
else
  say "saknas:$missing (kan inte installeras: inte root och ingen sudo utan lösenord); testerna som behöver dem hoppas över"
  exit 0
fi
if ! has apt-get; then
  say "saknas:$missing (kan inte installeras: apt-get finns inte); testerna som behöver dem hoppas över"
  exit 0
fi

say "installerar$missing"
export DEBIAN_FRONTEND=noninteractive
apt_options="-qq -o Acquire::Retries=1 -o Acquire::http::Timeout=30"
# shellcheck disable=SC2086  # the option and package lists are meant to be split into words
if $as_root apt-get update $apt_options >/dev/null \
   && $as_root apt-get install -y $apt_options --no-install-recommends $missing >/dev/null; then
  exit 0
fi
# One unknown or unreachable package must not stop the others: try them one at a time.
failed=""
for package in $missing; do
  # shellcheck disable=SC2086
  $as_root apt-get install -y $apt_options --no-install-recommends "$package" >/dev/null 2>&1 \
    || failed="$failed $package"
done
[ -n "$failed" ] && say "kunde inte installera:$failed (inget nät eller inget sådant paket?); testerna som behöver dem hoppas över"
exit 0
