//! Panics inside a dependency that gongkai expects and turns into an error
//! of the file being read (calamine on a damaged .xls, say).
//!
//! The library runs such a call through a guard that marks the thread
//! while it runs, so that a panic hook can tell an expected, handled panic ([`caught_here`]) from a
//! bug: the command line's hook stays silent for the first and reports the
//! second, and prints a backtrace only for the second when `RUST_BACKTRACE`
//! asks for one.

use std::any::Any;
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    /// How many [`catch`] calls this thread is inside.
    static CATCHING: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f`; a panic inside becomes `Err` with its message (line breaks
/// as spaces). While `f` runs, [`caught_here`] is true on this thread.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    CATCHING.with(|c| c.set(c.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get().saturating_sub(1)));
    result.map_err(|payload| message(payload.as_ref()).replace('\n', " "))
}

/// Whether a panic now, on this thread, is one that the library turns into
/// an error (for a panic hook: say nothing, the error will).
pub fn caught_here() -> bool {
    CATCHING.with(|c| c.get() > 0)
}

/// A panic payload's message.
pub fn message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_is_its_message_and_marks_the_thread_while_it_runs() {
        assert!(!caught_here());
        let inside = catch(caught_here);
        assert_eq!(inside, Ok(true));
        assert!(!caught_here());
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let failed: Result<(), String> = catch(|| panic!("range end\nindex 8203"));
        std::panic::set_hook(hook);
        assert_eq!(failed, Err("range end index 8203".to_string()));
        assert!(!caught_here(), "the mark is taken off after a panic too");
    }
}
