//! Where in a text a problem is, for error messages: line and column, counted as an editor
//! counts them (from 1, columns in characters).

/// The line and column (both from 1, the column in characters) of byte `at` of `text`; an
/// offset inside a character or past the end counts up to it.
pub(crate) fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.as_bytes().get(..at).unwrap_or(text.as_bytes());
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    // Every byte that does not continue a UTF-8 sequence starts a character.
    let column = before.get(line_start..).unwrap_or_default().iter().filter(|b| (**b & 0xC0) != 0x80).count() + 1;
    (line, column)
}

/// `line L, column C` of byte `at` of `text`.
pub(crate) fn describe(text: &str, at: usize) -> String {
    let (line, column) = line_col(text, at);
    format!("line {line}, column {column}")
}

/// Where a TOML error is and what it says: the key path when one is known, else the line and
/// column (`line 3, column 5`, where `(root)` was said before); with a path, the message
/// starts with the line and column (`line 117, column 12: unknown variant …`).
#[cfg(feature = "authoring")]
pub(crate) fn toml_error(text: &str, e: &toml::de::Error, path: Option<String>) -> (String, String) {
    let path = path.filter(|p| !p.is_empty() && p != ".");
    let at = e.span().map(|s| describe(text, s.start));
    match (path, at) {
        (Some(p), Some(at)) => (p, format!("{at}: {}", e.message())),
        (None, Some(at)) => (at, e.message().to_owned()),
        (Some(p), None) => (p, e.message().to_owned()),
        (None, None) => ("(root)".to_owned(), e.message().to_owned()),
    }
}

/// Bytes read from a file as text, or why not: the byte offset of the first byte that is not
/// UTF-8, with its line and column, so that a file saved in GBK by a spreadsheet program can be
/// found and fixed (`not UTF-8 at byte 1234 (line 12, column 7)`).
pub fn utf8_text(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(e.as_bytes().get(..at).unwrap_or_default()).unwrap_or_default();
        format!("not UTF-8 at byte {at} ({}); save the file as UTF-8", describe(valid, at))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters_from_one() {
        let t = "ab\n规则包 = x\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 2), (1, 3));
        assert_eq!(line_col(t, 3), (2, 1));
        // After 「规则包 」: four characters, ten bytes.
        assert_eq!(line_col(t, 13), (2, 5));
        assert_eq!(line_col(t, 999), (3, 1));
    }

    #[test]
    fn bad_utf8_names_its_byte_line_and_column() {
        let mut bytes = "{\n  \"id\": \"案".as_bytes().to_vec();
        bytes.extend_from_slice(&[0xB0, 0xB8]); // 「案」 in GBK
        assert_eq!(utf8_text(bytes).unwrap_err(), "not UTF-8 at byte 14 (line 2, column 11); save the file as UTF-8");
        assert_eq!(utf8_text(b"ok".to_vec()).unwrap(), "ok");
    }
}
