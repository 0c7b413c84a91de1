#!/usr/bin/env bash
# Refresh the vendored browser libraries from the npm registry at pinned versions.
# Each package's tarball is checked against the registry's integrity hash, the
# files the pages use are copied (with the licence) under web/static/vendor/, and
# web/static/vendor/manifest.json records the integrity and every file's sha256
# (tests/web/test_vendor.py checks both).
set -euo pipefail
cd "$(dirname "$0")/.."
VENDOR=web/static/vendor
# name@version  folder  files inside the package
LIBS=(
  "uplot@1.6.32 uplot dist/uPlot.iife.min.js dist/uPlot.min.css LICENSE"
  "axe-core@4.14.1 axe-core axe.min.js LICENSE"
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
entries=()
for lib in "${LIBS[@]}"; do
  read -r spec folder files <<<"$lib"
  tarball=$(cd "$work" && npm pack --silent "$spec")
  integrity=$(npm view "$spec" dist.integrity)
  actual="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
  [ "$actual" = "$integrity" ] || { echo "integrity mismatch for $spec" >&2; exit 1; }
  rm -rf "$VENDOR/$folder" && mkdir -p "$VENDOR/$folder" "$work/$folder"
  tar xzf "$work/$tarball" -C "$work/$folder"
  for f in $files; do cp "$work/$folder/package/$f" "$VENDOR/$folder/$(basename "$f")"; done
  entries+=("$spec|$folder|$integrity|$files")
done
python3 - "$VENDOR" "${entries[@]}" <<'PY'
import hashlib, json, pathlib, sys
vendor = pathlib.Path(sys.argv[1])
packages = []
for entry in sys.argv[2:]:
    spec, folder, integrity, files = entry.split("|")
    name, version = spec.rsplit("@", 1)
    packages.append({
        "name": name, "version": version, "folder": folder, "integrity": integrity,
        "files": {
            f: hashlib.sha256((vendor / folder / pathlib.Path(f).name).read_bytes()).hexdigest()
            for f in files.split()
        },
    })
(vendor / "manifest.json").write_text(json.dumps({"packages": packages}, indent=2) + "\n")
PY
echo "vendored: ${LIBS[*]}"
