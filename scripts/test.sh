#!/usr/bin/env bash
# The test command: type-check, then every test, including cfn-lint over the
# synthesized templates and the handlers against moto_server on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

# cfn-lint and moto are Python tools; install them for the user when missing.
if ! command -v cfn-lint >/dev/null 2>&1 || ! command -v moto_server >/dev/null 2>&1; then
  echo "installing cfn-lint and moto[server] with pip" >&2
  python3 -m pip install --quiet --user cfn-lint 'moto[server]'
  export PATH="$HOME/.local/bin:$PATH"
fi

# The publishing test builds the Python wheel with `python -m build`.
if ! python3 -c 'import build, wheel' 2>/dev/null && ! /usr/bin/python3 -c 'import build, wheel' 2>/dev/null; then
  echo "installing build and wheel with pip" >&2
  python3 -m pip install --quiet --user build wheel
fi

# The AWS SDK warns that it will need Node.js 22 from 2027: known, and not a test result.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

# Rebundles whatever changed (by content: a stale bundle is never tested or deployed).
node scripts/bundle-handlers.mjs
# The type check runs beside lint and format (one core each); any failure fails the test.
# Lint and format are part of the test: a violation fails it (`npm run format` fixes most).
npx tsc --noEmit &
typecheck=$!
npx eslint . && npx prettier --check --log-level warn . || { wait "$typecheck" || true; exit 1; }
wait "$typecheck"
npx jest "$@"
