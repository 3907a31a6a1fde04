//! Tags: start tags with their attributes and namespace declarations, and end tags (those of a
//! second part of a split scan, which close what the first part opened, included).

use super::*;

impl Scanner<'_> {
    pub(super) fn start_tag(&mut self) -> Result<()> {
        let start = self.pos;
        self.pos += 1;
        self.colons = false;
        self.name()?;
        let name_end = self.pos;
        self.attr_names.clear();
        self.attr_set.clear();
        let open = loop {
            let had_ws = self.skip_ws();
            match self.peek() {
                None => return err(start, "start tag is never closed (the file ends first)"),
                Some(b'>') => {
                    self.pos += 1;
                    break true;
                }
                Some(b'/') => {
                    if self.b.get(self.pos + 1) != Some(&b'>') {
                        return err(self.pos, "expected '>' after '/'");
                    }
                    self.pos += 2;
                    if had_ws {
                        self.out.spaced_self_close += 1;
                    } else {
                        self.out.tight_self_close += 1;
                    }
                    break false;
                }
                Some(c) => {
                    if !had_ws {
                        return err(
                            self.pos,
                            format!("expected whitespace, '>' or '/>', found {}", describe(c)),
                        );
                    }
                    self.attribute()?;
                }
            }
        };
        self.namespaces(start, name_end)?;
        let idx = self.out.head.len();
        let pos = self.pos as u32;
        if self.tail && self.stack.is_empty() {
            self.top.push((idx as u32, self.closes.len() as u32));
        }
        self.out.head.push(Element {
            start: start as u32,
            name_end: name_end as u32,
            head_end: pos,
            close_start: pos,
            end: pos,
            parent: self.stack.last().copied().unwrap_or(NO_PARENT),
            subtree_end: idx as u32 + 1,
        });
        if open {
            self.stack.push(idx as u32);
        } else {
            self.pop_namespaces();
        }
        Ok(())
    }

    pub(super) fn pop_namespaces(&mut self) {
        let n = self.ns_marks.pop().unwrap_or(0);
        self.ns.truncate(self.ns.len() - n);
    }

    pub(super) fn bound(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some(XML_NS);
        }
        self.ns
            .iter()
            .rev()
            .find(|(p, _)| *p == prefix)
            .map(|(_, u)| u.as_str())
    }

    /// Namespaces in XML 1.0 for the tag just read: declarations first (`xmlns:p`, with the
    /// `xml`/`xmlns` rules), then every prefix declared in scope, at most one colon in a name,
    /// and no two attributes with the same expanded name.
    pub(super) fn namespaces(&mut self, start: usize, name_end: usize) -> Result<()> {
        let text = self.text;
        // Almost every tag has no prefix and declares nothing: nothing to check or bind.
        let b = self.b;
        let plain = !self.colons
            && self
                .attr_names
                .iter()
                .all(|&(s, e)| e - s != 5 || &b[s..e] != b"xmlns");
        if plain {
            self.ns_marks.push(0);
            return Ok(());
        }
        let mut pushed = 0;
        let attrs = std::mem::take(&mut self.attr_names);
        let value_of = |name_end: usize| -> String {
            // The value follows `=` and a quote; entities are rare in namespace names.
            let rest = &text[name_end..];
            let q = rest.find(['"', '\'']).unwrap_or(0);
            let quote = rest.as_bytes().get(q).copied().unwrap_or(b'"') as char;
            let v = &rest[q + 1..];
            let end = v.find(quote).unwrap_or(v.len());
            crate::doc::escape::unescape(&v[..end]).into_owned()
        };
        for &(s, e) in &attrs {
            let name = &text[s..e];
            let (prefix, local) = match name.split_once(':') {
                Some((p, l)) => (Some(p), l),
                None => (None, name),
            };
            if prefix == Some("xmlns") {
                let uri = value_of(e);
                if local == "xmlns" {
                    return err(s, "the prefix xmlns cannot be declared");
                }
                if local == "xml" {
                    if uri != XML_NS {
                        return err(s, format!("the prefix xml can only be bound to {XML_NS}"));
                    }
                    continue;
                }
                if uri == XML_NS || uri == XMLNS_NS {
                    return err(
                        s,
                        format!("the namespace {uri} cannot be bound to the prefix {local}"),
                    );
                }
                if uri.is_empty() {
                    return err(
                        s,
                        format!("the prefix {local} cannot be declared with an empty namespace"),
                    );
                }
                self.ns.push((local, uri));
                pushed += 1;
            } else if prefix.is_none() && local == "xmlns" {
                let uri = value_of(e);
                if uri == XML_NS || uri == XMLNS_NS {
                    return err(
                        s,
                        format!("the namespace {uri} cannot be the default namespace"),
                    );
                }
            }
        }
        self.ns_marks.push(pushed);
        let check_name = |s: usize, e: usize, what: &str| -> Result<Option<(usize, usize)>> {
            let name = &text[s..e];
            let Some(colon) = name.find(':') else {
                return Ok(None);
            };
            let (prefix, local) = (&name[..colon], &name[colon + 1..]);
            // Both halves are NCNames: each must start with a name-start character.
            let starts_ok = |part: &str| {
                part.chars().next().is_some_and(|c| {
                    c.is_ascii_alphabetic() || c == '_' || (!c.is_ascii() && is_name_start_char(c))
                })
            };
            if !starts_ok(prefix) || !starts_ok(local) || local.contains(':') {
                return err(s, format!("{what} \"{name}\" is not a valid qualified name (one colon between a prefix and a local name)"));
            }
            Ok(Some((colon, 0)))
        };
        let el_name = &text[start + 1..name_end];
        if check_name(start + 1, name_end, "the element name")?.is_some() {
            let prefix = el_name.split(':').next().unwrap_or("");
            if prefix == "xmlns" {
                return err(
                    start + 1,
                    format!("the element name \"{el_name}\" uses the reserved prefix xmlns"),
                );
            }
            if self.bound(prefix).is_none() {
                return err(
                    start + 1,
                    format!("'{prefix}' is an undeclared prefix (element <{el_name}>)"),
                );
            }
        }
        let mut expanded: Vec<(String, &str, usize)> = Vec::new();
        for &(s, e) in &attrs {
            let name = &text[s..e];
            if check_name(s, e, "the attribute name")?.is_none() {
                continue;
            }
            let (prefix, local) = name.split_once(':').unwrap_or(("", name));
            if prefix == "xmlns" {
                continue;
            }
            let Some(uri) = self.bound(prefix) else {
                return err(
                    s,
                    format!("'{prefix}' is an undeclared prefix (attribute {name})"),
                );
            };
            expanded.push((uri.to_string(), local, s));
        }
        if expanded.len() > 1 {
            let mut seen = std::collections::HashSet::new();
            for (uri, local, s) in &expanded {
                if !seen.insert((uri.as_str(), *local)) {
                    return err(
                        *s,
                        format!("two attributes have the same expanded name {{{uri}}}{local}"),
                    );
                }
            }
        }
        self.attr_names = attrs;
        Ok(())
    }

    pub(super) fn attribute(&mut self) -> Result<()> {
        let name_start = self.pos;
        self.name()?;
        let name_end = self.pos;
        let b = self.b;
        let name = &b[name_start..name_end];
        let duplicate = if self.attr_names.len() < 32 {
            // Lengths and first bytes first: most names of a tag differ there, before a
            // byte comparison is called for.
            self.attr_names
                .iter()
                .any(|&(s, e)| e - s == name.len() && b[s] == name[0] && &b[s..e] == name)
        } else {
            // A tag with many attributes: one set for the whole tag, so the check stays linear.
            if self.attr_set.is_empty() {
                self.attr_set = self.attr_names.iter().map(|&(s, e)| &b[s..e]).collect();
            }
            !self.attr_set.insert(name)
        };
        if duplicate {
            return err(
                name_start,
                format!("duplicate attribute \"{}\"", String::from_utf8_lossy(name)),
            );
        }
        self.attr_names.push((name_start, name_end));
        self.skip_ws();
        if self.peek() != Some(b'=') {
            return err(self.pos, "expected '=' after the attribute name");
        }
        self.pos += 1;
        self.skip_ws();
        let quote = match self.peek() {
            Some(b'"') => {
                self.out.double_quoted += 1;
                b'"'
            }
            Some(b'\'') => {
                self.out.single_quoted += 1;
                b'\''
            }
            _ => return err(self.pos, "attribute values must be in quotes"),
        };
        self.pos += 1;
        loop {
            match bytes::find_stop(quote, b'<', b'&', &self.b[self.pos..]) {
                None => return err(name_start, "attribute value is never closed"),
                Some(i) => {
                    self.pos += i;
                    match self.b[self.pos] {
                        b'<' => return err(self.pos, "'<' is not allowed in an attribute value"),
                        b'&' => self.reference()?,
                        c if c == quote => {
                            self.pos += 1;
                            return Ok(());
                        }
                        _ => self.allowed_char()?,
                    }
                }
            }
        }
    }

    /// Read `</name S?>` at `pos`: the offsets of its `<` and of its name.
    pub(super) fn end_tag_token(&mut self) -> Result<(usize, usize, usize)> {
        let close_start = self.pos;
        self.pos += 2;
        let name_start = self.pos;
        self.name()?;
        let name_end = self.pos;
        self.skip_ws();
        if self.peek() != Some(b'>') {
            return err(self.pos, "expected '>' to close the end tag");
        }
        self.pos += 1;
        Ok((close_start, name_start, name_end))
    }

    pub(super) fn end_tag(&mut self) -> Result<()> {
        // Usually the end tag names the element open: compared as bytes, not read as a name
        // again (anything else takes the full path and its errors).
        if let Some(&open) = self.stack.last() {
            let el = self.out.head[open as usize];
            let open_name = &self.b[el.start as usize + 1..el.name_end as usize];
            let at = self.pos + 2;
            let after = at + open_name.len();
            if self.b.get(at..after) == Some(open_name)
                && self.b.get(after).is_some_and(|&c| c == b'>' || is_ws(c))
            {
                let close_start = self.pos;
                self.pos = after;
                self.skip_ws();
                if self.peek() == Some(b'>') {
                    self.pos += 1;
                    self.stack.pop();
                    let count = self.out.head.len() as u32;
                    let el = &mut self.out.head[open as usize];
                    el.close_start = close_start as u32;
                    el.end = self.pos as u32;
                    el.subtree_end = count;
                    self.pop_namespaces();
                    return Ok(());
                }
                self.pos = close_start;
            }
        }
        let (close_start, name_start, name_end) = self.end_tag_token()?;
        let Some(open) = self.stack.pop() else {
            return err(close_start, "end tag without a start tag");
        };
        let count = self.out.head.len() as u32;
        let el = &mut self.out.head[open as usize];
        let open_name = &self.b[el.start as usize + 1..el.name_end as usize];
        let close_name = &self.b[name_start..name_end];
        if open_name != close_name {
            return err(
                close_start,
                format!(
                    "end tag </{}> does not match start tag <{}>",
                    String::from_utf8_lossy(close_name),
                    String::from_utf8_lossy(open_name)
                ),
            );
        }
        el.close_start = close_start as u32;
        el.end = self.pos as u32;
        el.subtree_end = count;
        self.pop_namespaces();
        Ok(())
    }
}

impl Scanner<'_> {
    /// An end tag met in the second part of a split scan with nothing of its own open.
    pub(super) fn unmatched_end_tag(&mut self) -> Result<()> {
        let (close_start, name_start, name_end) = self.end_tag_token()?;
        self.closes.push(Close {
            start: close_start as u32,
            end: self.pos as u32,
            name: (name_start as u32, name_end as u32),
            elements_before: self.out.head.len() as u32,
        });
        Ok(())
    }
}
