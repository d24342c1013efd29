//! Log heads signed by the platform's server (Ed25519), so a log rewritten by someone who holds
//! the file and recomputes its chain — an insider included — no longer passes.
//!
//! The case log alone is a keyless chain (see [`crate::verify_log`]): whoever holds it can
//! rewrite an entry and recompute every hash after it. When the checklist record reaches the
//! platform, its server signs the head it stores with a key the officers never hold; the
//! signature travels with the record (`log.signature`) and the exported log (`signature`). With
//! the platform's public key, [`SignedHead::verify`] (the CLI's `--key`) then shows that the
//! first `count` entries are those the platform stored: a rewrite of any of them, recomputed or
//! not, fails, as does a signature moved to another case or head.
//!
//! # What is signed
//! The bytes signed are the UTF-8 text of six lines joined by one line feed (`\n`, 0x0A), with
//! no line feed at the end:
//!
//! ```text
//! law-record-signed-head/1
//! count: <entry count, decimal, no leading zeros>
//! hash: <the last entry's hash, 64 lowercase hex digits>
//! signed_at: <YYYY-MM-DDTHH:MM:SS, Beijing time>
//! signer: <who signed, no control characters>
//! case: <the case id, to the end of the text>
//! ```
//!
//! The signature is Ed25519 (RFC 8032, pure, no prehash) over those bytes, written as 128
//! lowercase hex digits; the public key is the 32-byte Ed25519 key as 64 lowercase hex digits.
//! The case id comes last so it may hold any character without making two messages alike.
use serde::{Deserialize, Serialize};

use crate::log::{verify, LogBreak, LogEntry, LogHead};
use crate::time::Time;

/// The first line of every signed message, naming its format.
pub const SIGNED_HEAD_FORMAT: &str = "law-record-signed-head/1";

/// A log head as the platform's server signed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SignedHead {
    /// Entries covered: the first `count` of the log.
    pub count: u32,
    /// The hash of entry `count - 1` (the case's genesis hash when `count` is 0).
    pub hash: String,
    /// When the server signed it (Beijing time, `YYYY-MM-DDTHH:MM:SS`).
    #[serde(deserialize_with = "crate::log::exact_time")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::log::LogTime"))]
    pub signed_at: Time,
    /// Who signed: the platform as it names itself (no control characters).
    pub signer: String,
    /// The signer's Ed25519 public key, 64 lowercase hex digits; printed so a reader can tell
    /// which key to check with. It proves nothing by itself: check with a key obtained from the
    /// platform, never with this one.
    pub key: String,
    /// The Ed25519 signature of [`SignedHead::message`], 128 lowercase hex digits.
    pub signature: String,
}

/// Why a signed head does not stand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The log or record carries no signature.
    #[error("carries no platform signature of its log head")]
    Missing,
    /// A key, signature or signer that is not written as the format says.
    #[error("signature is malformed: {0}")]
    Malformed(String),
    /// Signed with another key than the one given.
    #[error("is signed with key {found}, not with the key given ({expected})")]
    OtherKey {
        /// The key given to check with.
        expected: String,
        /// The key the signature names.
        found: String,
    },
    /// The signature does not fit the head, case, time and signer (any of them changed) or the key.
    #[error("signature does not verify: the signed head, case, time or signer was changed, or it was not made with this key")]
    Invalid,
    /// The log does not reach the signed head: an entry up to it was rewritten, or removed.
    #[error("log does not reach the signed head: {0}")]
    Log(LogBreak),
}

impl SignatureError {
    /// What the reader is told (Chinese).
    pub fn zh(&self) -> String {
        match self {
            SignatureError::Missing => "没有平台对日志头的签名".to_owned(),
            SignatureError::Malformed(m) => format!("平台签名格式错误（{m}）"),
            SignatureError::OtherKey { expected, found } => {
                format!("签名所用公钥 {found} 不是所给的平台公钥 {expected}")
            }
            SignatureError::Invalid => {
                "平台签名不成立：签名的日志头、案件、时间或签名者被改动，或签名并非用该公钥对应的私钥所作".to_owned()
            }
            SignatureError::Log(b) => {
                format!("日志与平台签名的日志头不符：第 {} 条{}", b.index + 1, b.reason.zh())
            }
        }
    }
}

impl SignedHead {
    /// The bytes the server signs for this head of `case_id` (see the module's documentation).
    pub fn message(&self, case_id: &str) -> Vec<u8> {
        message(case_id, &LogHead { count: self.count, hash: self.hash.clone() }, self.signed_at, &self.signer)
    }

    /// The head signed, as a log head.
    pub fn head(&self) -> LogHead {
        LogHead { count: self.count, hash: self.hash.clone() }
    }

    /// Checks what can be checked without a key: the fields are written as the format says and
    /// the log of `case_id` reaches the signed head (its first `count` entries end at `hash`).
    /// A log rewritten up to the head, with the old signature kept, fails here already.
    pub fn check_log(&self, case_id: &str, entries: &[LogEntry]) -> Result<(), SignatureError> {
        self.check_form()?;
        verify(case_id, entries, Some(&self.head())).map(|_| ()).map_err(SignatureError::Log)
    }

    fn check_form(&self) -> Result<(), SignatureError> {
        let bad = |m: &str| Err(SignatureError::Malformed(m.to_owned()));
        if !is_hex(&self.hash, 64) {
            return bad("`hash` is not 64 lowercase hex digits");
        }
        if !is_hex(&self.key, 64) {
            return bad("`key` is not 64 lowercase hex digits");
        }
        if !is_hex(&self.signature, 128) {
            return bad("`signature` is not 128 lowercase hex digits");
        }
        if self.signer.is_empty() || self.signer.chars().any(char::is_control) {
            return bad("`signer` is empty or holds a control character");
        }
        Ok(())
    }
}

/// The bytes signed for `head` of `case_id`, signed at `at` by `signer`.
pub fn message(case_id: &str, head: &LogHead, at: Time, signer: &str) -> Vec<u8> {
    let mut at_text = String::with_capacity(19);
    at.write_iso(&mut at_text);
    format!(
        "{SIGNED_HEAD_FORMAT}\ncount: {}\nhash: {}\nsigned_at: {at_text}\nsigner: {signer}\ncase: {case_id}",
        head.count, head.hash
    )
    .into_bytes()
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Reads a public key given as 64 hex digits (either case; spaces and a trailing newline, as in
/// a key file, are ignored) into lowercase hex.
pub fn parse_public_key(text: &str) -> Result<String, SignatureError> {
    let key: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    if is_hex(&key, 64) {
        Ok(key)
    } else {
        Err(SignatureError::Malformed(format!(
            "a public key is 64 hex digits (the 32-byte Ed25519 key), got {} characters",
            key.chars().count()
        )))
    }
}

#[cfg(feature = "signing")]
fn bytes<const N: usize>(hex: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    if hex.len() != N * 2 {
        return None;
    }
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(feature = "signing")]
fn to_hex(b: &[u8]) -> String {
    use std::fmt::Write;
    b.iter().fold(String::with_capacity(b.len() * 2), |mut s, x| {
        let _ = write!(s, "{x:02x}");
        s
    })
}

/// The public key (64 lowercase hex digits) of a signing key given as its 32-byte seed.
#[cfg(feature = "signing")]
pub fn public_key_of(seed: &[u8; 32]) -> String {
    to_hex(ed25519_dalek::SigningKey::from_bytes(seed).verifying_key().as_bytes())
}

#[cfg(feature = "signing")]
impl SignedHead {
    /// Signs `head` of `case_id` with the key whose 32-byte seed is `seed`, as `signer` at `at`.
    /// A signer holding a control character is refused (the message keeps one field a line).
    pub fn sign(
        seed: &[u8; 32],
        case_id: &str,
        head: &LogHead,
        signer: &str,
        at: Time,
    ) -> Result<SignedHead, SignatureError> {
        use ed25519_dalek::Signer;
        let key = ed25519_dalek::SigningKey::from_bytes(seed);
        let mut s = SignedHead {
            count: head.count,
            hash: head.hash.clone(),
            signed_at: at,
            signer: signer.to_owned(),
            key: to_hex(key.verifying_key().as_bytes()),
            signature: String::new(),
        };
        // The form is checked with a placeholder of the signature's shape, before signing.
        s.signature = "0".repeat(128);
        s.check_form()?;
        s.signature = to_hex(&key.sign(&s.message(case_id)).to_bytes());
        Ok(s)
    }

    /// Checks the signature with `key` (64 hex digits, obtained from the platform), and that the
    /// log of `case_id` reaches the signed head. A pass shows that the first `count` entries
    /// are those the holder of the private key signed.
    pub fn verify(&self, case_id: &str, entries: &[LogEntry], key: &str) -> Result<(), SignatureError> {
        let key = parse_public_key(key)?;
        self.check_form()?;
        if self.key != key {
            return Err(SignatureError::OtherKey { expected: key, found: self.key.clone() });
        }
        let malformed = || SignatureError::Malformed("not hex".to_owned());
        let public = bytes::<32>(&key).ok_or_else(malformed)?;
        let public = ed25519_dalek::VerifyingKey::from_bytes(&public)
            .map_err(|_| SignatureError::Malformed("the key is not an Ed25519 public key".to_owned()))?;
        let signature = ed25519_dalek::Signature::from_bytes(&bytes::<64>(&self.signature).ok_or_else(malformed)?);
        // Strict: refuses the malleable and small-order forms plain verification lets through.
        public.verify_strict(&self.message(case_id), &signature).map_err(|_| SignatureError::Invalid)?;
        verify(case_id, entries, Some(&self.head())).map(|_| ()).map_err(SignatureError::Log)
    }
}

/// Of two signatures of one log (two copies joined), the one to keep: the one covering more
/// entries, then the later; `ours` on a tie.
pub(crate) fn later<'a>(ours: Option<&'a SignedHead>, theirs: Option<&'a SignedHead>) -> Option<&'a SignedHead> {
    match (ours, theirs) {
        (Some(a), Some(b)) => Some(if (b.count, b.signed_at) > (a.count, a.signed_at) { b } else { a }),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
#[cfg(feature = "signing")]
mod tests;
