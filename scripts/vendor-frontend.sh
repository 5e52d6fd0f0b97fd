#!/usr/bin/env bash
# Re-vendor ILOnet's third-party front-end assets from the npm registry.
#
# Not part of the build: the files it writes are committed under
# src/ilonet/static/vendor/ and served by Django (no CDN, CSP default-src 'self').
# Run it only to upgrade a package: change a version below, run the script,
# update src/ilonet/static/vendor/README.md and the {% static %} paths in
# src/ilonet/templates/base.html (paths carry the version), then check the pages.
#
#   scripts/vendor-frontend.sh
#
# Needs: npm and tar. Uses `npm pack` (download of the published tarball only):
# `npm install @ecl/preset-ec` does not work because some of ECL's component
# packages are only published as pre-releases.
set -euo pipefail

ECL_VERSION="5.3.1"             # @ecl/preset-ec        EUPL-1.2
ECL_ICONS_VERSION="4.11.0"      # @ecl/resources-icons  EUPL-1.2 (ECL 5 loads icons from a
                                #   remote service; this is the last self-hostable icon set)
INTER_VERSION="5.3.0"           # @fontsource-variable/inter  OFL-1.1
HTMX_VERSION="2.0.11"           # htmx.org              0BSD

# Inter subsets we serve (EU scripts: Latin, Greek, Cyrillic); each normal + italic.
INTER_SUBSETS=(latin latin-ext greek cyrillic)
# EC logo languages we serve (one per LANGUAGES entry in the settings).
LOGO_LANGUAGES=(en nl)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/src/ilonet/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

pack() {  # pack NAME@VERSION DIR: download and unpack a published npm tarball
    local spec="$1" dir="$WORK/$2"
    mkdir -p "$dir"
    (cd "$WORK" && npm pack --silent "$spec" >"$dir.name")
    tar -xzf "$WORK/$(tail -n1 "$dir.name")" -C "$dir"
    echo "packed $spec"
}

pack "@ecl/preset-ec@$ECL_VERSION" ecl
pack "@ecl/resources-icons@$ECL_ICONS_VERSION" ecl-icons
pack "@fontsource-variable/inter@$INTER_VERSION" inter
pack "htmx.org@$HTMX_VERSION" htmx

# --- ECL (EC preset): CSS, JS, the fonts its CSS refers to, logos ----------------------
src="$WORK/ecl/package/dist"
dst="$VENDOR/ecl/$ECL_VERSION"
rm -rf "$VENDOR/ecl"
mkdir -p "$dst/styles/optional" "$dst/scripts" "$dst/fonts" \
    "$dst/images/logo/positive" "$dst/images/logo/negative"
cp "$WORK/ecl/package/LICENSE" "$dst/LICENSE"
cp "$src/styles/ecl-ec.css" "$src/styles/ecl-ec-print.css" "$dst/styles/"
cp "$src/styles/optional/ecl-reset.css" \
    "$src/styles/optional/ecl-ec-default.css" \
    "$src/styles/optional/ecl-ec-default-print.css" \
    "$src/styles/optional/ecl-ec-utilities.css" "$dst/styles/optional/"
cp "$src/scripts/ecl-ec.js" "$dst/scripts/"
# ecl-ec.css loads Inter from a Commission web host first and from ../fonts/ second.
# Our one change to ECL (EUPL-1.2, like ILOnet itself; noted in vendor/README.md): drop the
# remote URL, so pages load nothing from outside (offline use, no third-party requests,
# `font-src 'self'`). The local fonts the CSS then uses are copied beside it.
for css in "$dst/styles/ecl-ec.css" "$dst/styles/ecl-ec-print.css"; do
    sed -i 's#url(https://webtools.europa.eu/fonts/inter/\(InterVariable[-A-Za-z]*\.woff2\)) format("woff2"),##g' "$css"
    if grep -q "webtools.europa.eu" "$css"; then echo "remote font URL left in $css" >&2; exit 1; fi
done
cp "$src/fonts/InterVariable.woff2" "$src/fonts/InterVariable-Italic.woff2" "$dst/fonts/"
cp "$src/images/logo/logo-ec--mute.svg" "$src/images/logo/logo-ec--mute-negative.svg" \
    "$dst/images/logo/"
for lang in "${LOGO_LANGUAGES[@]}"; do
    cp "$src/images/logo/positive/logo-ec--$lang.svg" "$dst/images/logo/positive/"
    cp "$src/images/logo/negative/logo-ec--$lang.svg" "$dst/images/logo/negative/"
done

# --- ECL icons: the SVG sprite (used with <svg><use>) and the single SVG files ---------
src="$WORK/ecl-icons/package/dist"
dst="$VENDOR/ecl-icons/$ECL_ICONS_VERSION"
rm -rf "$VENDOR/ecl-icons"
mkdir -p "$dst/svg"
cp "$WORK/ecl-icons/package/LICENSE" "$dst/LICENSE"
cp "$src/sprites/icons.svg" "$dst/icons.svg"
cp "$src/svg/all/"*.svg "$dst/svg/"

# --- Inter (variable weight axis), the subsets we serve, and its licence ---------------
src="$WORK/inter/package"
dst="$VENDOR/inter/$INTER_VERSION"
rm -rf "$VENDOR/inter"
mkdir -p "$dst"
cp "$src/LICENSE" "$dst/LICENSE"
for subset in "${INTER_SUBSETS[@]}"; do
    for style in normal italic; do
        cp "$src/files/inter-$subset-wght-$style.woff2" "$dst/"
    done
done

# --- htmx ----------------------------------------------------------------------------
src="$WORK/htmx/package"
dst="$VENDOR/htmx/$HTMX_VERSION"
rm -rf "$VENDOR/htmx"
mkdir -p "$dst"
cp "$src/LICENSE" "$dst/LICENSE"
cp "$src/dist/htmx.min.js" "$dst/htmx.min.js"

echo "Vendored into $VENDOR:"
(cd "$VENDOR" && find . -type f ! -name README.md | sort | sed 's/^/  /')
