#!/usr/bin/env bash
# Builds the Python wheel offline: jsii-pacmak writes the Python package, then
# `python -m build --no-isolation` builds it with the setuptools already installed.
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

[ -f .jsii ] || npm run build
rm -rf dist/python
npx jsii-pacmak --targets python --code-only --outdir dist
# The generated build-system pins newer setuptools; offline, build with the installed one.
(cd dist/python && "$python" -m build --no-isolation --skip-dependency-check --wheel --outdir .)
ls dist/python/*.whl
