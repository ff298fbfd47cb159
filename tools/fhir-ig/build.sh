#!/usr/bin/env bash
# Rebuilds the NRCeS FHIR IG profile package (ndhm.in 6.5.0) that tests/Telemed.Server.Tests validates the FHIR documents
# against: the IG's StructureDefinitions, ValueSets and CodeSystems, and its example document bundles.
#
# Source: the package NRCeS publishes for the IG (npm-style package.tgz of "ndhm.in" 6.5.0, canonical
# https://nrces.in/ndhm/fhir/r4), as carried, unpacked, in the public GitHub repository
# theperiperi/patient-ly-pragyan-hackathon-2026 at commit f51c3029e377bbc0a4df0612f298fc3180da9d5d,
# folder abdm-local-dev-kit/fhir-profiles/npm/package. Every file is checked against ndhm.in-6.5.0.sha256 beside this
# script, so any copy of the package (that snapshot, or the package.tgz itself) gives the same folder.
#
# Usage:
#   tools/fhir-ig/build.sh SOURCE [OUT]
#     SOURCE  a git directory of a snapshot of that repository, or the IG's package.tgz
#     OUT     where to write (default: .data/fhir-ig/ndhm.in-6.5.0 in the repository; the tests also look in
#             ../shared/fhir-ig/ndhm.in-6.5.0 beside the repository, and in $TELEMED_FHIR_IG)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
manifest="$here/ndhm.in-6.5.0.sha256"
commit=f51c3029e377bbc0a4df0612f298fc3180da9d5d
folder=abdm-local-dev-kit/fhir-profiles/npm/package

source="${1:?usage: build.sh SOURCE [OUT] (a git directory of the snapshot, or the IG package.tgz)}"
out="${2:-$root/.data/fhir-ig/ndhm.in-6.5.0}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Unpack the package as it is published: package/ holds the conformance resources, package/example/ the examples.
if [[ -d "$source" ]] && git --git-dir="$source" rev-parse --verify -q "$commit^{commit}" >/dev/null; then
  mkdir "$work/package"
  git --git-dir="$source" archive "$commit:$folder" | tar -x -C "$work/package"
elif [[ -f "$source" ]]; then
  tar -xzf "$source" -C "$work" package
else
  echo "build.sh: $source is neither a git directory holding commit $commit nor a package.tgz" >&2
  exit 1
fi

# Keep only what the manifest names (the JSON the validator needs), each file exactly as listed.
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
while read -r sum path; do
  [[ -f "$work/$path" ]] || { echo "build.sh: the source lacks $path" >&2; exit 1; }
  mkdir -p "$out.tmp/$(dirname "$path")"
  cp "$work/$path" "$out.tmp/$path"
done <"$manifest"
(cd "$out.tmp" && sha256sum --check --quiet --strict "$manifest")
rm -rf "$out"
mv "$out.tmp" "$out"
echo "NRCeS IG ndhm.in 6.5.0: $(wc -l <"$manifest") files in $out"
