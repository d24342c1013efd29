//! The exports the worker calls. One worker hashes one file at a time, so the state is one
//! hash per instance.
//!
//! `#[no_mangle]` is what the `unsafe_code` lint objects to here; the module holds no other
//! unsafe code: JavaScript writes into a buffer Rust owns and Rust only reads it as a slice.
#![allow(unsafe_code)]

use std::cell::RefCell;

use crate::Hasher;

thread_local! {
    static STATE: RefCell<Option<Hasher>> = const { RefCell::new(None) };
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static OUTPUT: RefCell<[u8; 64]> = const { RefCell::new([0; 64]) };
}

/// Starts a new hash (dropping any unfinished one); `sm3` non-zero also computes SM3.
#[no_mangle]
pub extern "C" fn hasher_start(sm3: u32) {
    STATE.with(|s| *s.borrow_mut() = Some(Hasher::new(sm3 != 0)));
}

/// Where the caller writes the next chunk of up to `len` bytes (the buffer grows to fit), or
/// null when a buffer of `len` bytes cannot be had (a huge `chunkSize`): the caller reports
/// that and may call again with less. The buffer is grown with a fallible reservation, so a
/// failed allocation never traps while the buffer is borrowed — a trap there left the
/// `RefCell` borrowed for good and every later call on the worker trapped too.
#[no_mangle]
pub extern "C" fn hasher_input(len: usize) -> *mut u8 {
    INPUT.with(|b| {
        let Ok(mut b) = b.try_borrow_mut() else { return std::ptr::null_mut() };
        if b.len() < len {
            let more = len - b.len();
            if b.try_reserve_exact(more).is_err() {
                return std::ptr::null_mut();
            }
            b.resize(len, 0);
        }
        b.as_mut_ptr()
    })
}

/// Hashes the first `len` bytes of the input buffer. Returns 1, or 0 when no hash is started
/// or `len` exceeds the buffer.
#[no_mangle]
pub extern "C" fn hasher_update(len: usize) -> u32 {
    INPUT.with(|b| {
        let Ok(b) = b.try_borrow() else { return 0 };
        let Some(chunk) = b.get(..len) else { return 0 };
        STATE.with(|s| match s.try_borrow_mut().as_deref_mut() {
            Ok(Some(h)) => {
                h.update(chunk);
                1
            }
            _ => 0,
        })
    })
}

/// Finishes the hash: a pointer to 64 bytes, SHA-256 then SM3 (zeros without SM3), or null
/// when no hash is started.
#[no_mangle]
pub extern "C" fn hasher_finish() -> *const u8 {
    let Some(h) = STATE.with(|s| s.borrow_mut().take()) else { return std::ptr::null() };
    let d = h.finish();
    OUTPUT.with(|o| {
        let mut o = o.borrow_mut();
        let (sha, sm3) = o.split_at_mut(32);
        sha.copy_from_slice(&d.sha256);
        sm3.copy_from_slice(&d.sm3.unwrap_or([0; 32]));
        o.as_ptr()
    })
}

/// Test access to the buffers, standing in for the JavaScript side.
#[cfg(test)]
pub(crate) fn tests_write(part: &[u8]) {
    INPUT.with(|b| b.borrow_mut()[..part.len()].copy_from_slice(part));
}

/// Test access to the output the pointer names.
#[cfg(test)]
pub(crate) fn tests_read_output(ptr: *const u8) -> Vec<u8> {
    assert_eq!(ptr, OUTPUT.with(|o| o.borrow().as_ptr()));
    OUTPUT.with(|o| o.borrow().to_vec())
}
