#!/usr/bin/env bash
# The synth and construct tests against the lowest aws-cdk-lib and constructs the peer
# dependencies admit (package.json), in a temporary copy: the locked tree stays as it is.
#   scripts/test-floor.sh   (after `npm ci`; CI runs it beside `npm test`, which uses the locked versions)
# Only the two peers differ from the locked install, so a failure here is the floor's.
set -euo pipefail
cd "$(dirname "$0")/.."

# The floor is the lowest version of each peer range (`^2.271.0` -> 2.271.0): one source of truth.
floor() { node -p "require('./package.json').peerDependencies['$1'].replace(/^[\\^~>=\\s]+/, '')"; }
cdk_floor="$(floor aws-cdk-lib)"
constructs_floor="$(floor constructs)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The sources as checked out, and a real copy of node_modules (cp -r follows no link inside it;
# the trailing /. copies the contents even where node_modules itself is a symlink).
tar --exclude=./node_modules --exclude=./.git --exclude=./dist --exclude=./cdk.out \
  --exclude=./.stryker-tmp --exclude=./reports --exclude=./coverage -cf - . | tar -xf - -C "$work"
mkdir "$work/node_modules"
cp -r node_modules/. "$work/node_modules/"

# Swap in the two peers from the registry with npm's own client. Not `npm install`: it would
# re-resolve the whole tree, and cdk-nag's dev-only peer range (constructs ^10.5.1) would refuse it.
for spec in "aws-cdk-lib@$cdk_floor" "constructs@$constructs_floor"; do
  name="${spec%@*}"
  tarball="$(cd "$work" && npm pack --silent "$spec" | tail -n 1)"
  rm -rf "$work/node_modules/$name"
  mkdir "$work/node_modules/$name"
  tar -xzf "$work/$tarball" -C "$work/node_modules/$name" --strip-components=1
  rm "$work/$tarball"
done

cd "$work"
echo "floor: aws-cdk-lib $(node -p "require('aws-cdk-lib/package.json').version")," \
  "constructs $(node -p "require('constructs/package.json').version")" >&2
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
node scripts/bundle-handlers.mjs
# The library and its tests type-check against the floor's declarations.
npx tsc --noEmit
# The stack's snapshot is skipped: it records aws-cdk-lib's own output, which moves between
# releases (newer region facts, a dashboard text widget's default background); every other
# test asserts the library's own properties and runs as it does on the locked version.
# test/app/app.test.ts runs `cdk synth` as a user does, with aws-cdk-lib's own template
# validation on: at 2.269.0 and 2.270.0 it warned on the endpoint's EndpointName attribute.
npx jest --ci test/stack.test.ts test/constructs test/app/app.test.ts --testNamePattern '^(?!.*matches its snapshot)'
