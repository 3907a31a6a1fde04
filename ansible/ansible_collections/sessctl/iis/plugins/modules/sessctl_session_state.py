#!/usr/bin/python
# -*- coding: utf-8 -*-
"""Ansible module: ASP.NET session state on IIS through sessctl."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: sessctl_session_state
short_description: Manage ASP.NET session state of IIS servers, byte-exact, through sessctl
description:
  - Sets or clears attributes and providers of C(system.web/sessionState) or
    C(system.web/sessionPageState) at a config path of an IIS server, or in one configuration
    file, by running C(sessctl ... --json) on the managed host.
  - Every other byte of the file is left alone; a value that already means the same
    (C(cookieless=true) for C(UseUri), C(00:20:00) for C(20)) is not rewritten, so a second run
    reports C(changed=false).
  - ASP.NET's runtime rules are checked before anything is written.
version_added: "0.1.0"
options:
  path:
    description:
      - "The PATH, as a site path (C(Default Web Site/app1)), a config path
        (C(MACHINE/WEBROOT/APPHOST/Default Web Site)) or a URL. Omitted, the server level."
      - With O(file), a C(<location path>) inside that file.
    type: str
  file:
    description: Work on this one configuration file instead of a server.
    type: path
  commit:
    description:
      - "Where the change is written, as appcmd's C(/commit:) takes it: C(url), C(site), C(app),
        C(parent), C(apphost), C(webroot), C(machine) or a config path. Microsoft's session-state
        instructions use C(webroot)."
    type: str
  root:
    description: The server tree that stands for the system drive (sessctl's C(--root)).
    type: path
  drives:
    description:
      - Other drives and network shares of the server tree, each C(X:=DIR) or C(\\server\share=DIR)
        (sessctl's C(--drive)), for sites whose folders are not on the system drive. Not with O(file).
    type: list
    elements: str
    default: []
  section:
    description: Which section.
    type: str
    choices: [sessionState, sessionPageState]
    default: sessionState
  attributes:
    description:
      - Attributes to set (O(state=present)) or clear (O(state=absent)), as name and value.
        Input is loose (any case, C(hh:mm:ss)); the file gets the spelling ASP.NET reads.
    type: dict
    default: {}
  providers:
    description:
      - Providers to add to C(<providers>) when not there yet, each with C(name) and C(type) and
        any other attributes. Added in the same sessctl call that sets O(attributes), so one task
        can add a provider and select it (C(mode=Custom), C(customProvider)), in check mode too.
      - Values of attributes whose name says secret (C(password), C(accessKey), ...) and passwords
        inside connection strings never appear in the task result or its log.
    type: list
    elements: dict
    default: []
  state:
    description:
      - C(present) sets O(attributes) and adds O(providers); C(absent) clears O(attributes), or
        the whole section when none are given.
    type: str
    choices: [present, absent]
    default: present
  show_secrets:
    description:
      - Show passwords in sessctl's diffs instead of C(****). The values given to this module
        are kept out of the task result either way.
    type: bool
    default: false
  sessctl:
    description: The sessctl executable.
    type: str
    default: sessctl
attributes:
  check_mode:
    support: full
    description: Runs sessctl with C(--dry-run); nothing is written, C(changed) says what would change.
  diff_mode:
    support: full
    description: Returns sessctl's unified diff of every file that changes.
author:
  - sessctl developers (@sessctl)
"""

EXAMPLES = r"""
- name: Out-of-process session state for the whole server (Microsoft's /commit:WEBROOT)
  sessctl.iis.sessctl_session_state:
    commit: webroot
    attributes:
      mode: StateServer
      stateConnectionString: tcpip=state01:42424
      stateNetworkTimeout: 10

- name: A Redis store for one application, added and selected in one step
  sessctl.iis.sessctl_session_state:
    path: Default Web Site/shop
    attributes:
      mode: Custom
      customProvider: Redis
    providers:
      - name: Redis
        type: Microsoft.Web.Redis.RedisSessionStateProvider
        connectionString: "cache01:6380,password={{ redis_password }},ssl=True"

- name: In a repository's web.config
  sessctl.iis.sessctl_session_state:
    file: /src/site/web.config
    attributes:
      timeout: "00:30:00"

- name: Remove the timeout set at the site level
  sessctl.iis.sessctl_session_state:
    path: Default Web Site
    attributes:
      timeout: ""
    state: absent
"""

RETURN = r"""
changed:
  description: Whether a file was (or in check mode would be) written.
  type: bool
  returned: always
files:
  description: The files that changed, each with C(path), C(diff) and C(created).
  type: list
  elements: dict
  returned: always
config_path:
  description: The config path the change is for.
  type: str
  returned: success
commit_path:
  description: The config path of the level written to (C(MACHINE/WEBROOT) for C(commit=webroot)).
  type: str
  returned: success
rc:
  description: sessctl's error number when it failed (87 invalid input, 13 runtime rule, 33 locked, 1168 unknown site).
  type: int
  returned: failure
below:
  description:
    - When the change was refused for what it would break at the levels below it (a site whose
      web.config would then be refused by ASP.NET), each such definition with C(file), C(line),
      C(column), C(rule) and C(message).
  type: list
  elements: dict
  returned: failure
stdout:
  description: sessctl's JSON document.
  type: str
  returned: always
"""

import json
import re

from ansible.module_utils.basic import AnsibleModule

# Keys whose values are passwords inside a connection string (ADO.NET's `;` grammar and
# StackExchange.Redis's `,` options), and attribute names that hold a secret whole.
_SECRET_IN_STRING = re.compile(r"""(?i)(?:^|[;,])\s*(?:password|pwd)\s*=\s*("[^"]*"|'[^']*'|[^;,]*)""")
_SECRET_NAME = re.compile(r"(?i)(password|pwd|secret|token|.+key)$")


def _secrets(name, value):
    """The secrets a (name, value) pair holds: the whole value for a secret name, else the
    passwords inside it."""
    value = str(value)
    if _SECRET_NAME.search(name) and name.lower() not in ("keyname", "key", "publickeytoken") and value:
        return [value]
    found = []
    for m in _SECRET_IN_STRING.finditer(value):
        v = m.group(1).strip()
        if v:
            found.append(v)
            if len(v) > 1 and v[0] in "\"'" and v[-1] == v[0]:
                found.append(v[1:-1])
    return found


def _mask(text, secrets):
    for s in sorted(secrets, key=len, reverse=True):
        text = text.replace(s, "********")
    return text


def _run(module, args):
    rc, out, err = module.run_command(args)
    try:
        doc = json.loads(out) if out.strip() else {}
    except ValueError:
        doc = {}
    return rc, out, err, doc


def _common(p):
    args = []
    if p["file"]:
        args += ["--file", p["file"]]
    else:
        if p["root"]:
            args += ["--root", p["root"]]
        for d in p["drives"]:
            args += ["--drive", d]
    if p["commit"]:
        args.append("/commit:" + p["commit"])
    args.append("/section:" + p["section"])
    args.append("--json")
    if p["show_secrets"]:
        args.append("--show-secrets")
    return args


def _quote(v):
    return "'" + str(v).replace("'", "''") + "'"


def _value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="str"),
            file=dict(type="path"),
            commit=dict(type="str"),
            root=dict(type="path"),
            drives=dict(type="list", elements="str", default=[]),
            section=dict(type="str", default="sessionState", choices=["sessionState", "sessionPageState"]),
            attributes=dict(type="dict", default={}),
            providers=dict(type="list", elements="dict", default=[]),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            show_secrets=dict(type="bool", default=False),
            sessctl=dict(type="str", default="sessctl"),
        ),
        mutually_exclusive=[("file", "root"), ("file", "drives")],
        supports_check_mode=True,
    )
    p = module.params
    # Every secret given to the module is kept out of the result, its invocation and the log.
    secrets = set()
    for k, v in (p["attributes"] or {}).items():
        secrets.update(_secrets(k, v))
    for prov in p["providers"] or []:
        for k, v in prov.items():
            secrets.update(_secrets(k, v))
    module.no_log_values.update(secrets)
    base = [p["sessctl"]]
    target = [p["path"]] if p["path"] else []
    common = _common(p)
    if module.check_mode:
        common.append("--dry-run")
    changes = []
    if p["state"] == "present":
        if p["providers"]:
            # Which are there already (a read; nothing is written).
            listed = [p["sessctl"], "list", "config"] + target + [
                a for a in common if a != "--dry-run" and not a.startswith("/commit:")
            ]
            rc, out, err, doc = _run(module, listed)
            have = {x.get("name") for x in doc.get("providers", [])} if rc == 0 else set()
            for prov in p["providers"]:
                if "name" not in prov or "type" not in prov:
                    module.fail_json(msg="each provider needs name and type", rc=87)
                if prov["name"] in have:
                    continue
                pairs = ",".join("%s=%s" % (k, _quote(v)) for k, v in prov.items())
                changes.append("/+providers.[%s]" % pairs)
        # Providers and attributes in one call: a Custom mode naming a provider this task adds
        # is judged with it, in check mode as for real.
        changes += ["/%s:%s" % (k, _value(v)) for k, v in p["attributes"].items()]
        if not changes:
            module.exit_json(changed=False, files=[])
        steps = [base + ["set", "config"] + target + common + changes]
    else:
        steps = [base + ["clear", "config"] + target + common + ["/" + k for k in p["attributes"]]]
    result = dict(changed=False, files=[], stdout="")
    diffs = []
    for args in steps:
        rc, out, err, doc = _run(module, args)
        result["stdout"] = out
        if rc != 0:
            error = doc.get("error", {})
            module.fail_json(
                msg=_mask(error.get("message") or err.strip() or "sessctl failed", secrets),
                rc=error.get("code", rc),
                stdout=_mask(out, secrets),
                stderr=_mask(err, secrets),
                cmd=[_mask(a, secrets) for a in args],
                below=[
                    dict((k, _mask(v, secrets) if isinstance(v, str) else v) for k, v in b.items())
                    for b in error.get("below", [])
                ],
            )
        for w in doc.get("warnings", []):
            module.warn(_mask(w, secrets))
        if doc.get("changed"):
            result["changed"] = True
        for f in doc.get("files", []):
            result["files"].append(f)
            diffs.append(f.get("diff", ""))
        result["config_path"] = doc.get("configPath")
        result["commit_path"] = doc.get("commitPath")
    if module._diff and diffs:
        result["diff"] = [{"prepared": "".join(diffs)}]
    module.exit_json(**result)


if __name__ == "__main__":
    main()
