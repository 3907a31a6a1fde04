//! Byte-level encodings: BOM detection, UTF-8 / UTF-16 decoding and encoding back, the
//! single-byte encodings an XML declaration names (`windows-1252`, `iso-8859-1`, and the others
//! .NET reads, through encoding_rs), and the check that a declaration does not contradict the
//! bytes.
//!
//! The rest of `doc` works on the decoded UTF-8 text; `Encoding` remembers how to turn that text
//! back into exactly the bytes it came from.

use super::text::{Raw, Text};
use super::DocError;

/// How a document's bytes encode its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8 {
        /// The file starts with EF BB BF.
        bom: bool,
    },
    /// UTF-16 little-endian with a BOM.
    Utf16Le,
    /// UTF-16 big-endian with a BOM.
    Utf16Be,
    /// ISO-8859-1 as .NET reads it (`Latin1Encoding`): every byte is the code point of its value.
    Latin1,
    /// US-ASCII: bytes below 0x80 only.
    Ascii,
    /// Another single-byte encoding named by the declaration (windows-1250..1258, ISO-8859-2..16,
    /// KOI8, ...), as encoding_rs decodes and encodes it (every byte round-trips).
    SingleByte(&'static encoding_rs::Encoding),
}

impl Encoding {
    /// Number of bytes the BOM takes at the start of the file.
    pub fn bom_len(self) -> usize {
        match self {
            Encoding::Utf8 { bom: true } => 3,
            Encoding::Utf8 { bom: false } => 0,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
            Encoding::Latin1 | Encoding::Ascii | Encoding::SingleByte(_) => 0,
        }
    }

    /// A short human name, as used in messages.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 { bom: true } => "UTF-8 with BOM",
            Encoding::Utf8 { bom: false } => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Latin1 => "ISO-8859-1",
            Encoding::Ascii => "US-ASCII",
            Encoding::SingleByte(e) => e.name(),
        }
    }

    /// Whether every character takes one byte (a text offset counts characters).
    pub fn single_byte(self) -> bool {
        matches!(
            self,
            Encoding::Latin1 | Encoding::Ascii | Encoding::SingleByte(_)
        )
    }

    /// The first character of `text` this encoding cannot hold, if any.
    pub fn unencodable(self, text: &str) -> Option<char> {
        match self {
            Encoding::Utf8 { .. } | Encoding::Utf16Le | Encoding::Utf16Be => None,
            Encoding::Latin1 => text.chars().find(|&c| c as u32 > 0xFF),
            Encoding::Ascii => text.chars().find(|c| !c.is_ascii()),
            Encoding::SingleByte(e) => {
                if text.is_ascii() {
                    return None;
                }
                text.chars().find(|&c| {
                    let mut buf = [0u8; 4];
                    let (_, _, unmappable) = e.encode(c.encode_utf8(&mut buf));
                    unmappable
                })
            }
        }
    }

    /// Encode `text` in this encoding, BOM included.
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 { bom } => {
                let mut out = Vec::with_capacity(text.len() + 3);
                if bom {
                    out.extend_from_slice(b"\xEF\xBB\xBF");
                }
                out.extend_from_slice(text.as_bytes());
                out
            }
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let le = self == Encoding::Utf16Le;
                let mut out = Vec::with_capacity(text.len() * 2 + 2);
                out.extend_from_slice(if le { b"\xFF\xFE" } else { b"\xFE\xFF" });
                for unit in text.encode_utf16() {
                    out.extend_from_slice(&if le {
                        unit.to_le_bytes()
                    } else {
                        unit.to_be_bytes()
                    });
                }
                out
            }
            // Characters the encoding cannot hold are refused before a write (`unencodable`);
            // here they could only come from a caller that did not ask.
            Encoding::Latin1 => text
                .chars()
                .map(|c| u8::try_from(c as u32).unwrap_or(b'?'))
                .collect(),
            Encoding::Ascii => text
                .chars()
                .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
                .collect(),
            Encoding::SingleByte(e) => e.encode(text).0.into_owned(),
        }
    }
}

/// The single-byte encoding a declaration names, if it names one: ISO-8859-1 and US-ASCII as
/// .NET reads them, the others through encoding_rs's labels.
pub(super) fn single_byte_named(label: &str) -> Option<Encoding> {
    let l = label.trim().to_ascii_lowercase();
    match l.as_str() {
        "iso-8859-1" | "iso_8859-1" | "iso8859-1" | "latin1" | "l1" | "cp819" | "ibm819"
        | "iso-ir-100" => return Some(Encoding::Latin1),
        "us-ascii" | "ascii" | "us" | "iso646-us" => return Some(Encoding::Ascii),
        _ => {}
    }
    let e = encoding_rs::Encoding::for_label(l.as_bytes())?;
    (e.is_single_byte() && e != encoding_rs::UTF_8).then_some(Encoding::SingleByte(e))
}

/// The encoding a declaration at the start of `bytes` names (the declaration is ASCII in every
/// encoding it may name).
fn declared_in_bytes(bytes: &[u8]) -> Option<&str> {
    if !bytes.starts_with(b"<?xml") {
        return None;
    }
    let end = memchr::memmem::find(&bytes[..bytes.len().min(1024)], b"?>")?;
    let decl = std::str::from_utf8(&bytes[..end + 2]).ok()?;
    let text_end = decl.len();
    declared_encoding(&decl[..text_end])
}

/// Decode bytes in a single-byte encoding; a byte it has no character for is an error naming the
/// declaration.
fn decode_single_byte(bytes: &[u8], enc: Encoding) -> Result<String, DocError> {
    let lacking = |at: usize, label: &str| {
        let (line, column) = super::line_col_bytes(bytes, at);
        DocError {
            offset: at,
            line,
            column,
            message: format!(
                "the XML declaration says encoding=\"{label}\" but byte 0x{:02X} at offset {at} has no character in it",
                bytes[at]
            ),
        }
    };
    match enc {
        Encoding::Latin1 => Ok(bytes.iter().map(|&b| b as char).collect()),
        Encoding::Ascii => match bytes.iter().position(|b| !b.is_ascii()) {
            None => Ok(String::from_utf8_lossy(bytes).into_owned()),
            Some(at) => Err(lacking(at, "us-ascii")),
        },
        Encoding::SingleByte(e) => {
            let (text, bad) = e.decode_without_bom_handling(bytes);
            if !bad {
                return Ok(text.into_owned());
            }
            let at = bytes
                .iter()
                .position(|&b| {
                    e.decode_without_bom_handling_and_without_replacement(&[b])
                        .is_none()
                })
                .unwrap_or(0);
            Err(lacking(at, e.name()))
        }
        _ => unreachable!("a single-byte encoding"),
    }
}

/// Decode a file's bytes into text, taking ownership so that UTF-8 needs no copy.
pub fn decode(mut bytes: Vec<u8>) -> Result<(Encoding, String), DocError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let le = bytes[0] == 0xFF;
        let body = &bytes[2..];
        let whole = body.len() / 2 * 2;
        let units = body[..whole].chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        // Errors are located after the text decoded so far: line, column and byte offset.
        let located = |text: &str, offset: usize, message: &str| {
            let (line, column) = super::line_col(text, text.len());
            DocError {
                offset,
                line,
                column,
                message: message.into(),
            }
        };
        let mut text = String::with_capacity(whole / 2);
        let mut unit = 0usize;
        for ch in char::decode_utf16(units) {
            match ch {
                Ok(c) => {
                    unit += c.len_utf16();
                    text.push(c);
                }
                Err(_) => {
                    return Err(located(
                        &text,
                        2 + unit * 2,
                        "invalid UTF-16: unpaired surrogate",
                    ))
                }
            }
        }
        if whole != body.len() {
            return Err(located(
                &text,
                bytes.len() - 1,
                "truncated UTF-16: the file has an odd number of bytes",
            ));
        }
        let enc = if le {
            Encoding::Utf16Le
        } else {
            Encoding::Utf16Be
        };
        check_declaration(&text, enc)?;
        return Ok((enc, text));
    }
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    if !bom {
        if let Some(enc) = declared_in_bytes(&bytes).and_then(single_byte_named) {
            let text = decode_single_byte(&bytes, enc)?;
            return Ok((enc, text));
        }
    }
    if bom {
        bytes.drain(..3);
    }
    if let Some(e) = utf16_without_bom(&bytes) {
        return Err(e);
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let enc = Encoding::Utf8 { bom };
            check_declaration(&text, enc)?;
            Ok((enc, text))
        }
        Err(e) => Err(utf8_error(e.as_bytes(), e.utf8_error().valid_up_to(), bom)),
    }
}

/// Decode bytes read or mapped from a file. Mapped UTF-8 stays mapped (checked, not copied).
pub fn decode_raw(raw: Raw) -> Result<(Encoding, Text), DocError> {
    match raw {
        Raw::Read(bytes) => decode(bytes).map(|(enc, text)| (enc, Text::from(text))),
        #[cfg(unix)]
        Raw::Mapped(map, backing) => {
            if map.starts_with(b"\xFF\xFE")
                || map.starts_with(b"\xFE\xFF")
                || declared_in_bytes(&map)
                    .and_then(single_byte_named)
                    .is_some()
            {
                return decode(map.to_vec()).map(|(enc, text)| (enc, Text::from(text)));
            }
            let bom = map.starts_with(b"\xEF\xBB\xBF");
            let shift = if bom { 3 } else { 0 };
            let body = &map[shift..];
            if let Some(e) = utf16_without_bom(body) {
                return Err(e);
            }
            // The file stays mapped and will be copied as it is: its new file can be begun
            // now, while it is checked and scanned.
            let (file, prewrite) = match backing {
                Some(super::text::Backing { file, prepare }) => {
                    let pre = prepare.and_then(|target| {
                        super::prewrite::Prewrite::start(&target, &file, map.len())
                    });
                    (Some(file), pre)
                }
                None => (None, None),
            };
            if !utf8_in_parts(body) {
                if let Err(e) = std::str::from_utf8(body) {
                    return Err(utf8_error(body, e.valid_up_to(), bom));
                }
            }
            // SAFETY: checked just above, in two parts or whole.
            let text = unsafe { std::str::from_utf8_unchecked(body) };
            let enc = Encoding::Utf8 { bom };
            check_declaration(text, enc)?;
            Ok((enc, Text::mapped(map, shift, file, prewrite)))
        }
    }
}

/// Whether a large `body` is UTF-8, checked in two halves at once (split before an ASCII byte,
/// which is always a character boundary). False when it is small or either half is not: the
/// caller checks it whole, which also finds where it goes wrong.
#[cfg(unix)]
fn utf8_in_parts(body: &[u8]) -> bool {
    if body.len() < 1 << 20 || crate::par::threads() < 2 {
        return false;
    }
    let Some(at) = body[body.len() / 2..]
        .iter()
        .position(|&b| b < 0x80)
        .map(|i| body.len() / 2 + i)
    else {
        return false;
    };
    let (first, second) = body.split_at(at);
    std::thread::scope(|scope| {
        let h = scope.spawn(|| simdutf8::basic::from_utf8(second).is_ok());
        let ok = simdutf8::basic::from_utf8(first).is_ok();
        h.join().unwrap_or(false) && ok
    })
}

/// A UTF-16 file without a BOM shows NULs between ASCII characters; say so plainly.
fn utf16_without_bom(bytes: &[u8]) -> Option<DocError> {
    (bytes.len() >= 4
        && (bytes[0] == 0 || bytes[1] == 0)
        && (bytes.starts_with(b"<\0") || bytes.starts_with(b"\0<")))
    .then(|| DocError {
        offset: 0,
        line: 1,
        column: 1,
        message:
            "the file looks like UTF-16 without a byte-order mark; save it with a BOM or as UTF-8"
                .into(),
    })
}

/// Invalid UTF-8 at `at` of `body` (the bytes after any BOM).
fn utf8_error(body: &[u8], at: usize, bom: bool) -> DocError {
    let shift = if bom { 3 } else { 0 };
    let (line, column) = super::line_col_bytes(body, at);
    DocError {
        offset: at + shift,
        line,
        column,
        message: format!("invalid UTF-8 at byte offset {}", at + shift),
    }
}

/// The `encoding` pseudo-attribute of a leading XML declaration, if any.
pub fn declared_encoding(text: &str) -> Option<&str> {
    if !text.starts_with("<?xml") {
        return None;
    }
    // Byte searches: every walked file has a declaration, and a string searcher's set-up
    // costs more than looking through forty bytes.
    let b = text.as_bytes();
    let mut from = 0;
    let end = loop {
        let q = from + memchr::memchr(b'?', &b[from..])?;
        if b.get(q + 1) == Some(&b'>') {
            break q;
        }
        from = q + 1;
    };
    let decl = &text[..end];
    let at = decl
        .as_bytes()
        .windows("encoding".len())
        .position(|w| w == b"encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let body = &rest[1..];
    let close = body.find(quote)?;
    Some(&body[..close])
}

/// Refuse a declaration that names an encoding the bytes are not in.
fn check_declaration(text: &str, enc: Encoding) -> Result<(), DocError> {
    let Some(declared) = declared_encoding(text) else {
        return Ok(());
    };
    let is = |names: &[&str]| names.iter().any(|n| declared.eq_ignore_ascii_case(n));
    let ok = match enc {
        Encoding::Utf8 { .. } => {
            is(&["utf-8", "utf8"])
                // Single-byte declarations read pure ASCII identically.
                || (is(&["us-ascii", "ascii", "iso-8859-1", "latin1", "windows-1252"])
                    && text.is_ascii())
        }
        Encoding::Utf16Le | Encoding::Utf16Be => is(&["utf-16", "utf-16le", "utf-16be", "unicode"]),
        // Read in the encoding the declaration names.
        Encoding::Latin1 | Encoding::Ascii | Encoding::SingleByte(_) => true,
    };
    if ok {
        return Ok(());
    }
    let offset = text.find(declared).unwrap_or(0);
    Err(DocError::in_text(
        text,
        offset,
        format!(
            "the XML declaration says encoding=\"{declared}\" but the file is {}",
            enc.label()
        ),
    ))
}
