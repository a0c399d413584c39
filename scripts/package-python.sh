#!/usr/bin/env bash
# Builds the Python wheel offline from the npm package: jsii-pacmak writes the Python
# package around the tarball, then `python -m build --no-isolation` builds it with the
# setuptools already installed.
#   scripts/package-python.sh [TARBALL]   (default: `npm pack` now)
# Given a tarball, the wheel embeds exactly that package and nothing is built twice.
set -euo pipefail
cd "$(dirname "$0")/.."

# A Python that has the `build` module: the user's, else Debian's.
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import build, wheel, setuptools' 2>/dev/null; then python="$candidate"; break; fi
done
if [ -z "$python" ]; then
  echo "no Python with the build and wheel modules: pip install build wheel" >&2
  exit 1
fi

tarball="${1:-}"
if [ -z "$tarball" ]; then
  mkdir -p dist/npm
  tarball="dist/npm/$(npm pack --silent --pack-destination dist/npm | tail -n 1)"
fi
tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"

# pacmak reads the package from a folder outside the repository (where no second .jsii can
# confuse jsii-docgen) and resolves aws-cdk-lib's assembly through a node_modules link; its
# pack command hands back the tarball instead of packing (and so building) the package again.
source_dir="$(mktemp -d)"
trap 'rm -rf "$source_dir"' EXIT
ln -s "$PWD/node_modules" "$source_dir/node_modules"
tar -xzf "$tarball" -C "$source_dir"
rm -rf dist/python
npx jsii-pacmak "$source_dir/package" --targets python --code-only --outdir dist --pack-command "echo $tarball"
# The generated build-system pins newer setuptools; offline, build with the installed one.
(cd dist/python && "$python" -m build --no-isolation --skip-dependency-check --wheel --outdir .)
ls dist/python/*.whl
