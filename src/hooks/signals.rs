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
//! The handlers are signal-hook's and the signals are sent with nix: no
//! `unsafe` of relman's own.

pub(super) use imp::*;

#[cfg(unix)]
mod imp {
    use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
    use std::sync::{Mutex, PoisonError};

    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

    /// The signals caught while a hook runs, each with the flag its handler
    /// raises when it comes.
    static CAUGHT: [(i32, AtomicBool); 3] = [
        (SIGINT, AtomicBool::new(false)),
        (SIGTERM, AtomicBool::new(false)),
        (SIGHUP, AtomicBool::new(false)),
    ];

    /// No hook runs: a signal does what it did before relman caught it.
    static IDLE: AtomicBool = AtomicBool::new(true);

    /// The first signal received while a hook ran; 0 for none. It stays set:
    /// once interrupted, relman starts no other hook.
    static RECEIVED: AtomicI32 = AtomicI32::new(0);

    /// How many signals were received while hooks ran.
    static COUNT: AtomicUsize = AtomicUsize::new(0);

    /// The hooks running now, and whether the handlers are in place.
    struct Installed {
        watchers: usize,
        handlers: bool,
    }

    static STATE: Mutex<Installed> = Mutex::new(Installed { watchers: 0, handlers: false });

    /// While alive, the signals are caught (see the module's text).
    pub(in crate::hooks) struct Watch(());

    /// Catches the signals until the returned guard is dropped (and every
    /// other guard alive with it: hooks run in parallel share one handler).
    ///
    /// signal-hook's handler, put in place at the first hook, stays for the
    /// rest of the run (a handler cannot be taken back safely): while no
    /// hook runs it does what the signal did before, the default action
    /// (SIGINT and SIGTERM end relman as they always do) or nothing for a
    /// signal relman was started ignoring (`nohup`). Its actions only touch
    /// atomics, which is async-signal-safe, and it restarts interrupted
    /// reads (SA_RESTART), so the pipes' reads go on through a signal.
    pub(in crate::hooks) fn watch() -> Watch {
        let mut state = STATE.lock().unwrap_or_else(PoisonError::into_inner);
        if !state.handlers {
            let ignored = ignored_at_start();
            for (sig, flag) in &CAUGHT {
                if !ignored.contains(sig) {
                    let _ = signal_hook::flag::register_conditional_default(*sig, &IDLE);
                }
                let _ = signal_hook::flag::register(*sig, flag);
            }
            state.handlers = true;
        }
        if state.watchers == 0 {
            // What came while no hook ran was ignored (or ended relman).
            for (_, flag) in &CAUGHT {
                flag.store(false, Ordering::SeqCst);
            }
            IDLE.store(false, Ordering::SeqCst);
        }
        state.watchers += 1;
        Watch(())
    }

    impl Drop for Watch {
        fn drop(&mut self) {
            let mut state = STATE.lock().unwrap_or_else(PoisonError::into_inner);
            state.watchers = state.watchers.saturating_sub(1);
            if state.watchers == 0 {
                IDLE.store(true, Ordering::SeqCst);
                collect();
            }
        }
    }

    /// The signals relman was started ignoring, as the kernel lists them
    /// (Linux's `SigIgn` mask in `/proc/self/status`); none where that list
    /// cannot be read.
    fn ignored_at_start() -> Vec<i32> {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let mask = status
            .lines()
            .find_map(|line| line.strip_prefix("SigIgn:"))
            .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
            .unwrap_or(0);
        CAUGHT.iter().map(|(sig, _)| *sig).filter(|sig| mask >> (sig - 1) & 1 == 1).collect()
    }

    /// Counts the signals the handler flagged since the last look.
    fn collect() {
        for (sig, flag) in &CAUGHT {
            if flag.swap(false, Ordering::SeqCst) {
                let _ = RECEIVED.compare_exchange(0, *sig, Ordering::SeqCst, Ordering::SeqCst);
                COUNT.fetch_add(1, Ordering::SeqCst);
            }
        }
    }

    /// The first signal received while a hook ran, if any.
    pub(in crate::hooks) fn received() -> Option<i32> {
        collect();
        Some(RECEIVED.load(Ordering::SeqCst)).filter(|&sig| sig != 0)
    }

    /// How many signals were received while hooks ran (one signal sent
    /// twice between two looks counts once).
    pub(in crate::hooks) fn count() -> usize {
        collect();
        COUNT.load(Ordering::SeqCst)
    }

    /// Sends `sig` to the process group `pgid` (a hook and all it started).
    pub(in crate::hooks) fn signal_group(pgid: u32, sig: i32) {
        if let (Ok(pgid), Ok(sig)) = (i32::try_from(pgid), Signal::try_from(sig)) {
            let _ = killpg(Pid::from_raw(pgid), sig);
        }
    }

    /// Keeps SIGINT, SIGTERM and SIGHUP away from the calling thread (a
    /// hook's pipe reader or waiter), so the kernel delivers them to the
    /// main thread alone. A reader can outlive its hook (a background job
    /// the hook started keeps the pipe open); were it to take a signal
    /// while the main thread holds the signals through a commit, the
    /// default action would end relman in the middle of that commit.
    pub(in crate::hooks) fn quiet_thread() {
        use nix::sys::signal::{SigSet, SigmaskHow};
        let mut set = SigSet::empty();
        for sig in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
            set.add(sig);
        }
        let _ = set.thread_swap_mask(SigmaskHow::SIG_BLOCK);
    }

    /// SIGKILL, for a hook past its time.
    pub(in crate::hooks) const KILL: i32 = signal_hook::consts::SIGKILL;

    /// SIGTERM.
    pub(in crate::hooks) const TERM: i32 = SIGTERM;

    /// The name of a signal relman catches, as a shell names it.
    pub(in crate::hooks) fn name(sig: i32) -> String {
        match sig {
            SIGINT => "SIGINT".to_owned(),
            SIGTERM => "SIGTERM".to_owned(),
            SIGHUP => "SIGHUP".to_owned(),
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
    pub(in crate::hooks) fn quiet_thread() {}
    pub(in crate::hooks) const KILL: i32 = 9;
    pub(in crate::hooks) const TERM: i32 = 15;
    pub(in crate::hooks) fn name(sig: i32) -> String {
        format!("signal {sig}")
    }
}

/// The handlers are process-wide, so each case runs in a child process:
/// this test binary run again for `child`, which does what
/// `RELMAN_SIGNAL_CASE` says.
#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::process::ExitStatusExt as _;
    use std::process::{Command, ExitStatus};

    use nix::sys::signal::{Signal, raise};

    use super::imp::{count, received, watch};

    /// Runs `child` with `case`, with SIGHUP ignored first when `nohup`.
    fn run_child(case: &str, nohup: bool) -> ExitStatus {
        let exe = std::env::current_exe().unwrap_or_default();
        let trap = if nohup { "trap '' HUP; " } else { "" };
        Command::new("sh")
            .arg("-c")
            .arg(format!("{trap}exec \"$0\" --ignored --exact hooks::signals::tests::child"))
            .arg(exe)
            .env("RELMAN_SIGNAL_CASE", case)
            .output()
            .map(|o| o.status)
            .unwrap_or_else(|e| panic!("cannot run the child: {e}"))
    }

    #[test]
    fn a_signal_while_a_hook_runs_is_caught_and_counted() {
        assert_eq!(run_child("during", false).code(), Some(0));
    }

    #[test]
    fn between_hooks_a_signal_does_what_it_did_before() {
        assert_eq!(run_child("after-TERM", false).signal(), Some(Signal::SIGTERM as i32));
        assert_eq!(run_child("after-INT", false).signal(), Some(Signal::SIGINT as i32));
        assert_eq!(run_child("after-HUP", false).signal(), Some(Signal::SIGHUP as i32));
        // Started ignoring SIGHUP (nohup): it stays ignored after a hook.
        assert_eq!(run_child("after-HUP", true).code(), Some(7));
    }

    #[test]
    #[ignore = "run by the tests above, in a child process"]
    fn child() {
        let Ok(case) = std::env::var("RELMAN_SIGNAL_CASE") else { return };
        let signal = |name: &str| match name {
            "INT" => Signal::SIGINT,
            "HUP" => Signal::SIGHUP,
            _ => Signal::SIGTERM,
        };
        if case == "during" {
            let guard = watch();
            let _ = raise(Signal::SIGINT);
            let _ = raise(Signal::SIGTERM);
            let ok = received() == Some(Signal::SIGINT as i32) && count() == 2;
            drop(guard);
            std::process::exit(if ok { 0 } else { 3 });
        }
        let name = case.strip_prefix("after-").unwrap_or("TERM");
        drop(watch());
        let _ = raise(signal(name));
        std::thread::sleep(std::time::Duration::from_millis(200));
        std::process::exit(7);
    }
}
