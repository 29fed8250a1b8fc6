//! Holding back termination signals while a step runs.

/// While alive, SIGINT, SIGTERM and SIGHUP wait; they are delivered
/// (and end the process as usual) when it is dropped.
///
/// The thread's signal mask is changed through `nix` (a safe wrapper of
/// `pthread_sigmask`), so this holds no `unsafe`.
pub(super) struct Held {
    /// The mask before, put back on drop; `None` when it could not be
    /// changed (the signals then end the process as they always would).
    #[cfg(unix)]
    old: Option<nix::sys::signal::SigSet>,
}

/// Holds the signals back.
pub(super) fn hold() -> Held {
    #[cfg(unix)]
    {
        use nix::sys::signal::{SigSet, SigmaskHow, Signal};
        let mut set = SigSet::empty();
        for sig in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
            set.add(sig);
        }
        Held { old: set.thread_swap_mask(SigmaskHow::SIG_BLOCK).ok() }
    }
    #[cfg(not(unix))]
    Held {}
}

impl Drop for Held {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(old) = &self.old {
            let _ = old.thread_set_mask();
        }
    }
}

/// The first of SIGINT, SIGTERM and SIGHUP waiting while they are held
/// back, taken (it will not end the process when the hold ends): the
/// caller answers it (exit 130, 143, 129). Read from the kernel's lists
/// of pending signals (Linux's `SigPnd` and `ShdPnd` in
/// `/proc/self/status`); `None` where they cannot be read.
pub(super) fn take_pending() -> Option<i32> {
    #[cfg(unix)]
    {
        use nix::sys::signal::{SigSet, Signal};
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let mask = status
            .lines()
            .filter_map(|l| l.strip_prefix("SigPnd:").or_else(|| l.strip_prefix("ShdPnd:")))
            .filter_map(|hex| u64::from_str_radix(hex.trim(), 16).ok())
            .fold(0, |all, m| all | m);
        let sig = [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP]
            .into_iter()
            .find(|s| mask >> (*s as i32 - 1) & 1 == 1)?;
        let mut set = SigSet::empty();
        set.add(sig);
        // Pending and held back: `sigwait` returns at once, taking it.
        set.wait().ok().map(|s| s as i32)
    }
    #[cfg(not(unix))]
    None
}
