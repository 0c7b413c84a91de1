#!/usr/bin/env bash
# Lays out Debian's WordNet 3.0 (wordnet-base, wordnet-sense-index) as the NLTK_DATA
# corpus nltk's WordNetCorpusReader opens: the files copied (nltk refuses symlinks that
# leave its data root) plus the standard `lexnames` list, which Debian does not ship.
# Scoring's repair rule reads it (shared/wordnet.py); nothing is downloaded.
set -euo pipefail
src=/usr/share/wordnet
dest=${1:-/usr/share/nltk_data}/corpora/wordnet
[ -f "$src/data.noun" ] || { echo "WordNet is missing: apt-get install wordnet-base wordnet-sense-index" >&2; exit 1; }
mkdir -p "$dest"
for f in "$src"/*; do
  [ -f "$f" ] && cp -p "$f" "$dest/"
done
names=(adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body
  noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location noun.motive
  noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process noun.quantity
  noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change verb.cognition
  verb.communication verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion
  verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl)
: > "$dest/lexnames"
for i in "${!names[@]}"; do
  name=${names[$i]}
  case ${name%%.*} in noun) pos=1 ;; verb) pos=2 ;; adj) pos=3 ;; adv) pos=4 ;; esac
  printf '%02d\t%s\t%s\n' "$i" "$name" "$pos" >> "$dest/lexnames"
done
