//! Text into HTML: the five characters that could open markup or end an attribute, and the
//! control characters HTML has no place for.
use std::fmt;

/// Displays its text with `& < > " '` escaped, for element content and quoted attributes, and
/// control characters other than newline and tab written visibly as `\u{1b}`: HTML calls them
/// parse errors, a browser shows them as nothing, and a case id holding one would read on the
/// printed 核查表 as another id.
pub(crate) struct Esc<'a>(pub &'a str);

fn special(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '"' | '\'') || (c.is_control() && c != '\n' && c != '\t')
}

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(special) {
            let (plain, tail) = rest.split_at(i);
            f.write_str(plain)?;
            let mut chars = tail.chars();
            match chars.next() {
                Some('&') => f.write_str("&amp;")?,
                Some('<') => f.write_str("&lt;")?,
                Some('>') => f.write_str("&gt;")?,
                Some('"') => f.write_str("&quot;")?,
                Some('\'') => f.write_str("&#39;")?,
                Some(c) => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                None => {}
            }
            rest = chars.as_str();
        }
        f.write_str(rest)
    }
}
