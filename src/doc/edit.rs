//! A checked edit of a document: its original text and the splices to apply, written to a file
//! without building the new text in memory, and checked to be well-formed without scanning all
//! of it again.
//!
//! The original document is well-formed, so a splice can only break what it touches. Each
//! splice is given a region: a run of one element's content, from the end of the child before
//! the splice to the start of the child after it (the element being the smallest that holds
//! the splice in its content; a splice that touches a tag takes that tag's element whole, in
//! its parent's content). A region starts just after a `>` and ends just before a `<` that no
//! splice changes, so its new text is well-formed in place exactly when it is well-formed
//! element content with the element's namespace prefixes in scope. Only when a splice touches the root's own tags or lies
//! outside the root is the whole new text scanned.

use std::fs::File;
use std::io::{self, Read, Seek, Write};

use super::scan::{self, ElementId};
use super::splice::{apply_sorted, Splice};
use super::text::Text;
use super::{DocError, Document, Encoding};

/// A document's original text and the sorted, checked splices that change it.
#[derive(Debug)]
pub struct Edit {
    encoding: Encoding,
    base: Text,
    splices: Vec<Splice>,
}

impl Edit {
    pub(crate) fn new(encoding: Encoding, base: Text, splices: Vec<Splice>) -> Edit {
        Edit {
            encoding,
            base,
            splices,
        }
    }

    /// An edit that replaces all of `before` with `after` (for files written whole).
    pub fn whole(before: String, after: String) -> Edit {
        let len = before.len();
        Edit {
            encoding: Encoding::Utf8 { bom: false },
            base: Text::from(before),
            splices: vec![Splice::replace(0..len, after)],
        }
    }

    /// The text before the edit.
    pub fn before(&self) -> &str {
        &self.base
    }

    /// The text after the edit (built on each call).
    pub fn after(&self) -> String {
        apply_sorted(&self.base, &self.splices)
    }

    /// The file's bytes after the edit, in its encoding (built on each call).
    pub fn after_bytes(&self) -> Vec<u8> {
        self.encoding.encode(&self.after())
    }

    /// The lines around the splices, `margin` whole lines beyond them on each side (or to the
    /// text's ends): the number of lines before the window, the window of the text before, and
    /// the same window after the edit.
    pub fn window(&self, margin: usize) -> (usize, &str, String) {
        let b = self.base.as_bytes();
        let (Some(first), Some(last)) = (self.splices.first(), self.splices.last()) else {
            return (0, &self.base, self.base.to_string());
        };
        let mut from = memchr::memrchr(b'\n', &b[..first.range.start]).map_or(0, |i| i + 1);
        for _ in 0..margin {
            if from == 0 {
                break;
            }
            from = memchr::memrchr(b'\n', &b[..from - 1]).map_or(0, |i| i + 1);
        }
        let mut to = last.range.end;
        for _ in 0..=margin {
            match memchr::memchr(b'\n', &b[to..]) {
                Some(i) => to += i + 1,
                None => {
                    to = b.len();
                    break;
                }
            }
        }
        let lines = memchr::memchr_iter(b'\n', &b[..from]).count();
        (lines, &self.base[from..to], self.spliced(from, to))
    }

    /// The new text of `from..to`, a span of the base that holds every splice.
    fn spliced(&self, from: usize, to: usize) -> String {
        let mut out = String::with_capacity(to - from);
        let mut at = from;
        for s in &self.splices {
            out.push_str(&self.base[at..s.range.start]);
            out.push_str(&s.text);
            at = s.range.end;
        }
        out.push_str(&self.base[at..to]);
        out
    }

    /// Whether the edit leaves the text as it was.
    pub fn changes_nothing(&self) -> bool {
        let (Some(first), Some(last)) = (self.splices.first(), self.splices.last()) else {
            return true;
        };
        if self
            .splices
            .iter()
            .all(|s| self.base[s.range.clone()] == *s.text)
        {
            return true;
        }
        if self.added() != self.removed() {
            return false;
        }
        // Same length, some splice differs: compare the span they cover as a whole.
        let (from, to) = (first.range.start, last.range.end);
        self.spliced(from, to) == self.base[from..to]
    }

    /// What a writer may run while the new file is flushed, once `write_to` is done: release
    /// the old file's pages (`Text::release_pages`). `None` when the text was not mapped from
    /// the file, or off Linux, where there is nothing worth a thread.
    pub fn while_flushing(&self) -> Option<impl FnOnce() + Send + '_> {
        self.base
            .backing_file()
            .filter(|_| cfg!(target_os = "linux"))
            .map(|_| move || self.base.release_pages())
    }

    /// The new file begun while the document was parsed (`prewrite.rs`), stopped, for
    /// [`crate::doc::atomic_write_prepared`]; `None` when none was begun.
    pub fn take_prepared(&mut self) -> Option<super::Prepared> {
        self.base.take_prepared()
    }

    /// Stop and remove a new file begun for this edit, when it will not be written.
    pub fn drop_prepared(&mut self) {
        self.base.drop_prepared()
    }

    /// Write the new file's bytes (BOM included) to `out`, whose first `ready` bytes are
    /// already the old file's (a prepared file, `prewrite.rs`; 0 for an empty one), and cut it to
    /// the new length. What is already there and in its place is kept: everything before the
    /// first change, and, while the changes so far leave the length as it was, the unchanged
    /// runs between them. For a mapped UTF-8 file the unchanged runs are copied from the file
    /// itself (`copy_file_range` on Linux); otherwise they are written from memory. UTF-16 is
    /// encoded whole.
    pub fn write_to(&self, out: &mut File, ready: usize) -> io::Result<()> {
        let Encoding::Utf8 { bom } = self.encoding else {
            return rewrite(out, ready, &self.encoding.encode(&self.after()));
        };
        let text = self.base.as_bytes();
        match self.base.backing_file() {
            Some((file, shift)) => {
                let total = shift + text.len() + self.added() - self.removed();
                let steps = self.steps(shift, ready);
                let writes: usize = steps.iter().map(|s| s.len(&self.splices)).sum();
                let mut cursor = 0;
                super::write::EarlyFlush::around(out, writes, |out, flush| {
                    for step in &steps {
                        let at = step.at();
                        if at != cursor {
                            out.seek(io::SeekFrom::Start(at as u64))?;
                            flush.jumped_to(at);
                        }
                        match *step {
                            Step::Copy { from, to, .. } => copy_range(file, from, to, out, flush)?,
                            Step::Put { splice, .. } => {
                                let t = self.splices[splice].text.as_bytes();
                                out.write_all(t)?;
                                flush.wrote(t.len());
                            }
                        }
                        cursor = at + step.len(&self.splices);
                    }
                    Ok::<(), io::Error>(())
                })?;
                if ready > 0 {
                    out.set_len(total as u64)?;
                }
                Ok(())
            }
            None => {
                // (A prepared file comes only with a mapped one: nothing to keep here.)
                rewrite(out, ready, b"")?;
                if bom {
                    out.write_all(b"\xEF\xBB\xBF")?;
                }
                let mut at = 0;
                for s in &self.splices {
                    out.write_all(&text[at..s.range.start])?;
                    out.write_all(s.text.as_bytes())?;
                    at = s.range.end;
                }
                out.write_all(&text[at..])
            }
        }
    }

    /// What writing the new file takes, in order, when the first `ready` bytes of the file
    /// written to are the old file's (`shift`: the BOM's length, where the file and the text
    /// differ): every splice, and every unchanged run that is not already in its place.
    fn steps(&self, shift: usize, ready: usize) -> Vec<Step> {
        let mut steps = Vec::with_capacity(self.splices.len() * 2 + 1);
        // File offsets in the old file; `grown` is how far the new file's offsets have moved.
        let (mut at, mut grown) = (0usize, 0isize);
        let run = |from: usize, to: usize, grown: isize, steps: &mut Vec<Step>| {
            // In place and already copied: nothing to do for that part.
            let from = if grown == 0 {
                from.max(ready.min(to))
            } else {
                from
            };
            if from < to {
                let at = (from as isize + grown) as usize;
                steps.push(Step::Copy { from, to, at });
            }
        };
        for (i, s) in self.splices.iter().enumerate() {
            run(at, shift + s.range.start, grown, &mut steps);
            steps.push(Step::Put {
                splice: i,
                at: (shift as isize + s.range.start as isize + grown) as usize,
            });
            grown += s.text.len() as isize - s.range.len() as isize;
            at = shift + s.range.end;
        }
        run(at, shift + self.base.len(), grown, &mut steps);
        steps
    }

    fn added(&self) -> usize {
        self.splices.iter().map(|s| s.text.len()).sum()
    }

    fn removed(&self) -> usize {
        self.splices.iter().map(|s| s.range.len()).sum()
    }
}

/// One write of [`Edit::write_to`]: bytes `from..to` of the old file, or a splice's text, at
/// `at` in the new file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Copy { from: usize, to: usize, at: usize },
    Put { splice: usize, at: usize },
}

impl Step {
    fn at(&self) -> usize {
        match *self {
            Step::Copy { at, .. } | Step::Put { at, .. } => at,
        }
    }

    fn len(&self, splices: &[Splice]) -> usize {
        match *self {
            Step::Copy { from, to, .. } => to - from,
            Step::Put { splice, .. } => splices[splice].text.len(),
        }
    }
}

/// Write `bytes` as the whole of `out`, which holds `ready` bytes of something else already.
fn rewrite(out: &mut File, ready: usize, bytes: &[u8]) -> io::Result<()> {
    if ready > 0 {
        out.seek(io::SeekFrom::Start(0))?;
        out.set_len(0)?;
    }
    out.write_all(bytes)
}

/// Copy bytes `from..to` of `file` to `out`: inside the kernel where the platform can, a few
/// megabytes at a time, each handed to `flush` as it is written.
fn copy_range(
    file: &File,
    from: usize,
    to: usize,
    out: &mut File,
    flush: &mut super::write::EarlyFlush,
) -> io::Result<()> {
    let mut src = file;
    src.seek(io::SeekFrom::Start(from as u64))?;
    let mut at = from;
    while at < to {
        let want = (to - at).min(super::write::EarlyFlush::STEP) as u64;
        if io::copy(&mut src.take(want), out)? != want {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file changed while it was being rewritten",
            ));
        }
        flush.wrote(want as usize);
        at += want as usize;
    }
    Ok(())
}

/// Where a splice must be checked again: `range` of the original text (a run of `scope`'s
/// content), scanned as content with the namespace prefixes in scope there.
#[derive(Clone, Debug)]
struct Region {
    range: std::ops::Range<usize>,
    scope: ElementId,
    splices: Vec<usize>,
}

/// Check that sorted, non-overlapping `splices` applied to `doc` give a well-formed document.
pub(crate) fn verify(doc: &Document, splices: &[Splice]) -> Result<(), DocError> {
    for s in splices {
        if let Some(at) = scan::find_forbidden_char(&s.text) {
            let c = s.text[at..].chars().next().map_or(0, |c| c as u32);
            return Err(DocError::at_byte(
                s.range.start,
                format!("character U+{c:04X} is not allowed in XML"),
            ));
        }
    }
    let added: usize = splices.iter().map(|s| s.text.len()).sum();
    let removed: usize = splices.iter().map(|s| s.range.len()).sum();
    let regions = match regions(doc, splices) {
        Some(r) if doc.text.len() - removed + added < u32::MAX as usize => r,
        _ => return whole(doc, splices),
    };
    for r in regions {
        let text = doc.text();
        let mut fragment = String::new();
        let mut at = r.range.start;
        for &i in &r.splices {
            let s = &splices[i];
            fragment.push_str(&text[at..s.range.start]);
            fragment.push_str(&s.text);
            at = s.range.end;
        }
        fragment.push_str(&text[at..r.range.end]);
        let ns = scope(doc, r.scope);
        if let Err(e) = scan::scan_fragment(&fragment, ns) {
            let mut de = DocError::in_text(&fragment, e.offset, e.message);
            de.offset += r.range.start;
            return Err(de);
        }
    }
    Ok(())
}

/// Scan the whole new text (a splice touches the root's tags or the prolog).
fn whole(doc: &Document, splices: &[Splice]) -> Result<(), DocError> {
    let new = apply_sorted(doc.text(), splices);
    Document::from_text(new, doc.encoding).map(|_| ())
}

/// The regions of `splices`, merged where they overlap; `None` when the whole text must be
/// scanned.
fn regions(doc: &Document, splices: &[Splice]) -> Option<Vec<Region>> {
    let mut all = Vec::with_capacity(splices.len());
    for (i, s) in splices.iter().enumerate() {
        let (range, scope) = region(doc, s.range.start, s.range.end)?;
        all.push(Region {
            range,
            scope,
            splices: vec![i],
        });
    }
    all.sort_by_key(|r| (r.range.start, std::cmp::Reverse(r.range.end)));
    let mut merged: Vec<Region> = Vec::with_capacity(all.len());
    for r in all {
        let Some(last) = merged.last_mut() else {
            merged.push(r);
            continue;
        };
        // Regions that touch are merged too: the byte where they meet may be changed by either.
        if r.range.start > last.range.end {
            merged.push(r);
            continue;
        }
        if r.range.end <= last.range.end {
            // Nested in the region before (sorted outer first): its scope is the outer one's.
        } else if r.scope == last.scope {
            last.range.end = r.range.end;
        } else {
            return None;
        }
        last.splices.extend(r.splices);
    }
    for r in &mut merged {
        r.splices.sort_unstable();
    }
    Some(merged)
}

/// The region of the splice `a..b`: the original range to scan again and the element whose
/// content it is. `None` for the root's own tags or anything outside the root.
fn region(doc: &Document, a: usize, b: usize) -> Option<(std::ops::Range<usize>, ElementId)> {
    let els = &doc.outline;
    let inside = |id: ElementId| {
        let e = els.get(id);
        let (start, end) = (e.start as usize, e.end as usize);
        if a == b {
            start < a && a < end
        } else {
            start <= a && b <= end && !(a == start && b == end)
        }
    };
    // The last element starting at or before `a`, then up to the first that contains it.
    let mut id = els
        .partition_point(|e| e.start as usize <= a)
        .checked_sub(1)?;
    while !inside(id) {
        id = els.get(id).parent()?;
    }
    let e = els.get(id);
    let in_content = !e.self_closed() && e.head_end as usize <= a && b <= e.close_start as usize;
    if !in_content {
        // The splice touches this element's tags: the element is scanned again, within the
        // run of its parent's content around it (the root has no parent: scan everything).
        let parent = e.parent()?;
        return Some((gap(doc, parent, e.start as usize, e.end as usize), parent));
    }
    Some((gap(doc, id, a, b), id))
}

/// The run of `id`'s content around `a..b`: from the end of the last child before it (or the
/// start tag) to the start of the first child after it (or the end tag). The byte before such
/// a run is a tag's `>`, the byte after it a tag's `<`, so text inside cannot run into text
/// outside.
fn gap(doc: &Document, id: ElementId, a: usize, b: usize) -> std::ops::Range<usize> {
    let e = doc.element(id);
    let (mut from, mut to) = (e.head_end as usize, e.close_start as usize);
    for c in doc.children(id) {
        let ce = doc.element(c);
        if ce.end as usize <= a {
            from = ce.end as usize;
        } else if ce.start as usize >= b {
            to = ce.start as usize;
            break;
        }
    }
    from..to
}

/// The namespace prefixes declared on `id` and its ancestors, outermost first.
fn scope(doc: &Document, id: ElementId) -> Vec<(&str, String)> {
    let mut chain = vec![id];
    while let Some(p) = doc.parent(*chain.last().expect("non-empty")) {
        chain.push(p);
    }
    let mut ns = Vec::new();
    for &el in chain.iter().rev() {
        for a in doc.attrs(el) {
            if let Some(prefix) = doc.attr_name(&a).strip_prefix("xmlns:") {
                ns.push((prefix, doc.value(&a).into_owned()));
            }
        }
    }
    ns
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DOC: &str = "<?xml version=\"1.0\"?>\n<!-- head -->\n<configuration xmlns:x=\"urn:x\">\n  <a k=\"1\" x:v=\"2\"/>\n  text &amp; more <![CDATA[ c ]]>\n  <b>\n    <c/><!-- c --><d>t</d>\n    <?pi data?>\n  </b>\n  <e x:w=\"3\"></e>\n</configuration>\n<!-- tail -->\n";

    const PIECES: &[&str] = &[
        "",
        "<",
        ">",
        "/>",
        "<f/>",
        "<f>",
        "</f>",
        "</b>",
        "<x:f/>",
        "<y:f/>",
        "&amp;",
        "&",
        "]]>",
        "]",
        "<!-- n -->",
        "<!--",
        "-->",
        "<?p?>",
        " ",
        "\n",
        "\"",
        "k=\"2\"",
        " z=\"1\"",
        " x:z=\"1\"",
        "<![CDATA[",
        "]]",
        "<g xmlns:y=\"urn:y\"><y:h/></g>",
        "\u{1}",
        "é",
    ];

    fn full_scan_ok(text: &str, splices: &[Splice]) -> bool {
        let new = apply_sorted(text, splices);
        Document::from_text(new, Encoding::Utf8 { bom: false }).is_ok()
    }

    /// Pieces that are whole on their own: inserting one changes nothing outside its region.
    const WHOLE: &[&str] = &[
        "",
        "<f/>",
        "<f></f>",
        "&amp;",
        "<!-- n -->",
        "<?p?>",
        " ",
        "\n",
        " z=\"1\"",
        "text",
        "<x:f/>",
        "<g xmlns:y=\"urn:y\"><y:h/></g>",
        "é",
        "<![CDATA[ d ]]>",
    ];

    fn splices_of(picks: Vec<(usize, usize, usize)>, pieces: &[&str]) -> Vec<Splice> {
        let mut splices: Vec<Splice> = Vec::new();
        for (at, len, piece) in picks {
            let mut a = at;
            while !DOC.is_char_boundary(a) {
                a -= 1;
            }
            let mut b = (a + len).min(DOC.len());
            while !DOC.is_char_boundary(b) {
                b -= 1;
            }
            splices.push(Splice::replace(a..b, pieces[piece % pieces.len()]));
        }
        splices.sort_by_key(|s| (s.range.start, s.range.end));
        splices
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Sound: checking only the touched regions never accepts a result that a full scan
        /// refuses, for splices anywhere (tags, text, comments, the prolog) of any XML-ish text.
        /// It may refuse a splice that only works together with markup outside its region
        /// (`<![CDATA[` closed by a later `]]>`): an edit must be well-formed on its own.
        #[test]
        fn regions_never_accept_what_a_full_scan_refuses(
            picks in proptest::collection::vec((0usize..DOC.len(), 0usize..6, 0usize..PIECES.len()), 1..4)
        ) {
            let doc = Document::parse(DOC.as_bytes().to_vec()).unwrap();
            let splices = splices_of(picks, PIECES);
            prop_assume!(super::super::splice::check(DOC, &splices).is_ok());
            let expected = full_scan_ok(DOC, &splices);
            let got = verify(&doc, &splices).is_ok();
            prop_assert!(!got || expected, "{:?} -> {:?}", splices, apply_sorted(DOC, &splices));
        }

        /// Complete: inserting one whole piece anywhere is judged exactly as a full scan judges
        /// it. (Two may meet through markup outside their regions, such as a piece that splits
        /// a CDATA section's `]]>` and another that closes it later; those are refused.)
        #[test]
        fn regions_agree_with_a_full_scan_on_whole_insertions(
            picks in proptest::collection::vec((0usize..DOC.len(), 0usize..1, 0usize..WHOLE.len()), 1..2)
        ) {
            let doc = Document::parse(DOC.as_bytes().to_vec()).unwrap();
            let splices = splices_of(picks, WHOLE);
            prop_assume!(super::super::splice::check(DOC, &splices).is_ok());
            let expected = full_scan_ok(DOC, &splices);
            let got = verify(&doc, &splices).is_ok();
            prop_assert_eq!(got, expected, "{:?} -> {:?}", splices, apply_sorted(DOC, &splices));
        }
    }

    #[test]
    fn a_new_location_at_the_end_is_checked_alone() {
        let doc = Document::parse(DOC.as_bytes().to_vec()).unwrap();
        let at = DOC.find("</configuration>").unwrap();
        let s = [Splice::insert(
            at,
            "  <location path=\"p\"><x:y/></location>\n",
        )];
        let (range, scope) = region(&doc, at, at).unwrap();
        assert_eq!(scope, 0);
        assert_eq!(&DOC[range], "\n");
        assert!(verify(&doc, &s).is_ok());
        let bad = [Splice::insert(at, "<location><q:y/></location>")];
        let e = verify(&doc, &bad).unwrap_err();
        assert!(e.message.contains("'q' is an undeclared prefix"), "{e:?}");
    }

    #[test]
    fn edits_write_the_same_bytes_as_applying_them() {
        let doc = Document::parse(b"\xEF\xBB\xBF<a x=\"1\">\r\n</a>".to_vec()).unwrap();
        let edit = doc
            .into_edit(vec![Splice::replace(6..7, "2"), Splice::insert(9, "<b/>")])
            .unwrap();
        let mut f = tempfile::tempfile().unwrap();
        edit.write_to(&mut f, 0).unwrap();
        f.rewind().unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        assert_eq!(bytes, b"\xEF\xBB\xBF<a x=\"2\"><b/>\r\n</a>");
        assert!(!edit.changes_nothing());
    }

    /// A mapped file of several write-back steps, edited at both ends and in the middle, with
    /// a longer and a shorter replacement: the copy in steps writes exactly the applied bytes.
    #[cfg(unix)]
    #[test]
    fn a_large_mapped_file_is_copied_in_steps_byte_for_byte() {
        let step = crate::doc::write::EarlyFlush::STEP;
        let mut text = String::from("\u{FEFF}<a>\r\n");
        let mut n = 0;
        while text.len() < 2 * step + step / 2 {
            text.push_str(&format!("  <b k=\"{n}\" />\r\n"));
            n += 1;
        }
        text.push_str("</a>\r\n");
        let mut src = tempfile::NamedTempFile::new().unwrap();
        src.write_all(text.as_bytes()).unwrap();
        let file = src.reopen().unwrap();
        let raw = crate::doc::Raw::from_file(&file, text.len() as u64, true).unwrap();
        let doc = Document::parse_raw(raw).unwrap();
        assert!(doc.text.backing_file().is_some(), "mapped with its file");
        let body = &text[3..];
        let mid = body.find(&format!("k=\"{}\"", n / 2)).unwrap() + 3;
        let last = body.rfind("k=\"").unwrap() + 3;
        let splices = vec![
            Splice::replace(3..4, "a2"),
            Splice::replace(mid..mid + 1, ""),
            Splice::replace(last..last + 1, "longer"),
        ];
        let expected = format!("\u{FEFF}{}", apply_sorted(body, &splices));
        let edit = doc.into_edit(splices).unwrap();
        let mut out = tempfile::tempfile().unwrap();
        edit.write_to(&mut out, 0).unwrap();
        out.rewind().unwrap();
        let mut bytes = Vec::new();
        out.read_to_end(&mut bytes).unwrap();
        assert!(bytes == expected.as_bytes(), "the copy differs");
        // Into a file prepared ahead (`prewrite.rs`): its first `ready` bytes are the old
        // file's, and after them lies what a stopped copy may leave (here bytes of nothing).
        let old = text.as_bytes();
        let mut bytes = Vec::new();
        for ready in [1, 3, 5, mid, mid + 3, last, old.len() - 2, old.len()] {
            let mut out = tempfile::tempfile().unwrap();
            out.write_all(&old[..ready]).unwrap();
            out.write_all(&vec![b'#'; 3 * step]).unwrap();
            edit.write_to(&mut out, ready).unwrap();
            out.rewind().unwrap();
            bytes.clear();
            out.read_to_end(&mut bytes).unwrap();
            assert!(
                bytes == expected.as_bytes(),
                "prepared up to {ready}: the file differs"
            );
        }
    }

    /// A file prepared ahead holds the old file's first `ready` bytes, then anything: the
    /// steps of a write into it, applied, give exactly the new file, whatever the splices
    /// (longer, shorter, of the same length, at either end) and wherever the copy stopped;
    /// and they never rewrite what is already there and in its place.
    #[test]
    fn a_prepared_file_is_finished_byte_for_byte() {
        let text = "<a>\r\n  <b k=\"1\" />\r\n  <c>t</c>\r\n  <d k=\"22\" />\r\n</a>\r\n";
        proptest!(ProptestConfig::with_cases(3000), |(
            picks in proptest::collection::vec((0usize..text.len(), 0usize..4, 0usize..5), 0..4),
            ready_at in 0usize..=text.len() + 3,
            bom in any::<bool>(),
        )| {
            let pieces = ["", "x", "yz", "<e/>", "www"];
            let mut splices: Vec<Splice> = picks
                .iter()
                .map(|&(at, len, p)| Splice::replace(at..(at + len).min(text.len()), pieces[p]))
                .collect();
            splices.sort_by_key(|s| (s.range.start, s.range.end));
            prop_assume!(super::super::splice::check(text, &splices).is_ok());
            let shift = if bom { 3 } else { 0 };
            let old: Vec<u8> = [&b"\xEF\xBB\xBF"[..shift], text.as_bytes()].concat();
            let ready = ready_at.min(old.len());
            let expected: Vec<u8> =
                [&b"\xEF\xBB\xBF"[..shift], apply_sorted(text, &splices).as_bytes()].concat();
            let edit = Edit::new(Encoding::Utf8 { bom }, Text::from(text.to_string()), splices);
            let mut out = old[..ready].to_vec();
            out.extend_from_slice(b"####################");
            for step in edit.steps(shift, ready) {
                let (at, bytes) = match step {
                    Step::Copy { from, to, at } => {
                        // Never a copy of bytes onto themselves.
                        prop_assert!(from != at || from >= ready, "{step:?} rewrites what is there");
                        (at, &old[from..to])
                    }
                    Step::Put { splice, at } => (at, edit.splices[splice].text.as_bytes()),
                };
                if out.len() < at + bytes.len() {
                    out.resize(at + bytes.len(), b'#');
                }
                out[at..at + bytes.len()].copy_from_slice(bytes);
            }
            out.truncate(expected.len());
            prop_assert_eq!(out, expected);
        });
    }
}
