//! The two-part scan of a large text: split near the middle at a line that starts a tag, scan
//! both halves at once, and join the second's unmatched end tags to what the first left open
//! (the second's elements are kept where they are, as the outline's tail).

use super::*;

/// Texts at least this long are scanned in two parts at once.
pub(super) const SPLIT_MIN: usize = 1 << 20;

/// Where to split a large text for a two-part scan: the `<` of a start tag that begins a line,
/// near the middle. Only a guess at a place between two content items; the first part confirms
/// it (or the scan falls back to one part).
pub(super) fn split_point(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut from = b.len() / 2;
    for _ in 0..64 {
        let nl = from + memchr(b'\n', &b[from..])?;
        let mut i = nl + 1;
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if i + 1 < b.len() && b[i] == b'<' && (b[i + 1].is_ascii_alphabetic() || b[i + 1] == b'_') {
            return Some(i);
        }
        from = nl + 1;
    }
    None
}

/// Scan `text` in two parts at once, split at `at`: the first part stops there, the second
/// starts there not knowing what is open, and the two are joined. `None` when anything does
/// not fit (the split fell inside markup, a prefix declared before the split is used after it,
/// or the text is not well-formed): the caller scans in one part, which gives the same outline
/// or the first error.
pub(super) fn scan_split(text: &str, at: usize) -> Option<Outline> {
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let mut s = Scanner::with_room(text, Vec::new(), (text.len() - at) / 32 + 4);
            s.pos = at;
            s.tail = true;
            s.items(true).ok()?;
            Some(s)
        });
        let first = (|| {
            // Room for the first part only: the second's elements stay in its own outline.
            let mut s = Scanner::with_room(text, Vec::new(), at / 32 + 4);
            s.stop = at;
            s.document().ok()?;
            Some(s)
        })();
        (first, second.join().ok().flatten())
    });
    let mut a = first?;
    if !a.stopped {
        // The split fell inside markup: the first part went on to the end by itself.
        return Some(a.out);
    }
    let b = second?;
    join(text, &mut a, b)?;
    Some(a.out)
}

/// Join the second part's outline to the first's: its unmatched end tags close the elements the
/// first left open, innermost first, and nothing but the epilogue may follow the root's end.
pub(super) fn join(text: &str, a: &mut Scanner<'_>, b: Scanner<'_>) -> Option<()> {
    let open = std::mem::take(&mut a.stack);
    if b.closes.len() != open.len() || open.is_empty() {
        return None;
    }
    let base = a.out.head.len() as u32;
    let bytes = text.as_bytes();
    for (k, close) in b.closes.iter().enumerate() {
        let el = &mut a.out.head[open[open.len() - 1 - k] as usize];
        let open_name = &bytes[el.start as usize + 1..el.name_end as usize];
        if open_name != &bytes[close.name.0 as usize..close.name.1 as usize] {
            return None;
        }
        el.close_start = close.start;
        el.end = close.end;
        el.subtree_end = base + close.elements_before;
    }
    let root_end = b.closes.last().map(|c| c.end as usize)?;
    let mut epilogue = Scanner::with_room(text, Vec::new(), 0);
    epilogue.pos = root_end;
    epilogue.epilogue().ok()?;
    // The second part's elements stay where its scan put them: their indices are made whole
    // in place, and its top-level elements get their parents among those the first left open.
    let mut tail = b.out.head;
    for e in &mut tail {
        if e.parent != NO_PARENT {
            e.parent += base;
        }
        e.subtree_end += base;
    }
    for &(idx, closes) in &b.top {
        let depth = open.len().checked_sub(1 + closes as usize)?;
        tail.get_mut(idx as usize)?.parent = open[depth];
    }
    a.out.tail = tail;
    a.out.comments.extend(b.out.comments);
    a.out.spaced_self_close += b.out.spaced_self_close;
    a.out.tight_self_close += b.out.tight_self_close;
    a.out.single_quoted += b.out.single_quoted;
    a.out.double_quoted += b.out.double_quoted;
    Some(())
}
