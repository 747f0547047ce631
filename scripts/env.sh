# Source this (`source scripts/env.sh`) to put Glint's Node (>= 22) and bin/ first on PATH.
_glint_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -x "$_glint_root/.node/bin/node" ]; then
  export PATH="$_glint_root/.node/bin:$PATH"
fi
export PATH="$_glint_root/bin:$PATH"
unset _glint_root
