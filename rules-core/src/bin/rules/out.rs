//! Standard output and standard error, written so that the way they end is the user's.
//!
//! A reader that stops early (`rules check … | head -1`) is not an error: the rest of the
//! output is dropped and the command ends with its own exit code. A write that fails otherwise
//! (`> /dev/full`) is an error, reported as one, rather than the panic of `println!`.
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once the reader of standard output has gone.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to standard output with its control characters shown (see [`visible`]), and
/// flushes it, so a failure is seen here rather than lost when the program exits.
pub fn text(text: &str) -> Result<(), String> {
    raw(&visible(text))
}

/// Writes `text` to standard output as it is: JSON (which escapes what it must), an HTML
/// document, or text whose case and pack strings were passed through [`visible`] before the
/// colours were added.
pub fn raw(text: &str) -> Result<(), String> {
    if CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => {
            CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(format!("cannot write to standard output: {e}")),
    }
}

/// Writes a line to standard error. Where that fails there is nowhere left to say so, and the
/// exit code still tells: the failure is ignored.
pub fn note(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(visible(line).as_bytes()).and_then(|()| err.write_all(b"\n"));
}

/// `text` with its control characters other than line feed and tab (C0, DEL, C1, and so
/// escape sequences) written out as `\u{1b}`. Case, pack and config strings reach the terminal
/// through the CLI's text, and a terminal obeys what they hold: a case id could set the window
/// title, write the clipboard (OSC 52) or clear the screen.
pub fn visible(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.contains(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `println!` to [`text`], returning its error from the enclosing function.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::text(&format!("{}\n", format_args!($($arg)*)))?
    };
}

/// `print!` to [`text`], returning its error from the enclosing function.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::out::text(&format!($($arg)*))?
    };
}

/// `eprintln!` to [`note`].
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::out::note(&format!($($arg)*))
    };
}
