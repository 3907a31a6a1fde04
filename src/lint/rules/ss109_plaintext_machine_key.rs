//! SS109 plaintext-machine-key.

use crate::lint::context::{FileContext, FileKind};
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS109",
    name: "plaintext-machine-key",
    severity: Severity::Warning,
    summary: "A <machineKey> validationKey or decryptionKey in plain text in a web.config.",
    doc: "## What it finds\n\nIn a web.config (a site's, an application's or a folder's), a `<machineKey>` whose `validationKey` or `decryptionKey` is a key rather than `AutoGenerate`, written in plain text: in the element, or in the file its `configSource` names (reported at the `configSource`). An encrypted `<machineKey>` (`configProtectionProvider`, `<EncryptedData>`) is not reported, nor a key that is a deployment placeholder (`#{MachineKey.Validation}`, `$(ValidationKey)`, `__ValidationKey__`, as SS102 reads them). Nor are machine.config and the root web.config, the server's own files, where the keys of a farm are kept out of the applications' repositories (known as such with `--root`, or by their place `Framework[64]/v4.0.30319/Config/` in a copy), nor applicationHost.config, which ASP.NET never reads.\n\n## Why it matters\n\nThe keys sign and encrypt what ASP.NET hands to browsers and trusts when it comes back: ViewState, forms-authentication tickets, and with them the session a ticket opens. Whoever reads the file (a repository, a build artefact, a backup) can forge them; keys published in files are used in ViewState code-injection attacks against the servers that kept them.\n\n## Example\n\n```xml\n<machineKey validationKey=\"6A1B...\" decryptionKey=\"0F1E...\" validation=\"HMACSHA256\" decryption=\"AES\" />\n```\n\n## Fix\n\nGenerate new keys (these are known now), then keep them out of the application's file: in the root web.config of each server of the farm, or in this file encrypted (`aspnet_regiis -pef system.web/machineKey SITE_FOLDER`, or `-pe` with `-app`).",
    check: Some(check),
    refuses_file: false,
    judges_transforms: true,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    if ctx.kind == FileKind::AppHost || ctx.above_sites() {
        return;
    }
    let Some(src) = ctx.sources.first() else {
        return;
    };
    let doc = &src.doc;
    for mk in src.machine_keys() {
        let Some(&first) = mk.plaintext.first() else {
            continue;
        };
        let (attr, inside) = match &mk.external {
            Some(_) => (
                doc.attr(mk.el, "configSource"),
                format!(
                    " in {}",
                    doc.attr_value(mk.el, "configSource").unwrap_or_default()
                ),
            ),
            None => (doc.attr(mk.el, first), String::new()),
        };
        let at = match attr {
            Some(a) => At::Span {
                src: 0,
                range: a.range(),
            },
            None => ctx.element_span(0, mk.el),
        };
        let what = match mk.plaintext.as_slice() {
            [one] => format!("{one}{inside} holds a key"),
            _ => format!("validationKey and decryptionKey{inside} hold keys"),
        };
        out.push(Diagnostic::new(at, format!("<machineKey> {what} in plain text: whoever reads the file can forge the ViewState and forms-authentication tickets this application trusts; generate new keys and keep them in each server's root web.config, or encrypt <machineKey> (aspnet_regiis -pef)")));
    }
}
