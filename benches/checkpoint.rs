//! A train's checkpoint at its N-th participant: the state of a train of N
//! participants (each with its plan step, tag, commit and three hook runs),
//! one participant changed since the last checkpoint; the files that
//! changed (`train.yaml` and that participant's `<service>.yaml`) are
//! serialised and written the way every relman write is (temp file, fsync,
//! rename, fsync of the folder). Prints the median of 101 runs.
//!
//!   cargo bench --bench checkpoint -- 1000
#![allow(
    clippy::unwrap_used,
    clippy::print_stdout,
    reason = "a benchmark: a failure is a crash, the result is printed"
)]

use std::time::Instant;

use relman::domain::plan::{Action, Step};
use relman::domain::train::{HookRun, ParticipantState, Phase, RecordedPlan, State, Status};
use relman::domain::version::Version;
use relman::repo::state::{Memo, Paths, changed_files};

fn state(participants: usize) -> State {
    let name = |k: usize| format!("svc{k:04}");
    let steps = (0..participants)
        .map(|k| Step {
            service: name(k),
            from: Version::new(1, 0, 0),
            to: Version::new(1, 1, 0),
            tag: Some(format!("{}-v1.1.0", name(k))),
            wave: k % 7 + 1,
            depends_on: if k > 0 { vec![name(k - 1)] } else { Vec::new() },
            action: Action::Release,
            reason: "commits: minor".into(),
        })
        .collect();
    let run = |hook: &str| HookRun {
        hook: hook.into(),
        started: Some("2026-11-22T09:59:00+00:00".into()),
        at: "2026-11-22T10:00:00+00:00".into(),
        result: "passed".into(),
        exit: Some(0),
    };
    State {
        train: "run".into(),
        status: Status::Executing,
        serial: 1234,
        plan: Some(RecordedPlan { head: Some("0".repeat(40)), steps, ..RecordedPlan::default() }),
        participants: (0..participants)
            .map(|k| ParticipantState {
                service: name(k),
                phase: Phase::Released,
                start: Some("1".repeat(40)),
                tag: Some(format!("{}-v1.1.0", name(k))),
                commit: Some("2".repeat(40)),
                hooks: vec![run("release"), run("health"), run("health")],
            })
            .collect(),
        ..State::default()
    }
}

fn main() {
    let n: usize = std::env::args().filter_map(|a| a.parse().ok()).next().unwrap_or(1000);
    let mut state = state(n);
    let dir = std::env::temp_dir().join(format!("relman-checkpoint-{}", std::process::id()));
    let paths = Paths::under(&dir.display().to_string(), "run");
    std::fs::create_dir_all(dir.join("run")).unwrap();
    let mut memo = Memo::written(&state);
    let mut bytes = 0;
    let mut serialise = Vec::new();
    let mut times: Vec<f64> = (0..101)
        .map(|k| {
            let p = &mut state.participants[k % n];
            p.phase = if p.phase == Phase::Healthy { Phase::Released } else { Phase::Healthy };
            let service = p.service.clone();
            state.serial += 1;
            let start = Instant::now();
            let files = changed_files(&paths, &state, &mut memo, Some(&service)).unwrap();
            serialise.push(start.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(files.len(), 2);
            bytes = 0;
            for (file, text) in files {
                bytes += text.len();
                relman::files::atomic_write(std::path::Path::new(&file), text.as_bytes()).unwrap();
            }
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    times.sort_by(f64::total_cmp);
    serialise.sort_by(f64::total_cmp);
    println!(
        "checkpoint at {n} participants: median {:.3} ms, of which finding and serialising what changed {:.3} ms ({bytes} bytes in 2 files)",
        times[times.len() / 2],
        serialise[serialise.len() / 2]
    );
}
