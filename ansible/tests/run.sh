#!/usr/bin/env bash
# The collection's test: a virtual environment with a pinned ansible-core from PyPI, then
# tests/playbook.yml with a local connection against a copy of fixtures/server. The playbook
# asserts every outcome (check mode byte-identical, diff, change, idempotence, rc 87 and 33).
# Usage: ansible/tests/run.sh [SESSCTL_BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
sessctl=${1:-$repo/target/debug/sessctl}
venv=${SESSCTL_ANSIBLE_VENV:-$repo/target/ansible-venv}
if [ ! -x "$venv/bin/ansible-playbook" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "ansible-core==2.19.14"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$repo/fixtures/server" "$work/server"
export SERVER="$work/server" SESSCTL="$sessctl"
export ANSIBLE_COLLECTIONS_PATH="$repo/ansible" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_HOME="$work/.ansible" ANSIBLE_NOCOLOR=1
"$venv/bin/ansible-playbook" -i localhost, -e "ansible_python_interpreter=$venv/bin/python" \
  "$here/playbook.yml" > "$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
grep -E "^localhost +: ok=[0-9]+ +changed=[0-9]+ +unreachable=0 +failed=0" "$work/run.log"
echo "ansible collection: 1 passed, 0 failed"
