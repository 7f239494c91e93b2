#!/usr/bin/env bash
# Fills fuzz/corpus/ with starting inputs taken from seeds/: every seed whole and cut
# into pieces of about 2 KB at line ends, and the manifest.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/parse corpus/manifest
for f in ../seeds/*.txt; do
  name=$(basename "$f" .txt)
  cp "$f" "corpus/parse/$name"
  split -C 2048 -d -a 3 "$f" "corpus/parse/$name-"
done
cp ../seeds/manifest.yaml corpus/manifest/manifest.yaml
printf 'documents:\n  - slug: a\n    kind: x\n    versions: [{file: a.txt, lang: en}]\n' \
  > corpus/manifest/minimal.yaml
