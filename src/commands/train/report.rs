//! What a train's lifecycle command did, as `relman.train.transition/1`
//! and `relman.train.run/1` and as lines for people.

use std::io::{self, Write};

use serde::Serialize;

use super::validate::ValidateReport;
use crate::commands::deploy::DeployReport;
use crate::domain::train::{Failure, Phase, Status};
use crate::output::{Report, Style};

/// One transition made (or, in a dry run, that would be).
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Where the train was.
    pub from: Status,
    /// Where it went.
    pub to: Status,
    /// The commit that records it (`null` in a dry run).
    pub commit: Option<String>,
}

/// One participant as the command leaves it.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantView {
    /// The service.
    pub service: String,
    /// Its phase.
    pub phase: Phase,
    /// Version before → after (`null` before staging).
    pub from: Option<String>,
    /// The version it is released at.
    pub to: Option<String>,
    /// Its tag, once planned.
    pub tag: Option<String>,
    /// Its release commit, once made.
    pub commit: Option<String>,
    /// In a dry run of `train run`: the hooks its release would run, in
    /// order (left out otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hooks: Vec<&'static str>,
}

/// What a lifecycle command did.
#[derive(Debug, Clone, Serialize)]
pub struct Body {
    /// The train.
    pub train: String,
    /// Where the train is now.
    pub status: Status,
    /// The transitions made, in order.
    pub transitions: Vec<Step>,
    /// Gates evaluated on the way (entering or leaving validating).
    pub gates: Option<ValidateReport>,
    /// Every participant.
    pub participants: Vec<ParticipantView>,
    /// Why the train failed, if it did.
    pub failure: Option<Failure>,
    /// With `release_trains.deploy`: the deployments made (or, in a dry
    /// run, that would be), each as `relman deploy` reports it (left out
    /// otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deployments: Vec<DeployReport>,
    /// Nothing was changed.
    pub dry_run: bool,
    /// The exit code this result stands for.
    #[serde(skip)]
    pub code: u8,
}

/// `relman train start|advance|pause|resume` (schema `relman.train.transition/1`).
#[derive(Debug, Clone, Serialize)]
pub struct TransitionReport(pub Body);

/// `relman train run` (schema `relman.train.run/1`).
#[derive(Debug, Clone, Serialize)]
pub struct RunReport(pub Body);

fn human(body: &Body, w: &mut dyn Write, st: &Style) -> io::Result<()> {
    let would = if body.dry_run { "would move" } else { "moved" };
    if let Some(g) = &body.gates {
        g.human(w, st)?;
    }
    for t in &body.transitions {
        let commit = t.commit.as_deref().map(|c| format!(" ({})", &c[..7.min(c.len())]));
        writeln!(
            w,
            "{} {would} {} → {}{}",
            st.bold(&body.train),
            t.from,
            t.to,
            commit.unwrap_or_default()
        )?;
    }
    if body.transitions.is_empty() {
        writeln!(w, "{} stays {}", st.bold(&body.train), body.status)?;
    }
    for p in body.participants.iter().filter(|p| p.phase != Phase::Pending || p.to.is_some()) {
        let versions = match (&p.from, &p.to) {
            (Some(f), Some(t)) if f != t => format!(" {f} → {t}"),
            (_, Some(t)) => format!(" {t}"),
            _ => String::new(),
        };
        let phase = serde_json::to_value(p.phase).ok().and_then(|v| v.as_str().map(str::to_owned));
        let mut extra = String::new();
        if body.dry_run {
            if let Some(tag) = &p.tag {
                extra.push_str(&format!("  tag {tag}"));
            }
            if !p.hooks.is_empty() {
                extra.push_str(&format!("  hooks: {}", p.hooks.join(", ")));
            }
        }
        writeln!(w, "  {:<24} {:<12}{versions}{extra}", p.service, phase.unwrap_or_default())?;
    }
    for d in &body.deployments {
        let result = match (d.dry_run, d.result) {
            (true, _) => "would deploy".to_owned(),
            (false, Some(r)) => r.as_str().replace('_', " "),
            (false, None) => "not deployed".to_owned(),
        };
        let from = d.previous.as_deref().map_or_else(String::new, |p| format!(" (from {p})"));
        writeln!(
            w,
            "  deploy {} {} to {}{from}: {}, {result}",
            d.service, d.version, d.env, d.strategy
        )?;
    }
    if let Some(f) = &body.failure {
        let who = f.service.as_deref().map(|s| format!("{s}: ")).unwrap_or_default();
        let what = if body.status == Status::RolledBack { "rolled back" } else { "failed" };
        writeln!(w, "{}: {who}{}", st.red(what), f.reason)?;
    }
    Ok(())
}

impl Body {
    /// What this dry run's steps would push: a commit per transition, per
    /// participant released and per deployment; the tags of the
    /// participants it releases (only a run that reaches executing, when
    /// `releasing`).
    fn would_push(&self, releasing: bool) -> (bool, Vec<String>) {
        let tags: Vec<String> = self
            .participants
            .iter()
            .filter(|p| releasing && p.phase == Phase::Pending && p.commit.is_none())
            .filter_map(|p| p.tag.clone())
            .collect();
        let commits =
            !self.transitions.is_empty() || !tags.is_empty() || !self.deployments.is_empty();
        (commits, tags)
    }
}

impl Report for TransitionReport {
    const SCHEMA: &'static str = "relman.train.transition/1";
    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        human(&self.0, w, st)
    }
    fn exit_code(&self) -> u8 {
        self.0.code
    }
    fn would_push(&self) -> Option<(bool, Vec<String>)> {
        // `train advance` releases only on its way into executing.
        let releasing = self.0.transitions.iter().any(|t| t.to == Status::Executing);
        Some(self.0.would_push(releasing))
    }
}

impl Report for RunReport {
    const SCHEMA: &'static str = "relman.train.run/1";
    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        human(&self.0, w, st)
    }
    fn exit_code(&self) -> u8 {
        self.0.code
    }
    fn would_push(&self) -> Option<(bool, Vec<String>)> {
        Some(self.0.would_push(true))
    }
}
