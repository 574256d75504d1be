//! Buffers that the evaluations of one compiled ruleset borrow and give back
//! (issue 14, Performance; docs/performance.md, "Calling through the
//! bindings"): the facts read out of Java, the evaluation JSON written
//! before it is copied into a Java `byte[]` or `String`, and its UTF-16 form.
//!
//! Allocating those afresh on every call cost the Java binding more than its
//! copies: the JSON grows by doubling to a 64 KiB block for a county-month's
//! 37 KB, and freeing a block of 64 KiB or more makes glibc consolidate its
//! whole heap (about 5 µs, 1.3% of the call). A pool, not one buffer behind a
//! lock: the lock is held only to take a buffer or to give it back, never
//! while evaluating, so concurrent calls never wait for one another; a call
//! that finds the pool empty allocates its own, which joins the pool when
//! given back. At most [`KEEP`] buffers of at most [`KEEP_BYTES`] each are
//! kept, so a handle never holds more than 16 MiB of each kind (a province's
//! result is freed as before). The pool belongs to the handle: nothing is
//! global, and closing the ruleset frees it.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;

/// The most buffers a pool keeps (calls running at once beyond this allocate
/// and free their own, as every call did before).
pub const KEEP: usize = 16;

/// The largest buffer kept, in bytes; a larger one is freed when given back.
pub const KEEP_BYTES: usize = 1 << 20;

/// Free buffers of `T`, lent one per [`Pool::lend`].
#[derive(Debug, Default)]
pub struct Pool<T> {
    free: Mutex<Vec<Vec<T>>>,
}

impl<T> Pool<T> {
    /// A buffer from the pool, or a new empty one; its content is whatever its
    /// last borrower left (the borrower clears or overwrites it). It goes
    /// back to the pool when the [`Lent`] is dropped.
    pub fn lend(&self) -> Lent<'_, T> {
        // A poisoned lock (a panic while pushing or popping, which cannot
        // happen) only means no reuse.
        let buffer = self
            .free
            .lock()
            .ok()
            .and_then(|mut free| free.pop())
            .unwrap_or_default();
        Lent { pool: self, buffer }
    }

    /// Keeps `buffer` for a later call if it is small enough and the pool
    /// has room; frees it (outside the lock) otherwise.
    fn give_back(&self, buffer: Vec<T>) {
        if buffer.capacity().saturating_mul(std::mem::size_of::<T>()) > KEEP_BYTES {
            return;
        }
        let refused = match self.free.lock() {
            Ok(mut free) if free.len() < KEEP => {
                free.push(buffer);
                None
            }
            _ => Some(buffer),
        };
        drop(refused);
    }

    /// How many buffers the pool holds (for tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.free.lock().map(|free| free.len()).unwrap_or(0)
    }
}

/// A buffer lent by a [`Pool`]; a `Vec<T>` to use, given back on drop.
#[derive(Debug)]
pub struct Lent<'a, T> {
    pool: &'a Pool<T>,
    buffer: Vec<T>,
}

impl<T> Deref for Lent<'_, T> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        &self.buffer
    }
}

impl<T> DerefMut for Lent<'_, T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.buffer
    }
}

impl<T> Drop for Lent<'_, T> {
    fn drop(&mut self) {
        self.pool.give_back(std::mem::take(&mut self.buffer));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffer_given_back_is_lent_again_with_its_capacity() {
        let pool = Pool::<u8>::default();
        {
            let mut a = pool.lend();
            a.extend_from_slice(&[1; 40_000]);
        }
        assert_eq!(pool.len(), 1);
        let b = pool.lend();
        assert!(b.capacity() >= 40_000);
        assert_eq!(pool.len(), 0, "lent, so no longer in the pool");
    }

    #[test]
    fn calls_at_once_each_get_their_own_buffer() {
        let pool = Pool::<u16>::default();
        let mut a = pool.lend();
        let mut b = pool.lend();
        a.push(1);
        b.push(2);
        assert_eq!((a.as_slice(), b.as_slice()), (&[1][..], &[2][..]));
        drop((a, b));
        assert_eq!(pool.len(), 2);
    }

    #[test]
    fn a_large_buffer_is_freed_and_the_pool_keeps_at_most_keep() {
        let pool = Pool::<u16>::default();
        {
            let mut big = pool.lend();
            big.resize(KEEP_BYTES / 2 + 1, 0);
        }
        assert_eq!(pool.len(), 0, "over KEEP_BYTES in bytes, not in units");
        let lent: Vec<_> = (0..KEEP + 3)
            .map(|_| {
                let mut b = pool.lend();
                b.push(0);
                b
            })
            .collect();
        drop(lent);
        assert_eq!(pool.len(), KEEP);
    }
}
