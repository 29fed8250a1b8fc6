//! A train's state file, `.relman/state/<train>.yaml` (SPEC §4.1), and the
//! `status:` of the train in release-trains.yaml: read here, written only
//! through a transaction.

use super::Repo;
use super::transaction::Transaction;
use crate::domain::catalog::Train;
use crate::domain::train::{State, Status};
use crate::error::{Error, Location, Result};

/// The first lines of every state file.
const HEADER: &str =
    "# relman's record of this train (SPEC 4.1): written by relman commands, not by hand.\n";

impl Repo {
    /// Returns the path of a train's state file.
    pub fn state_file(&self, train: &str) -> String {
        format!("{}/{train}.yaml", self.config.state.value.trim_end_matches('/'))
    }

    /// Reads a train's state; a train that never moved has a fresh one.
    pub fn train_state(&self, train: &Train) -> Result<State> {
        let file = self.state_file(&train.name);
        match self.read(&file)? {
            Some(text) if !super::catalog::is_blank_yaml(&text) => parse(&text, &file),
            _ => Ok(State { train: train.name.clone(), status: train.status, ..State::default() }),
        }
    }

    /// Returns the roles with a recorded approval for `train`.
    pub fn approved_roles(&self, train: &Train) -> Result<Vec<String>> {
        Ok(self.train_state(train)?.approvals.into_iter().map(|a| a.role).collect())
    }

    /// Where a completed train's notes are: beside its state file.
    pub fn train_notes_file(&self, train: &str) -> String {
        format!("{}/{train}.notes.md", self.config.state.value.trim_end_matches('/'))
    }

    /// The file trains are written in.
    pub fn trains_file(&self) -> String {
        self.catalog_file("release-trains.yaml")
    }
}

fn parse(text: &str, file: &str) -> Result<State> {
    super::yaml::parse(text, file)
}

/// Reads the serial of a state file: from the top-level `serial:` line
/// relman writes (a checkpoint per participant must not parse the whole
/// file), else by parsing it.
fn serial_of(text: &str, file: &str) -> Result<u64> {
    let line = text.lines().find_map(|l| l.strip_prefix("serial: "));
    match line.and_then(|v| v.trim().parse().ok()) {
        Some(serial) => Ok(serial),
        None => Ok(parse(text, file)?.serial),
    }
}

/// Writes `state` in `tx`, refusing when the file no longer holds the
/// serial it was read with (another writer got there first); the serial
/// grows by one.
pub fn save(
    tx: &mut Transaction<'_>,
    repo: &Repo,
    state: &mut State,
    read_serial: u64,
) -> Result<()> {
    let file = repo.state_file(&state.train);
    let what = "train state (`paths.state`)";
    let on_disk = match tx.read(&file, what)? {
        Some(text) if !super::catalog::is_blank_yaml(&text) => serial_of(&text, &file)?,
        _ => 0,
    };
    if on_disk != read_serial {
        return Err(Error::refused(format!(
            "the state of train `{}` changed while relman was working (serial {on_disk}, read as {read_serial})",
            state.train
        ))
        .at(Location::file(file))
        .hint("run the command again"));
    }
    state.serial = read_serial + 1;
    let yaml = serde_saphyr::to_string(&*state)
        .map_err(|e| Error::input(format!("cannot write the train state: {e}")))?;
    tx.write(&file, what, "state", format!("{HEADER}{yaml}"))?;
    Ok(())
}

/// Sets the train's `status:` in release-trains.yaml in `tx`: only that
/// value's bytes change (a missing `status:` is added below `name:`).
pub fn set_status(
    tx: &mut Transaction<'_>,
    repo: &Repo,
    train: &Train,
    status: Status,
) -> Result<()> {
    let file = repo.trains_file();
    let what = "release trains (`paths.catalog`)";
    let text = tx.read(&file, what)?.ok_or_else(|| {
        Error::input(format!("`{file}` does not exist")).at(Location::file(file.clone()))
    })?;
    let new = match &train.status_pos {
        Some(p) => super::yaml::replace_scalar(&text, &file, p.line, p.column, status.as_str())?,
        None => {
            // The key `name` sits right before its value on that line.
            let p = &train.name_pos;
            let line =
                text.lines().nth(usize::try_from(p.line).unwrap_or(1) - 1).unwrap_or_default();
            let before: String =
                line.chars().take(usize::try_from(p.column).unwrap_or(1) - 1).collect();
            let Some(key) = before.rfind("name") else {
                return Err(Error::refused("cannot find where to write the train's `status:`")
                    .at(Location::new(file, p.line, p.column))
                    .hint("add `status: planning` to the train, then run the command again"));
            };
            if before[..key].contains('{') {
                return Err(Error::refused(
                    "relman does not edit a train written in flow style `{...}`",
                )
                .at(Location::new(file, p.line, p.column))
                .hint("add `status: planning` to the train, then run the command again"));
            }
            let column = before[..key].chars().count() as u64 + 1;
            super::yaml::insert_key_below(
                &text,
                &file,
                p.line,
                column,
                &format!("status: {status}"),
            )?
        }
    };
    tx.write(&file, what, "catalog", new)?;
    Ok(())
}
