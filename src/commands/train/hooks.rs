//! A train participant's hooks (SPEC §6.3): run with their output shown
//! and logged in `.relman/logs/<train>/<service>-<hook>.log`.

use std::time::Duration;

use super::super::hook_run::{log_path, passed, run_quietly, run_shown};
use super::session::Engine;
use crate::domain::catalog::Service;
use crate::domain::plan::Step as PlannedStep;
use crate::domain::train::{HookRun, ParticipantState, Phase};
use crate::error::Result;
use crate::failpoint::failpoint;
use crate::hooks::{self, Hook};

/// A participant's hooks while it is released, in the order they run.
pub fn release_hooks(service: &Service) -> Vec<(&'static str, Hook)> {
    [("release", &service.hooks.release), ("health", &service.hooks.health)]
        .into_iter()
        .filter_map(|(n, h)| h.clone().map(|h| (n, h)))
        .collect()
}

/// The values a participant's hooks get, as `RELMAN_*` variables.
pub fn hook_vars(step: &PlannedStep, train: &str) -> hooks::Vars {
    vec![
        (hooks::env::SERVICE, step.service.clone()),
        (hooks::env::VERSION, step.to.to_string()),
        (hooks::env::PREVIOUS_VERSION, step.from.to_string()),
        (hooks::env::TRAIN, train.to_owned()),
    ]
}

impl Engine<'_, '_> {
    /// Runs a participant's `release` then `health` hook; fails the train
    /// when one fails. A hook that passed already in this release (a run
    /// stopped after it) is not run again; one interrupted mid-run is
    /// reported and run again.
    pub(super) fn hooks_in_turn(&mut self, step: &PlannedStep, timeout: Duration) -> Result<bool> {
        let service = self.service(&step.service)?.clone();
        let service_bar = self.cx.ui.service_bar(&step.service);
        for (name, hook) in release_hooks(&service) {
            let p = self.state.participant(&step.service).cloned().unwrap_or_default();
            if let Some(done) = finished_run(&p, name) {
                self.cx.ui.step(&format!(
                    "{}: its `{name}` hook passed at {}; not run again",
                    step.service, done.at
                ));
                continue;
            }
            let cut = |h: &&HookRun| {
                h.hook == name && matches!(h.result.as_str(), "started" | "interrupted")
            };
            if let Some(cut) = p.hooks.iter().rfind(cut) {
                self.cx.ui.warn(&format!(
                    "{}: its `{name}` hook was interrupted mid-run (started {}); running it again",
                    step.service, cut.at
                ));
            }
            failpoint("before a hook")?;
            service_bar.set_message(format!("{name} hook"));
            let passed = self.run_hook(step, name, &hook, timeout)?;
            failpoint("after a hook")?;
            if !passed {
                service_bar.clear();
                self.fail(Some(step.service.clone()), format!("its `{name}` hook failed"))?;
                return Ok(false);
            }
        }
        service_bar.clear();
        self.state.participant_mut(&step.service).phase = Phase::Released;
        self.save_progress(&step.service)?;
        Ok(true)
    }

    /// Runs the hooks of a wave's participants `--jobs` at a time; each
    /// participant's `release` then `health` in turn, each hook's start
    /// and end recorded as it happens. Results are shown and recorded in
    /// plan order, every participant's; the first participant that failed
    /// (in plan order) then fails the train.
    pub(super) fn hooks_together(
        &mut self,
        steps: &[&PlannedStep],
        timeout: Duration,
        bar: &crate::output::progress::Bar,
    ) -> Result<bool> {
        let mut work = Vec::new();
        for step in steps {
            let service = self.service(&step.service)?;
            let hooks = release_hooks(service);
            let p = self.state.participant(&step.service).cloned().unwrap_or_default();
            let hooks: Vec<(&'static str, Hook)> =
                hooks.into_iter().filter(|(n, _)| finished_run(&p, n).is_none()).collect();
            let vars = hook_vars(step, &self.train.name);
            let logs: Vec<std::path::PathBuf> = hooks
                .iter()
                .map(|(n, _)| log_path(self.repo, &self.train.name, &step.service, n))
                .collect::<Result<_>>()?;
            work.push(std::sync::Mutex::new((p, hooks, vars, logs, Vec::new())));
        }
        let (records, global, root) = (&self.progress, &self.cx.global, self.repo.root());
        let next = std::sync::atomic::AtomicUsize::new(0);
        let worker = || -> Result<()> {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(item) = work.get(i) else { return Ok(()) };
                let Ok(mut item) = item.lock() else { return Ok(()) };
                let (p, hooks, vars, logs, outcomes) = &mut *item;
                let vars: Vec<(&str, String)> = vars.iter().map(|(k, v)| (*k, v.clone())).collect();
                for ((name, hook), log) in hooks.iter().zip(logs.iter()) {
                    let started = global.time();
                    note(p, started_run(name, &started));
                    records.write(p)?;
                    let outcome = run_quietly(hook, root, &vars, timeout, log);
                    note(p, ended_run(name, started, &outcome, global.time()));
                    records.write(p)?;
                    let go_on = passed(&outcome) && outcome.interrupted.is_none();
                    outcomes.push((*name, hook.to_string(), outcome));
                    if !go_on {
                        break;
                    }
                }
            }
        };
        let results: Vec<Result<()>> = std::thread::scope(|scope| {
            let handles: Vec<_> =
                (0..self.jobs.min(work.len())).map(|_| scope.spawn(worker)).collect();
            handles.into_iter().map(|h| h.join().unwrap_or(Ok(()))).collect()
        });
        results.into_iter().collect::<Result<()>>()?;
        let mut failed = None;
        let mut interrupted = None;
        for (step, item) in steps.iter().zip(work) {
            let Ok((p, _, _, _, outcomes)) = item.into_inner() else { continue };
            if let Some((_, _, o)) = outcomes.iter().find(|(_, _, o)| o.interrupted.is_some()) {
                interrupted.get_or_insert_with(|| o.clone());
            }
            let mut ok = true;
            for (name, shown, outcome) in &outcomes {
                self.cx.ui.step(&format!("{}: ran its `{name}` hook: {shown}", step.service));
                for line in outcome.output.lines() {
                    self.cx.ui.step(&format!("  | {line}"));
                }
                if !passed(outcome) {
                    ok = false;
                    failed.get_or_insert_with(|| (step.service.clone(), *name));
                }
            }
            *self.state.participant_mut(&step.service) = p;
            if ok {
                self.state.participant_mut(&step.service).phase = Phase::Released;
                self.save_progress(&step.service)?;
            }
            bar.inc();
        }
        if let Some(outcome) = interrupted {
            // Every participant's progress is recorded: a resume goes on.
            outcome.check_interrupted()?;
        }
        if let Some((service, name)) = failed {
            self.fail(Some(service), format!("its `{name}` hook failed"))?;
            return Ok(false);
        }
        Ok(true)
    }

    /// Runs one hook of a participant, its start and its end recorded
    /// (SPEC §4.1); `true` when it passed.
    pub(super) fn run_hook(
        &mut self,
        step: &PlannedStep,
        name: &'static str,
        hook: &Hook,
        timeout: Duration,
    ) -> Result<bool> {
        let vars = hook_vars(step, &self.train.name);
        let started = self.now();
        self.note_hook(&step.service, started_run(name, &started))?;
        let (cx, repo, train) = (self.cx, self.repo, self.train.name.clone());
        let outcome = run_shown(cx, repo, &train, &step.service, name, hook, &vars, timeout)?;
        self.note_hook(&step.service, ended_run(name, started, &outcome, self.now()))?;
        outcome.check_interrupted()?;
        Ok(passed(&outcome))
    }

    /// Puts a hook's run in its participant's progress (an end replaces
    /// its start) and records that progress, in a run that writes.
    pub(super) fn note_hook(&mut self, service: &str, run: HookRun) -> Result<()> {
        let p = self.state.participant_mut(service);
        note(p, run);
        self.save_progress(service)
    }
}

/// A hook's run as it starts.
pub(super) fn started_run(name: &str, at: &str) -> HookRun {
    HookRun {
        hook: name.to_owned(),
        started: Some(at.to_owned()),
        at: at.to_owned(),
        result: "started".to_owned(),
        exit: None,
    }
}

/// A hook's run as it ended.
pub(super) fn ended_run(
    name: &str,
    started: String,
    outcome: &hooks::Outcome,
    at: String,
) -> HookRun {
    let result = if outcome.interrupted.is_some() {
        "interrupted"
    } else if outcome.timed_out {
        "timed_out"
    } else if outcome.code == Some(0) {
        "passed"
    } else {
        "failed"
    };
    HookRun {
        hook: name.to_owned(),
        started: Some(started),
        at,
        result: result.to_owned(),
        exit: outcome.code,
    }
}

/// Puts `run` in `p`'s hooks: an end replaces the start of the same hook.
pub(super) fn note(p: &mut ParticipantState, run: HookRun) {
    match p.hooks.last_mut() {
        Some(last) if last.hook == run.hook && last.result == "started" => *last = run,
        _ => p.hooks.push(run),
    }
}

/// The run of `name` that passed in this release of `p`, if one did.
pub(super) fn finished_run<'p>(p: &'p ParticipantState, name: &str) -> Option<&'p HookRun> {
    p.hooks.iter().rfind(|h| h.hook == name && h.result == "passed")
}

/// A participant's hooks run outside the train's own phases (its rollback):
/// recorded as the release's are, so a stopped run tells ran from not ran.
impl Engine<'_, '_> {
    /// When `name`'s hook passed for `service` in this train, if it did.
    pub(crate) fn hook_passed(&self, service: &str, name: &str) -> Option<String> {
        let p = self.state.participant(service)?;
        finished_run(p, name).map(|h| h.at.clone())
    }

    /// Records that `name`'s hook starts for `service`; returns when.
    pub(crate) fn hook_started(&mut self, service: &str, name: &str) -> Result<String> {
        let at = self.now();
        self.note_hook(service, started_run(name, &at))?;
        Ok(at)
    }

    /// Records how `name`'s hook for `service` ended.
    pub(crate) fn hook_ended(
        &mut self,
        service: &str,
        name: &str,
        started: String,
        outcome: &hooks::Outcome,
    ) -> Result<()> {
        let at = self.now();
        self.note_hook(service, ended_run(name, started, outcome, at))
    }
}
