//! How many threads the library may use (issue 15 §4).
//!
//! The library starts no thread unless its caller asks: [`Threads::ONE`] is
//! the default of every option that takes one, and work then runs on the
//! calling thread. With more, the work is spread over a thread pool made for
//! that one call (never `rayon`'s global pool, which would be state shared
//! with the host), and results are put back in the order of their inputs, so
//! the output is byte-identical whatever the number of threads.

use std::num::NonZeroUsize;

/// How many threads a call may use: at least one.
///
/// ```
/// use kaohe::threads::Threads;
/// assert_eq!(Threads::ONE.get(), 1);
/// assert_eq!(Threads::new(4).map(Threads::get), Some(4));
/// assert!(Threads::new(0).is_none());
/// assert!(Threads::new(Threads::MAX + 1).is_none());
/// assert!(Threads::available().get() >= 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Threads(NonZeroUsize);

impl Threads {
    /// One thread: the calling one (the default).
    pub const ONE: Threads = Threads(NonZeroUsize::MIN);

    /// The most threads one call may use (256): each is a real thread (and
    /// the fact reader splits its work four ways per thread), so a number
    /// mistyped by a few digits would otherwise exhaust memory or take
    /// minutes to start, however small the input.
    pub const MAX: usize = 256;

    /// `n` threads; `None` for zero or more than [`Threads::MAX`].
    pub fn new(n: usize) -> Option<Threads> {
        if n > Self::MAX {
            return None;
        }
        NonZeroUsize::new(n).map(Threads)
    }

    /// As many threads as the machine offers this process
    /// ([`std::thread::available_parallelism`]); one when that is unknown.
    pub fn available() -> Threads {
        std::thread::available_parallelism()
            .ok()
            .and_then(|n| Threads::new(n.get().min(Self::MAX)))
            .unwrap_or(Threads::ONE)
    }

    /// The number of threads.
    pub fn get(self) -> usize {
        self.0.get()
    }

    /// A pool of this many threads for one call; with one thread (or when
    /// the system refuses a new thread) no pool, and work runs on the
    /// calling thread.
    pub(crate) fn pool(self) -> Pool {
        if self.get() == 1 {
            return Pool(None);
        }
        Pool(
            rayon::ThreadPoolBuilder::new()
                .num_threads(self.get())
                .thread_name(|i| format!("kaohe-{i}"))
                .build()
                .ok(),
        )
    }
}

impl Default for Threads {
    fn default() -> Threads {
        Threads::ONE
    }
}

/// The threads of one call: a local pool, or none (the calling thread).
pub(crate) struct Pool(Option<rayon::ThreadPool>);

impl Pool {
    /// No pool: everything on the calling thread.
    #[allow(
        dead_code,
        reason = "not used by the engine (eval/); kept for other callers"
    )]
    pub(crate) const fn calling_thread() -> Pool {
        Pool(None)
    }

    /// Whether work is spread over more than the calling thread.
    #[allow(
        dead_code,
        reason = "not used by the engine (eval/); kept for other callers"
    )]
    pub(crate) fn is_parallel(&self) -> bool {
        self.0.is_some()
    }

    /// `f` applied to each of `items`; the results in the order of `items`,
    /// whichever thread computed each.
    pub(crate) fn map<T, R, F>(&self, items: &[T], f: F) -> Vec<R>
    where
        T: Sync,
        R: Send,
        F: Fn(&T) -> R + Sync + Send,
    {
        use rayon::prelude::*;
        match &self.0 {
            None => items.iter().map(f).collect(),
            Some(pool) => pool.install(|| items.par_iter().map(f).collect()),
        }
    }

    /// Runs `f` on a thread of the pool (on the calling thread without
    /// one), the calling thread waiting for it. The maps `f` makes then
    /// start at once on the thread running `f`, instead of handing each map
    /// to the pool and waiting to be woken when it is done: one hand-over per
    /// call rather than one per map (on a loaded machine each costs a wait
    /// for a time slice).
    pub(crate) fn run<R, F>(&self, f: F) -> R
    where
        F: FnOnce() -> R + Send,
        R: Send,
    {
        match &self.0 {
            None => f(),
            Some(pool) => pool.install(f),
        }
    }

    /// [`Pool::map`] over items each call may change (disjoint: one item per call).
    pub(crate) fn map_mut<T, R, F>(&self, items: &mut [T], f: F) -> Vec<R>
    where
        T: Send,
        R: Send,
        F: Fn(&mut T) -> R + Sync + Send,
    {
        use rayon::prelude::*;
        match &self.0 {
            None => items.iter_mut().map(f).collect(),
            Some(pool) => pool.install(|| items.par_iter_mut().map(f).collect()),
        }
    }

    /// Runs `a` and `b`, on two threads when there is a pool.
    #[allow(
        dead_code,
        reason = "not used by the engine (eval/); kept for other callers"
    )]
    pub(crate) fn join<A, B, RA, RB>(&self, a: A, b: B) -> (RA, RB)
    where
        A: FnOnce() -> RA + Send,
        B: FnOnce() -> RB + Send,
        RA: Send,
        RB: Send,
    {
        match &self.0 {
            None => (a(), b()),
            Some(pool) => pool.join(a, b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_their_inputs() {
        let items: Vec<u64> = (0..10_000).collect();
        for threads in [1, 2, 3, 8] {
            let pool = Threads::new(threads).unwrap().pool();
            assert_eq!(pool.is_parallel(), threads > 1);
            let squares = pool.map(&items, |x| x * x);
            assert_eq!(squares, items.iter().map(|x| x * x).collect::<Vec<_>>());
            let mut changed = items.clone();
            let old = pool.map_mut(&mut changed, |x| {
                *x += 1;
                *x - 1
            });
            assert_eq!(old, items);
            assert_eq!(changed, items.iter().map(|x| x + 1).collect::<Vec<_>>());
            assert_eq!(pool.join(|| 1, || 2), (1, 2));
            // Maps inside `run` keep their order too.
            assert_eq!(
                pool.run(|| pool.map(&items, |x| x + 1)),
                items.iter().map(|x| x + 1).collect::<Vec<_>>()
            );
        }
    }
}
