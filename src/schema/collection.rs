//! How .NET folds an add/remove/clear collection (`<providers>`, `<connectionStrings>`): the
//! kinds of children, how two keys compare, and the one fold every reader of a collection uses.

/// Whether two keys of a collection (provider names, connection string names) are the same
/// key. .NET's `ProviderSettingsCollection` and `ConnectionStringSettingsCollection` compare
/// them with `StringComparer.OrdinalIgnoreCase` (each character upper-cased on its own), so
/// `<remove name="REDIS">` takes out `Redis`. Mono compares them with regard to case.
pub fn same_key(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    let upper = |c: char| {
        let mut u = c.to_uppercase();
        match (u.next(), u.next()) {
            (Some(one), None) => one,
            _ => c,
        }
    };
    a.chars().map(upper).eq(b.chars().map(upper))
}

/// The kind of a collection child element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// `<add>`
    Add,
    /// `<remove>`
    Remove,
    /// `<clear>`
    Clear,
}

impl ItemKind {
    /// Every kind, in the order the elements are usually named.
    pub const ALL: [ItemKind; 3] = [ItemKind::Add, ItemKind::Remove, ItemKind::Clear];

    /// The elements' names, in the order of [`ItemKind::ALL`].
    pub const NAMES: &'static [&'static str] = &["add", "remove", "clear"];

    /// The kind of an element by name.
    pub fn of(name: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The element's name.
    pub fn name(self) -> &'static str {
        ItemKind::NAMES[self as usize]
    }
}

/// The one collection fold, as .NET's `ConfigurationElementCollection` folds an
/// add/remove/clear collection: `clear` empties, `remove` drops by key, `add` appends, or
/// takes the place of the live entry with its key ([`same_key`]): ASP.NET keeps one entry
/// there when the two are equal and refuses the section when they are not (SS012 says so).
/// Items come lowest priority first; the effective `add` items are returned in order. (An
/// entry added again after a `remove` goes last, as Mono orders it; .NET puts it back in its
/// old place. The order of providers changes nothing ASP.NET does.)
pub fn fold_collection<T>(
    items: impl IntoIterator<Item = (ItemKind, Option<String>, T)>,
) -> Vec<T> {
    fold_collection_noting(items, |_, _| {})
}

/// [`fold_collection`], calling `repeat(earlier, later)` for each `add` whose key a live entry
/// has, before the later takes its place: where SS012 and SS017 judge whether ASP.NET keeps
/// one entry or refuses the section.
pub fn fold_collection_noting<T>(
    items: impl IntoIterator<Item = (ItemKind, Option<String>, T)>,
    mut repeat: impl FnMut(&T, &T),
) -> Vec<T> {
    let mut out: Vec<(Option<String>, T)> = Vec::new();
    let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => same_key(a, b),
        (None, None) => true,
        _ => false,
    };
    for (kind, key, item) in items {
        match kind {
            ItemKind::Clear => out.clear(),
            ItemKind::Remove => out.retain(|(k, _)| !same(k, &key)),
            ItemKind::Add => match out.iter_mut().find(|(k, _)| k.is_some() && same(k, &key)) {
                Some(slot) => {
                    repeat(&slot.1, &item);
                    *slot = (key, item);
                }
                None => out.push((key, item)),
            },
        }
    }
    out.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn collection_keys_compare_as_ordinal_ignore_case() {
        use super::same_key;
        assert!(same_key("Redis", "REDIS"));
        assert!(same_key("ÄRGER", "ärger"));
        // Upper-cased a character at a time, as OrdinalIgnoreCase does: ß has no one-character
        // upper case, so it stays itself.
        assert!(!same_key("straße", "STRASSE"));
        assert!(!same_key("Redis", "Redis2"));
    }
}
