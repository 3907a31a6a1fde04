//! Work spread over the machine's cores with scoped threads: an ordered parallel map, the one
//! pattern the walk, the parse and the lint of a whole server (and the topology of a large
//! applicationHost.config) need. No thread pool: each call spawns at most `threads()` workers.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Worker threads to use: the cores available, at most 8 (asked once: the answer costs
/// several system calls).
pub(crate) fn threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8)
    })
}

/// `items.iter().map(f).collect()`, computed on several threads, results in the order of
/// `items`. Items are handed out in small batches so that uneven work spreads evenly. Runs on
/// the calling thread alone below `min_parallel` items. A panic in `f` is raised again here.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    min_parallel: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if items.len() < min_parallel.max(2) {
        return items.iter().map(f).collect();
    }
    let threads = threads();
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    // Batches shrink as the items run out (a share of what is left, at most 64, at least 1),
    // so that no worker is left with a long last batch while the others wait.
    const BATCH: usize = 64;
    let share = |left: usize| (left / (threads * 4)).clamp(1, BATCH);
    let next = AtomicUsize::new(0);
    let mut parts: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    let mut start = next.load(Ordering::Relaxed);
                    loop {
                        if start >= items.len() {
                            break;
                        }
                        let end = (start + share(items.len() - start)).min(items.len());
                        match next.compare_exchange_weak(
                            start,
                            end,
                            Ordering::Relaxed,
                            Ordering::Relaxed,
                        ) {
                            Ok(_) => {
                                mine.push((start, items[start..end].iter().map(&f).collect()));
                                start = next.load(Ordering::Relaxed);
                            }
                            Err(now) => start = now,
                        }
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| match w.join() {
                Ok(r) => r,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    parts.sort_unstable_by_key(|(start, _)| *start);
    parts.into_iter().flat_map(|(_, r)| r).collect()
}

/// Drop `value` on a thread of its own: freeing a whole server's parse (millions of small
/// allocations) need not delay the output, and a process that exits first never waits for it.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    if std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value))
        .is_err()
    {
        // No thread to be had: the value was moved into the closure and dropped with it.
    }
}

/// Whether the process ends as soon as the command returns (see `process_ends_after_command`).
static ENDS_AFTER_COMMAND: AtomicBool = AtomicBool::new(false);

/// Say that the process ends as soon as the command returns, as the binary's does: what is
/// handed to `drop_at_end` is then left to the kernel instead of freed.
pub(crate) fn process_ends_after_command() {
    ENDS_AFTER_COMMAND.store(true, Ordering::Relaxed);
}

/// Drop `value`, which the command is done with and nothing after it needs. When the process
/// ends right after the command it is left to the kernel, which reclaims it at once (freeing a
/// 10,000-site server's parse took ~3 ms of a core the output needed); otherwise it is freed
/// by `drop_later`.
pub(crate) fn drop_at_end<T: Send + 'static>(value: T) {
    if ENDS_AFTER_COMMAND.load(Ordering::Relaxed) {
        std::mem::forget(value);
    } else {
        drop_later(value);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<usize> = (0..10_000).collect();
        let out = super::map(&items, 1, |&i| i * 2);
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(super::map(&[] as &[usize], 1, |&i| i), Vec::<usize>::new());
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn a_panic_in_a_worker_is_raised_again() {
        let items: Vec<usize> = (0..1000).collect();
        super::map(&items, 1, |&i| {
            if i == 777 {
                panic!("boom");
            }
            i
        });
    }
}
