//! The one text buffer a report's items and findings share, the places in it, and the lists
//! read from it.
use std::sync::{Arc, OnceLock};

use crate::time::Time;

/// Where a piece of a report's text sits in its [`Texts`] buffer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Span(u64);

/// A list of pieces of text: a run of [`Texts::spans`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Run(u64);

/// The two ends of a [`Span`] or a [`Run`], kept in one `u64`: items are assembled from spans
/// and runs and copied into the report, and an end pair stored as two halves, then read whole
/// (as the copy does), waited for the halves to reach memory, on every item.
macro_rules! packed_ends {
    ($t:ident) => {
        impl $t {
            pub(super) fn new(start: u32, end: u32) -> Self {
                $t(u64::from(start) | (u64::from(end) << 32))
            }

            pub(super) fn start(self) -> u32 {
                (self.0 & 0xffff_ffff) as u32
            }

            pub(super) fn end(self) -> u32 {
                (self.0 >> 32) as u32
            }
        }
    };
}
packed_ends!(Span);
packed_ends!(Run);

impl Span {
    pub(super) fn is_empty(self) -> bool {
        self.start() >= self.end()
    }
}

pub(super) fn at(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// All the text of one report's items and findings in one buffer, shared by them: a checklist
/// has hundreds of items, and a string of its own for each key, detail and list entry was most
/// of the cost of an evaluation.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    /// UTF-8, written only from `&str`s and whole copies of earlier pieces (bytes rather than a
    /// `String` for `Vec::extend_from_within`, which `String` lacks before Rust 1.87).
    text: Vec<u8>,
    /// The entries of the items' lists, each list a run of consecutive spans.
    spans: Vec<Span>,
    /// Fixed texts already written, by address and length (see [`Texts::fixed`]).
    fixed: Vec<((usize, usize), Span)>,
    /// The last times written (see [`Texts::time`]), and the slot the next one replaces.
    times: Vec<(Time, Span)>,
    next_time: usize,
    /// The whole buffer as checked UTF-8, made on the first read of a finished report: reading
    /// it piece by piece would check each piece on every read, and a report's JSON reads every
    /// piece, some several times (a quarter of writing the JSON went to those checks).
    checked: OnceLock<String>,
}

/// How many recent times [`Texts::time`] remembers.
const RECENT_TIMES: usize = 4;

impl Texts {
    pub(crate) fn with_capacity(bytes: usize, entries: usize) -> Self {
        Texts {
            text: Vec::with_capacity(bytes),
            spans: Vec::with_capacity(entries),
            fixed: Vec::new(),
            times: Vec::with_capacity(RECENT_TIMES),
            next_time: 0,
            checked: OnceLock::new(),
        }
    }

    /// Text being written (while the evaluation still writes): checked piece by piece.
    pub(crate) fn get(&self, s: Span) -> &str {
        self.text
            .get(s.start() as usize..s.end() as usize)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    /// Text of a finished report: the buffer is checked once, on the first read. Only for texts
    /// no longer written (those behind a report's [`SharedTexts`]).
    pub(super) fn read(&self, s: Span) -> &str {
        // Written only from `&str`s, the buffer is always UTF-8; the empty text if it were not.
        let all = self.checked.get_or_init(|| std::str::from_utf8(&self.text).map(str::to_owned).unwrap_or_default());
        all.get(s.start() as usize..s.end() as usize).unwrap_or_default()
    }

    /// Where the next text written starts.
    pub(crate) fn mark(&self) -> u32 {
        at(self.text.len())
    }

    /// The text written since `mark`.
    pub(crate) fn since(&self, mark: u32) -> Span {
        Span::new(mark, self.mark())
    }

    pub(crate) fn push_str(&mut self, s: &str) {
        self.text.extend_from_slice(s.as_bytes());
    }

    pub(crate) fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    /// Writes a time as its [`Display`](std::fmt::Display) form does. A case's times repeat
    /// (the same moments appear in many items' details), so the last few written are copied
    /// rather than formatted again.
    pub(crate) fn time(&mut self, t: Time) {
        if let Some(s) = self.times.iter().find(|(x, _)| *x == t).map(|(_, s)| *s) {
            return self.copy(s);
        }
        let mark = self.mark();
        t.write_bytes(&mut self.text);
        let span = self.since(mark);
        if self.times.len() < RECENT_TIMES {
            self.times.push((t, span));
        } else if let Some(slot) = self.times.get_mut(self.next_time % RECENT_TIMES) {
            *slot = (t, span);
        }
        self.next_time = self.next_time.wrapping_add(1);
    }

    /// Writes a due time as its [`Display`](std::fmt::Display) form does.
    /// Writes a time with its seconds (`YYYY-MM-DD HH:MM:SS`), where they decide a verdict.
    pub(crate) fn time_seconds(&mut self, t: Time) {
        use std::io::Write;
        let _ = write!(self.text, "{}", t.seconds());
    }

    pub(crate) fn due(&mut self, d: crate::period::Due) {
        d.write_bytes(&mut self.text);
    }

    /// Writes a period as [`Period::zh`](crate::period::Period::zh) does.
    pub(crate) fn period(&mut self, p: crate::period::Period) {
        p.write_zh_bytes(&mut self.text);
    }

    /// Writes a number in decimal.
    pub(crate) fn number(&mut self, n: usize) {
        crate::period::push_u32(&mut self.text, u32::try_from(n).unwrap_or(u32::MAX));
    }

    /// Writes a fixed text once per report however many items say it, and returns where.
    pub(crate) fn fixed(&mut self, s: &'static str) -> Span {
        // Few fixed texts exist (a handful of "not applicable" reasons): a short list by address.
        let id = (s.as_ptr() as usize, s.len());
        if let Some((_, span)) = self.fixed.iter().find(|(a, _)| *a == id) {
            return *span;
        }
        let mark = self.mark();
        self.push_str(s);
        let span = self.since(mark);
        self.fixed.push((id, span));
        span
    }

    /// Writes `args` and returns where.
    pub(crate) fn say(&mut self, args: std::fmt::Arguments<'_>) -> Span {
        let mark = self.mark();
        let _ = std::fmt::Write::write_fmt(self, args);
        self.since(mark)
    }

    /// Writes a copy of text already written (e.g. a detail into a finding's message).
    pub(crate) fn copy(&mut self, s: Span) {
        if let Some(r) =
            self.text.get(s.start() as usize..s.end() as usize).map(|_| s.start() as usize..s.end() as usize)
        {
            self.text.extend_from_within(r);
        }
    }

    /// Drops what was written since `mark` and the list entries since `list_mark`.
    pub(crate) fn truncate(&mut self, mark: u32, list_mark: u32) {
        self.text.truncate(mark as usize);
        self.spans.truncate(list_mark as usize);
        // Remembered texts written since are gone too.
        self.fixed.retain(|(_, s)| s.end() <= mark);
        self.times.retain(|(_, s)| s.end() <= mark);
    }

    /// Where the next list entry goes.
    pub(crate) fn list_mark(&self) -> u32 {
        at(self.spans.len())
    }

    /// The list entries added since `mark`.
    pub(crate) fn list_since(&self, mark: u32) -> Run {
        Run::new(mark, at(self.spans.len()))
    }

    /// Adds text already written as the next list entry.
    pub(crate) fn add_entry(&mut self, s: Span) {
        self.spans.push(s);
    }

    /// Adds `args` as the next list entry.
    pub(crate) fn entry(&mut self, args: std::fmt::Arguments<'_>) -> Span {
        let s = self.say(args);
        self.spans.push(s);
        s
    }

    fn run(&self, r: Run) -> &[Span] {
        self.spans.get(r.start() as usize..r.end() as usize).unwrap_or_default()
    }
}

impl std::fmt::Write for Texts {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

/// A report's texts, shared by its items, findings and gate keys. The items are made while the
/// texts are still being written, each taking its share then; the texts are set once, when the
/// evaluation has written them all.
pub(crate) type SharedTexts = Arc<OnceLock<Texts>>;

/// Shares texts already complete.
pub(crate) fn sealed(t: Texts) -> SharedTexts {
    Arc::new(OnceLock::from(t))
}

/// The texts of a report still being evaluated: none.
pub(super) static NO_TEXTS: Texts = Texts {
    text: Vec::new(),
    spans: Vec::new(),
    fixed: Vec::new(),
    times: Vec::new(),
    next_time: 0,
    checked: OnceLock::new(),
};

/// Entries of an item's list (`satisfied_by`, `missing`).
#[derive(Clone, Copy)]
pub struct List<'a> {
    texts: &'a Texts,
    spans: &'a [Span],
}

impl<'a> List<'a> {
    /// The entries of `run`.
    pub(super) fn new(texts: &'a Texts, run: Run) -> Self {
        List { texts, spans: texts.run(run) }
    }

    /// The entries.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'a str> + DoubleEndedIterator + Clone + 'a {
        let texts = self.texts;
        self.spans.iter().map(move |s| texts.read(*s))
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The entries joined by `sep`.
    pub fn join(&self, sep: &str) -> String {
        let mut s = String::new();
        for (i, e) in self.iter().enumerate() {
            if i > 0 {
                s.push_str(sep);
            }
            s.push_str(e);
        }
        s
    }

    /// The entries as owned strings.
    pub fn to_vec(self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }
}

impl<'a> IntoIterator for List<'a> {
    type Item = &'a str;
    type IntoIter = Box<dyn Iterator<Item = &'a str> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl std::fmt::Debug for List<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
