//! The media hashing core: SHA-256 (and, when asked, SM3 — GB/T 32905 — in the same pass)
//! over a stream of chunks.
//!
//! It runs inside the widget's Web Workers as a bare wasm module with no imports: JavaScript
//! copies each chunk into the buffer [`hasher_input`] returns and calls [`hasher_update`], so
//! one worker needs one small instance and no bindings glue. xtask builds it twice, as the
//! scalar module Chromium 83 loads and as a `simd128` module for browsers that validate it.
//! Natively it is an ordinary library, which is how the tests check it against NIST vectors.

mod ffi;

pub use ffi::{hasher_finish, hasher_input, hasher_start, hasher_update};

use sha2::{Digest, Sha256};
use sm3::Sm3;

/// A running hash of one file.
#[derive(Clone, Default)]
pub struct Hasher {
    sha256: Sha256,
    sm3: Option<Sm3>,
}

/// The digests of one finished file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digests {
    /// SHA-256.
    pub sha256: [u8; 32],
    /// SM3, when it was asked for.
    pub sm3: Option<[u8; 32]>,
}

impl Hasher {
    /// A fresh hash; `with_sm3` also computes SM3 over the same bytes.
    pub fn new(with_sm3: bool) -> Self {
        Hasher { sha256: Sha256::new(), sm3: with_sm3.then(Sm3::new) }
    }

    /// Feeds the next chunk of the file.
    pub fn update(&mut self, chunk: &[u8]) {
        self.sha256.update(chunk);
        if let Some(s) = self.sm3.as_mut() {
            s.update(chunk);
        }
    }

    /// The digests of everything fed so far.
    pub fn finish(self) -> Digests {
        let mut sha256 = [0u8; 32];
        sha256.copy_from_slice(&self.sha256.finalize());
        let sm3 = self.sm3.map(|s| {
            let mut out = [0u8; 32];
            out.copy_from_slice(&s.finalize());
            out
        });
        Digests { sha256, sm3 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha256_hex(chunks: &[&[u8]]) -> String {
        let mut h = Hasher::new(true);
        for c in chunks {
            h.update(c);
        }
        hex::encode(h.finish().sha256)
    }

    fn sm3_hex(data: &[u8]) -> String {
        let mut h = Hasher::new(true);
        h.update(data);
        hex::encode(h.finish().sm3.unwrap())
    }

    /// FIPS 180-2 / NIST CSRC example vectors for SHA-256.
    #[test]
    fn nist_sha256_vectors() {
        assert_eq!(sha256_hex(&[]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(sha256_hex(&[b"abc"]), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(
            sha256_hex(&[b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"]),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            sha256_hex(&[b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"]),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        );
        let million_a = vec![b'a'; 1_000_000];
        assert_eq!(sha256_hex(&[&million_a]), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    /// Chunk boundaries anywhere give the same digest as one pass.
    #[test]
    fn chunking_does_not_change_the_digest() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = sha256_hex(&[&data]);
        for cut in [0, 1, 63, 64, 65, 4096, 9_999, 10_000] {
            let (a, b) = data.split_at(cut);
            assert_eq!(sha256_hex(&[a, b]), whole, "cut at {cut}");
        }
    }

    /// GB/T 32905-2016 appendix A examples.
    #[test]
    fn gbt32905_sm3_vectors() {
        assert_eq!(sm3_hex(b"abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
        assert_eq!(sm3_hex(&b"abcd".repeat(16)), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
    }

    #[test]
    fn sm3_only_when_asked() {
        let mut h = Hasher::new(false);
        h.update(b"abc");
        assert!(h.finish().sm3.is_none());
    }

    /// The exported calls as the worker makes them.
    #[test]
    fn exports_hash_through_the_input_buffer() {
        hasher_start(1);
        for part in [&b"ab"[..], &b"c"[..]] {
            let ptr = hasher_input(part.len());
            assert!(!ptr.is_null());
            ffi::tests_write(part);
            assert_eq!(hasher_update(part.len()), 1);
        }
        let out = ffi::tests_read_output(hasher_finish());
        assert_eq!(hex::encode(&out[..32]), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(hex::encode(&out[32..]), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
        assert!(hasher_finish().is_null(), "a finished hash cannot be finished twice");
        assert_eq!(hasher_update(1), 0, "no update without a start");
    }

    /// Issue 24: a `chunkSize` too big to allocate trapped inside `hasher_input` while the
    /// input buffer was borrowed, and every later call on that worker trapped. Now it answers
    /// null, and the same instance hashes the next chunk, and the next file, correctly.
    #[test]
    fn an_impossible_buffer_is_refused_and_the_instance_keeps_working() {
        hasher_start(0);
        let ptr = hasher_input(2);
        assert!(!ptr.is_null());
        ffi::tests_write(b"ab");
        assert_eq!(hasher_update(2), 1);
        // Beyond the address space (capacity overflow), then merely more than any allocator
        // gives: both refused without a panic or an abort.
        assert!(hasher_input(usize::MAX).is_null());
        assert!(hasher_input(isize::MAX as usize).is_null());
        assert!(hasher_input(isize::MAX as usize - 4096).is_null());
        // The buffer is still usable and the hash under way is intact.
        let ptr = hasher_input(1);
        assert!(!ptr.is_null());
        ffi::tests_write(b"c");
        assert_eq!(hasher_update(1), 1);
        assert_eq!(hasher_update(usize::MAX), 0, "a length beyond the buffer is refused");
        let out = ffi::tests_read_output(hasher_finish());
        assert_eq!(hex::encode(&out[..32]), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        // And a new file on the same instance.
        hasher_start(0);
        assert!(!hasher_input(3).is_null());
        ffi::tests_write(b"abc");
        assert_eq!(hasher_update(3), 1);
        let out = ffi::tests_read_output(hasher_finish());
        assert_eq!(hex::encode(&out[..32]), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
