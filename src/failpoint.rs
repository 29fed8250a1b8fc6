//! The crash tests' failpoints: places where a debug build stops (or
//! fails as a full disk would) when `RELMAN_FAILPOINT` says so. Used by
//! every writer, so they live below them all.

use crate::error::Result;

/// A failpoint for the crash tests: in debug builds, `RELMAN_FAILPOINT=N`
/// (or the point's name) stops the process at the Nth point it passes (it
/// prints a line and waits to be killed), and `RELMAN_FAILPOINT=fail:N`
/// makes the Nth point fail as a full disk would. Release builds compile it
/// away.
pub fn failpoint(name: &str) -> Result<()> {
    #[cfg(debug_assertions)]
    {
        use std::sync::atomic::{AtomicU64, Ordering};
        static PASSED: AtomicU64 = AtomicU64::new(0);
        let Ok(spec) = std::env::var("RELMAN_FAILPOINT") else { return Ok(()) };
        let n = PASSED.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(at) = spec.strip_prefix("fail:") {
            if at.parse() == Ok(n) {
                return Err(crate::error::Error::input(format!(
                    "cannot write: failpoint {n} `{name}` (simulated)"
                )));
            }
        } else if spec.parse() == Ok(n) || spec == name {
            pause_at(n, name);
        }
    }
    let _ = name;
    Ok(())
}

/// Stops here for a crash test to kill the process.
#[cfg(debug_assertions)]
fn pause_at(n: u64, name: &str) -> ! {
    use std::io::Write as _;
    let mut err = std::io::stderr();
    let _ = writeln!(err, "relman: failpoint {n} `{name}` reached");
    let _ = err.flush();
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}
