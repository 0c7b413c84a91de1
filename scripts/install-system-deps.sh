#!/usr/bin/env bash
# Debian packages the tests and benchmarks use: speech synthesisers with voices
# built from real speakers (flite, festival), espeak-ng for robustness tests,
# sox and ffmpeg to make the format matrix, Chromium for the browser tests
# (Playwright drives Debian's build; it downloads no browser), WordNet 3.0 (the evaluation's
# common words; scoring's word relations), and prometheus (promtool and the server) for the
# alert rules' tests and the scrape test. Installs only what is missing.
# With "runtime": only what running Recital needs (WordNet: `make demo`, `recital serve`).
set -euo pipefail
packages=(wordnet-base wordnet-sense-index)
if [ "${1:-}" != runtime ]; then
  packages+=(flite festival festvox-us-slt-hts festvox-kallpc16k sox libsox-fmt-all ffmpeg espeak-ng chromium
    prometheus)
fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# WordNet as the NLTK corpus scoring opens (once; idempotent).
[ -f /usr/share/nltk_data/corpora/wordnet/lexnames ] || $SUDO bash "$(dirname "$0")/wordnet-nltk-layout.sh"
