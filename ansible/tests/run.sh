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
cp -r "$repo/fixtures/drive-d" "$work/d"
export SERVER="$work/server" DRIVE_D="$work/d" SESSCTL="$sessctl"
export ANSIBLE_COLLECTIONS_PATH="$repo/ansible" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_HOME="$work/.ansible" ANSIBLE_NOCOLOR=1
passed=0
pass() { passed=$((passed + 1)); echo "ok: $1"; }

# The module's documentation parses as ansible-doc reads it.
"$venv/bin/ansible-doc" -t module sessctl.iis.sessctl_session_state > "$work/doc.txt"
grep -q "sessctl.iis.sessctl_session_state" "$work/doc.txt"
pass "ansible-doc parses the module's documentation"

# The collection builds.
"$venv/bin/ansible-galaxy" collection build "$repo/ansible/ansible_collections/sessctl/iis" \
  --output-path "$work/dist" > /dev/null
ls "$work/dist"/sessctl-iis-*.tar.gz > /dev/null
pass "ansible-galaxy collection build"

# The playbook: check and diff modes, idempotence, rc, secrets kept out of results. -vvv, so
# that its whole log can be searched for the secrets the playbook hands the module.
"$venv/bin/ansible-playbook" -vvv -i localhost, -e "ansible_python_interpreter=$venv/bin/python" \
  "$here/playbook.yml" > "$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
grep -E "^localhost +: ok=[0-9]+ +changed=[0-9]+ +unreachable=0 +failed=0" "$work/run.log"
pass "tests/playbook.yml"
if grep -E "Hq7redispw|Hq8accesskey|Hq9sqlpw" "$work/run.log"; then
  echo "a secret reached the -vvv log"; exit 1
fi
pass "no secret in the -vvv log"

# The README's playbook, as printed, against an inventory of this host as the web servers.
readme_server="$work/readme-server"
cp -r "$repo/fixtures/server" "$readme_server"
awk '/^# site.yml/{on=1} on&&/^```/{exit} on{print}' "$repo/README.md" > "$work/site.yml"
grep -q "hosts: webservers" "$work/site.yml"
printf '[webservers]\nlocalhost ansible_connection=local ansible_python_interpreter=%s\n' \
  "$venv/bin/python" > "$work/webfarm.ini"
(cd "$work" && SESSCTL_ROOT="$readme_server" PATH="$(dirname "$sessctl"):$PATH" \
  "$venv/bin/ansible-playbook" -i webfarm.ini site.yml --check --diff > "$work/readme-check.log" 2>&1) \
  || { cat "$work/readme-check.log"; exit 1; }
grep -qE "changed=1 .*failed=0" "$work/readme-check.log"
if grep -q "StateServer" "$readme_server/Windows/Microsoft.NET/Framework64/v4.0.30319/Config/web.config"; then
  echo "check mode wrote"; exit 1
fi
(cd "$work" && SESSCTL_ROOT="$readme_server" PATH="$(dirname "$sessctl"):$PATH" \
  "$venv/bin/ansible-playbook" -i webfarm.ini site.yml > "$work/readme-run.log" 2>&1) \
  || { cat "$work/readme-run.log"; exit 1; }
grep -q 'mode="StateServer" stateConnectionString="tcpip=state01:42424" timeout="30"' \
  "$readme_server/Windows/Microsoft.NET/Framework64/v4.0.30319/Config/web.config"
pass "the README's playbook, --check --diff then for real"

# ansible-test sanity, offline: its pip bootstrap (a download) is answered by the pip wheel
# that CPython bundles; every other requirement comes from PyPI.
home=$("$venv/bin/python" -c 'import os; print(os.path.expanduser("~"))')
mkdir -p "$home/.ansible/test/cache"
cp "$here/get_pip_offline.py" "$home/.ansible/test/cache/get_pip_24_2.py"
(cd "$repo/ansible/ansible_collections/sessctl/iis" \
  && "$venv/bin/ansible-test" sanity --local --python 3.11 > "$work/sanity.log" 2>&1) \
  || { cat "$work/sanity.log"; exit 1; }
pass "ansible-test sanity ($(grep -c '^Running sanity test' "$work/sanity.log") tests)"

echo "ansible collection: $passed passed, 0 failed"
