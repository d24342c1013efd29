//! Item keys, `rule@target`, kept in their report's text buffer.
use super::text::{at, sealed, SharedTexts, Span, Texts, NO_TEXTS};

/// An item key, `rule@target`: stable across evaluations; acknowledgments refer to it. Reads as
/// a `&str` (it derefs to one); its text is kept in its report's shared buffer.
#[derive(Clone)]
pub struct Key {
    shared: SharedTexts,
    span: Span,
    /// Where the rule id ends (at the `@`).
    rule_end: u32,
}

impl Key {
    pub(crate) fn new(shared: SharedTexts, span: Span, rule_len: usize) -> Self {
        let rule_end = span.start().saturating_add(at(rule_len)).min(span.end());
        Key { shared, span, rule_end }
    }

    /// The report's texts (empty only while the evaluation is still writing them).
    pub(super) fn texts(&self) -> &Texts {
        self.shared.get().unwrap_or(&NO_TEXTS)
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        self.texts().read(self.span)
    }

    /// The rule part (before the first `@`).
    pub fn rule(&self) -> &str {
        self.texts().read(Span::new(self.span.start(), self.rule_end))
    }

    /// The target part (after the first `@`).
    pub fn target(&self) -> &str {
        self.texts().read(Span::new(self.rule_end.saturating_add(1).min(self.span.end()), self.span.end()))
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Self {
        let mut texts = Texts::default();
        let span = texts.say(format_args!("{s}"));
        let rule_len = s.find('@').unwrap_or(s.len());
        Key::new(sealed(texts), span, rule_len)
    }
}

impl std::ops::Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Key {}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}
