//! SIGINT, SIGTERM and SIGHUP while hooks run.
//!
//! A hook runs in its own process group, so a Ctrl-C at the terminal or a
//! `kill` of relman does not reach it. While at least one hook runs, relman
//! catches those signals instead of dying of them: each hook's runner sees
//! the signal, hands it on to its hook's process group, waits for the hook
//! to end, and relman stops with the exit code a shell gives a process
//! killed by that signal (130 for SIGINT, 143 for SIGTERM). Without a hook
//! running, the signals do what they always do.
//!
//! Every `unsafe` call of the hook runner is in this module.

pub(super) use imp::*;

#[cfg(unix)]
mod imp {
    use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
    use std::sync::{Mutex, PoisonError};

    /// The signals caught while a hook runs.
    const CAUGHT: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    /// The first signal received while a hook ran; 0 for none. It stays set:
    /// once interrupted, relman starts no other hook.
    static RECEIVED: AtomicI32 = AtomicI32::new(0);

    /// How many signals were received while hooks ran.
    static COUNT: AtomicUsize = AtomicUsize::new(0);

    /// The hooks running now, and the dispositions to restore after the last.
    struct Installed {
        watchers: usize,
        old: Vec<(libc::c_int, libc::sigaction)>,
    }

    static STATE: Mutex<Installed> = Mutex::new(Installed { watchers: 0, old: Vec::new() });

    /// Records a signal; async-signal-safe (two lock-free atomic operations).
    extern "C" fn on_signal(sig: libc::c_int) {
        let _ = RECEIVED.compare_exchange(0, sig, Ordering::SeqCst, Ordering::SeqCst);
        COUNT.fetch_add(1, Ordering::SeqCst);
    }

    /// While alive, the signals are caught (see the module's text).
    pub(in crate::hooks) struct Watch(());

    /// Catches the signals until the returned guard is dropped (and every
    /// other guard alive with it: hooks run in parallel share one handler).
    pub(in crate::hooks) fn watch() -> Watch {
        let mut state = STATE.lock().unwrap_or_else(PoisonError::into_inner);
        if state.watchers == 0 {
            let handler: extern "C" fn(libc::c_int) = on_signal;
            for sig in CAUGHT {
                // SAFETY: both structs are plain data we own, zeroed and then
                // filled; sigaction(2) reads the first and writes the second.
                // The handler only touches atomics, which is async-signal-safe.
                // SA_RESTART keeps the pipes' reads going through a signal.
                unsafe {
                    let mut action: libc::sigaction = std::mem::zeroed();
                    let mut old: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = handler as libc::sighandler_t;
                    action.sa_flags = libc::SA_RESTART;
                    libc::sigemptyset(&mut action.sa_mask);
                    if libc::sigaction(sig, &action, &mut old) == 0 {
                        state.old.push((sig, old));
                    }
                }
            }
        }
        state.watchers += 1;
        Watch(())
    }

    impl Drop for Watch {
        fn drop(&mut self) {
            let mut state = STATE.lock().unwrap_or_else(PoisonError::into_inner);
            state.watchers = state.watchers.saturating_sub(1);
            if state.watchers == 0 {
                for (sig, old) in std::mem::take(&mut state.old) {
                    // SAFETY: puts back the disposition `watch` saved for `sig`.
                    unsafe {
                        libc::sigaction(sig, &old, std::ptr::null_mut());
                    }
                }
            }
        }
    }

    /// The first signal received while a hook ran, if any.
    pub(in crate::hooks) fn received() -> Option<i32> {
        Some(RECEIVED.load(Ordering::SeqCst)).filter(|&sig| sig != 0)
    }

    /// How many signals were received while hooks ran.
    pub(in crate::hooks) fn count() -> usize {
        COUNT.load(Ordering::SeqCst)
    }

    /// Sends `sig` to the process group `pgid` (a hook and all it started).
    pub(in crate::hooks) fn signal_group(pgid: u32, sig: libc::c_int) {
        if let Ok(pgid) = libc::pid_t::try_from(pgid) {
            // SAFETY: kill(2) with a negative pid signals that process group;
            // it touches no memory of ours.
            unsafe {
                libc::kill(-pgid, sig);
            }
        }
    }

    /// SIGKILL, for a hook past its time.
    pub(in crate::hooks) const KILL: libc::c_int = libc::SIGKILL;

    /// SIGTERM.
    pub(in crate::hooks) const TERM: libc::c_int = libc::SIGTERM;

    /// The name of a signal relman catches, as a shell names it.
    pub(in crate::hooks) fn name(sig: i32) -> String {
        match sig {
            libc::SIGINT => "SIGINT".to_owned(),
            libc::SIGTERM => "SIGTERM".to_owned(),
            libc::SIGHUP => "SIGHUP".to_owned(),
            other => format!("signal {other}"),
        }
    }
}

/// Elsewhere a hook cannot be handed a signal: nothing is caught, a hook
/// past its time is left to end by itself.
#[cfg(not(unix))]
mod imp {
    pub(in crate::hooks) struct Watch(());
    pub(in crate::hooks) fn watch() -> Watch {
        Watch(())
    }
    pub(in crate::hooks) fn received() -> Option<i32> {
        None
    }
    pub(in crate::hooks) fn count() -> usize {
        0
    }
    pub(in crate::hooks) fn signal_group(_pgid: u32, _sig: i32) {}
    pub(in crate::hooks) const KILL: i32 = 9;
    pub(in crate::hooks) const TERM: i32 = 15;
    pub(in crate::hooks) fn name(sig: i32) -> String {
        format!("signal {sig}")
    }
}
