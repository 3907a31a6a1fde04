//! SS204 farm-machine-key.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS204",
    name: "farm-machine-key",
    severity: Severity::Info,
    summary: "Out-of-process session state with no explicit machineKey in scope.",
    doc: "## What it finds\n\nmode StateServer (on another machine: a state server on loopback serves only this one) or SQLServer with no `<machineKey>` setting both `validationKey` and `decryptionKey` explicitly (not AutoGenerate) in scope: in the element, encrypted, or in the file its `configSource` names (a file that is not there, as when the keys are put on each server and never committed, counts as keys set elsewhere).\n\n## Why it matters\n\nOut-of-process session state exists to share sessions across a farm; with auto-generated keys, each server encrypts view state and forms tickets differently, and users bounce between servers with errors. The keys may live in a parent file this lint cannot see, hence info.\n\n## Example\n\n```xml\n<sessionState mode=\"StateServer\" stateConnectionString=\"tcpip=state01:42424\" />\n```\n\n## Fix\n\nThe same explicit `<machineKey validationKey=\"...\" decryptionKey=\"...\" />` on every server, ideally in the root web.config (in an application's web.config, encrypted: SS109).",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in ctx.checkable().filter(|s| s.def.name == "sessionState") {
        let Some(mode) = ctx.mode(site) else { continue };
        // A state server on this machine's loopback is shared by no other server.
        let local_state = mode == "StateServer" && {
            let raw = ctx.effective(site, "stateConnectionString");
            let conn = match raw.contains('=') {
                true => None,
                false => match ctx.connection_string_at(site, raw.trim()) {
                    crate::schema::rules::Entry::Found(v) => Some(v),
                    _ => None,
                },
            };
            is_loopback_state_server(conn.as_deref().unwrap_or(&raw))
        };
        if matches!(mode.as_str(), "StateServer" | "SQLServer")
            && !local_state
            && !ctx.machine_key_explicit(site)
        {
            out.push(Diagnostic::new(ctx.attr_span(site, "mode"), format!("mode {mode} shares sessions across servers, but no explicit <machineKey> keys are in scope")));
        }
    }
}

/// Whether a `tcpip=HOST:PORT` string names this machine (`loopback`, `localhost`, `127.x.x.x`,
/// `[::1]`).
fn is_loopback_state_server(conn: &str) -> bool {
    let Some(rest) = conn.trim().strip_prefix("tcpip=") else {
        return false;
    };
    let host = match rest.strip_prefix('[') {
        Some(inner) => inner.split(']').next().unwrap_or(""),
        None => rest.rsplit_once(':').map_or(rest, |(h, _)| h),
    };
    host.eq_ignore_ascii_case("loopback")
        || host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::is_loopback_state_server as local;

    #[test]
    fn loopback_state_servers_are_this_machine() {
        assert!(local("tcpip=loopback:42424"));
        assert!(local("tcpip=LocalHost:42424"));
        assert!(local("tcpip=127.0.0.1:42424"));
        assert!(local("tcpip=127.9.8.7:1"));
        assert!(local("tcpip=[::1]:42424"));
        assert!(!local("tcpip=state01:42424"));
        assert!(!local("tcpip=10.0.0.5:42424"));
        assert!(!local("tcpip=[fe80::1]:42424"));
        assert!(!local("127.0.0.1:42424"));
    }
}
