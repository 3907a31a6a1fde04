//! Byte searches for the scanner's innermost loops: names, attribute values and the text
//! between tags, which are short runs (a name of ten bytes, a value of fifteen, an indentation
//! of a dozen) where a general search spends more on setting out than on searching. On x86_64
//! they look at 16 bytes at a time with SSE2, which the architecture guarantees (no detection at
//! run time); elsewhere, and for the last bytes of a text, one byte at a time. Each gives the
//! answer of the plain loop; the tests below compare the two on every length and position.

use super::NAME_BYTE;

/// The length of the run of ASCII name characters (letters, digits, `_`, `-`, `.`, `:`) that
/// starts `b`, and whether the run holds a colon.
#[inline]
pub(super) fn name_run(b: &[u8]) -> (usize, bool) {
    let (mut n, colon) = match wide_name_run(b) {
        Ok(done) => return done,
        Err(so_far) => so_far,
    };
    let mut met = 0;
    while let Some(&c) = b.get(n) {
        let class = NAME_BYTE[c as usize];
        if class == 0 {
            break;
        }
        met |= class;
        n += 1;
    }
    (n, colon || met & 2 != 0)
}

/// `name_run` 16 bytes at a time: the answer when the run ends within the whole 16-byte steps
/// of `b`, else how far they got (length, colon seen) for the byte-by-byte rest.
#[cfg(target_arch = "x86_64")]
#[inline]
fn wide_name_run(b: &[u8]) -> Result<(usize, bool), (usize, bool)> {
    let (mut n, mut colon) = (0, false);
    while let Some(chunk) = b.get(n..n + 16) {
        // SAFETY: SSE2 is part of every x86_64 processor.
        let (others, colons) = unsafe { sse2::name_classes(chunk) };
        if others != 0 {
            let len = others.trailing_zeros() as usize;
            return Ok((n + len, colon || colons & ((1 << len) - 1) != 0));
        }
        colon |= colons != 0;
        n += 16;
    }
    Err((n, colon))
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn wide_name_run(_: &[u8]) -> Result<(usize, bool), (usize, bool)> {
    Err((0, false))
}

/// Whether the scanner must stop at byte `x` while it looks for `a`, `b` or `c`: one of them, a
/// control character XML forbids (below 0x20 but tab, line feed and carriage return), or 0xEF,
/// which starts U+FFFE and U+FFFF (forbidden too) among other characters.
#[inline]
fn stops(x: u8, a: u8, b: u8, c: u8) -> bool {
    x == a || x == b || x == c || x == 0xEF || (x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r'))
}

/// The offset of the first byte of `hay` that is `a`, `b` or `c`, a control character XML
/// forbids, or 0xEF (see `stops`): the text and attribute values the scanner skips are checked
/// for forbidden characters on the way, with no pass of their own.
#[inline]
pub(super) fn find_stop(a: u8, b: u8, c: u8, hay: &[u8]) -> Option<usize> {
    let n = match wide_find_stop(a, b, c, hay) {
        Ok(found) => return Some(found),
        Err(so_far) => so_far,
    };
    hay[n..]
        .iter()
        .position(|&x| stops(x, a, b, c))
        .map(|i| n + i)
}

/// `find_stop` 16 bytes at a time: the offset when it is within the whole 16-byte steps of
/// `hay`, else how far they got for the byte-by-byte rest.
#[cfg(target_arch = "x86_64")]
#[inline]
fn wide_find_stop(a: u8, b: u8, c: u8, hay: &[u8]) -> Result<usize, usize> {
    let mut n = 0;
    while let Some(chunk) = hay.get(n..n + 16) {
        // SAFETY: SSE2 is part of every x86_64 processor.
        let hits = unsafe { sse2::stops(chunk, a, b, c) };
        if hits != 0 {
            return Ok(n + hits.trailing_zeros() as usize);
        }
        n += 16;
    }
    Err(n)
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn wide_find_stop(_: u8, _: u8, _: u8, _: &[u8]) -> Result<usize, usize> {
    Err(0)
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::*;

    #[target_feature(enable = "sse2")]
    fn load(chunk: &[u8]) -> __m128i {
        assert!(chunk.len() >= 16);
        // SAFETY: 16 bytes are readable at the pointer (asserted); the load is unaligned.
        unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) }
    }

    /// Bytes of `v` in `lo..=hi`, as 0xFF lanes: unsigned range test by one signed compare.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn in_range(v: __m128i, lo: u8, hi: u8) -> __m128i {
        let shifted = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
        _mm_cmplt_epi8(shifted, _mm_set1_epi8(((hi - lo + 1) ^ 0x80) as i8))
    }

    /// For the first 16 bytes of `chunk`: a bit for each byte that is no ASCII name character,
    /// and a bit for each colon.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn name_classes(chunk: &[u8]) -> (u32, u32) {
        let x = load(chunk);
        let letters = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), b'a', b'z');
        let dash_dot = in_range(x, b'-', b'.');
        let digit_colon = in_range(x, b'0', b':');
        let under = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'_' as i8));
        let name = _mm_or_si128(
            _mm_or_si128(letters, dash_dot),
            _mm_or_si128(digit_colon, under),
        );
        let colon = _mm_cmpeq_epi8(x, _mm_set1_epi8(b':' as i8));
        (
            !(_mm_movemask_epi8(name) as u32) & 0xFFFF,
            _mm_movemask_epi8(colon) as u32,
        )
    }

    /// For the first 16 bytes of `chunk`: a bit for each byte where the scanner stops (see
    /// `super::stops`).
    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn stops(chunk: &[u8], a: u8, b: u8, c: u8) -> u32 {
        let x = load(chunk);
        let eq = |v: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(v as i8));
        let wanted = _mm_or_si128(_mm_or_si128(eq(a), eq(b)), _mm_or_si128(eq(c), eq(0xEF)));
        // Below 0x20 (unsigned: the minimum with 0x1F is the byte itself), but for white space.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x);
        let space = _mm_or_si128(_mm_or_si128(eq(b'\t'), eq(b'\n')), eq(b'\r'));
        let hits = _mm_or_si128(wanted, _mm_andnot_si128(space, control));
        _mm_movemask_epi8(hits) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain_name_run(b: &[u8]) -> (usize, bool) {
        let n = b
            .iter()
            .position(|&c| NAME_BYTE[c as usize] == 0)
            .unwrap_or(b.len());
        (n, b[..n].contains(&b':'))
    }

    #[test]
    fn name_runs_agree_with_the_plain_loop_on_every_byte_and_position() {
        // Every byte value at every position of runs around the 16-byte steps.
        for len in 0..40 {
            for at in 0..=len {
                for stop in 0..=255u8 {
                    let mut b = vec![b'a'; len];
                    if at < len {
                        b[at] = stop;
                    }
                    if len > 3 {
                        b[len / 3] = b':';
                    }
                    assert_eq!(name_run(&b), plain_name_run(&b), "{b:?}");
                }
            }
        }
    }

    #[test]
    fn find_stop_agrees_with_the_plain_loop_on_every_byte_and_position() {
        let plain = |hay: &[u8]| hay.iter().position(|&x| stops(x, b'"', b'<', b'&'));
        for len in 0..70 {
            for at in 0..=len {
                for byte in 0..=255u8 {
                    // White space and tab, line feed, carriage return around the byte.
                    let mut b: Vec<u8> = (0..len).map(|i| b" \t\r\na"[i % 5]).collect();
                    if at < len {
                        b[at] = byte;
                    }
                    assert_eq!(
                        find_stop(b'"', b'<', b'&', &b),
                        plain(&b),
                        "{len} {at} {byte}"
                    );
                }
            }
        }
        // What stops: the three, 0xEF, and controls but white space.
        let stopping: Vec<u8> = (0..=255u8)
            .filter(|&x| stops(x, b'"', b'<', b'&'))
            .collect();
        let mut expected: Vec<u8> = (0..0x20).filter(|x| ![9, 10, 13].contains(x)).collect();
        expected.extend([b'"', b'&', b'<', 0xEF]);
        assert_eq!(stopping, expected);
    }
}
