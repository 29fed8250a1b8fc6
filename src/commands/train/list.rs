//! `relman train list`: every train with status, participants, progress.

use std::io::{self, Write};

use serde::Serialize;

use super::super::Context;
use crate::domain::catalog::Train;
use crate::domain::train::{State, Status};
use crate::error::Result;
use crate::output::{Report, Style, table};

/// One train in the list.
#[derive(Debug, Clone, Serialize)]
pub struct TrainSummary {
    /// Name.
    pub name: String,
    /// Status.
    pub status: Status,
    /// Participants (canonical names).
    pub participants: Vec<String>,
    /// Participants released so far.
    pub released: usize,
    /// Scheduled start, if any.
    pub start_time: Option<String>,
}

impl TrainSummary {
    /// Summarises a train; progress counts come from its state.
    pub fn new(train: &Train, state: &State) -> Self {
        let released = state.released();
        Self {
            name: train.name.clone(),
            status: train.status,
            participants: train.participants.iter().map(|p| p.service.clone()).collect(),
            released,
            start_time: train.start_time.clone(),
        }
    }
}

/// `relman train list` result (schema `relman.train.list/1`).
#[derive(Debug, Clone, Serialize)]
pub struct ListReport {
    /// Every train, as listed in release-trains.yaml.
    pub trains: Vec<TrainSummary>,
}

impl Report for ListReport {
    const SCHEMA: &'static str = "relman.train.list/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        if self.trains.is_empty() {
            return writeln!(w, "no trains");
        }
        let rows = self
            .trains
            .iter()
            .map(|t| {
                vec![
                    t.name.clone(),
                    t.status.to_string(),
                    format!("{}/{}", t.released, t.participants.len()),
                    t.participants.join(", "),
                    t.start_time.clone().unwrap_or_else(|| "-".into()),
                ]
            })
            .collect();
        w.write_all(
            table::render(
                &["train", "status", "progress", "participants", "start"],
                rows,
                st.width,
            )
            .as_bytes(),
        )
    }
}

/// Lists the trains.
pub fn run(cx: &Context) -> Result<ListReport> {
    let repo = cx.repo()?;
    let catalog = repo.catalog()?;
    let trains = catalog
        .trains
        .iter()
        .map(|t| Ok(TrainSummary::new(t, &repo.train_state(t)?)))
        .collect::<Result<_>>()?;
    Ok(ListReport { trains })
}
