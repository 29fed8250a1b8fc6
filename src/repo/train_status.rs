//! The `status:` of a train in release-trains.yaml (SPEC §4): the one
//! value relman edits in a file people own, surgically, through a
//! transaction.
//!
//! Trains may be written in any YAML shape: a block mapping, a flow
//! mapping on one line (`{name: T, status: planning}`), quoted keys, an
//! empty or null `status:`. Only the value's bytes change, and the edited
//! text is read back with the catalog reader before it is written: a shape
//! relman cannot edit is refused (exit 2, naming the file and line), never
//! committed broken (SPEC §6.4).

use super::Repo;
use super::transaction::Transaction;
use crate::domain::catalog::Train;
use crate::domain::train::Status;
use crate::error::{Error, Location, Result};
use crate::yaml;

/// How to write the status in the file when relman refuses a shape.
const HINT: &str =
    "write the train's `status: planning` on a line of its own, then run the command again";

/// Sets the train's `status:` in release-trains.yaml in `tx`: only that
/// value's bytes change (a missing `status:` is added below `name:`, or
/// after the name in a flow mapping).
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
        Some(p) => {
            let value = yaml::scalar_at(&text, &file, p.line, p.column)?;
            let old = value.text(&text);
            let null = value.quote.is_none() && matches!(old, "" | "~" | "null" | "Null" | "NULL");
            if !null && Status::parse(old).is_none() {
                return Err(refuse(train, p, &format!("its value reads `{old}` there")));
            }
            value.replace(&text, status.as_str())
        }
        None => add_status(&text, &file, train, status)?,
    };
    reads_back(repo, &new, train, status)?;
    tx.write(&file, what, "catalog", new)?;
    Ok(())
}

/// Returns `text` with a `status:` added to a train that has none: below
/// its `name:` in a block mapping, after its name in a flow mapping.
fn add_status(text: &str, file: &str, train: &Train, status: Status) -> Result<String> {
    let p = &train.name_pos;
    let line = text.lines().nth(usize::try_from(p.line).unwrap_or(1) - 1).unwrap_or_default();
    let before: String = line.chars().take(usize::try_from(p.column).unwrap_or(1) - 1).collect();
    let Some(mut key) = before.rfind("name") else {
        return Err(refuse(train, p, "its `name:` is not where the file said"));
    };
    // A quoted key (`"name": T`) starts at its quote.
    if before[..key].ends_with(['"', '\'']) {
        key -= 1;
    }
    if before[..key].contains('{') {
        let name = yaml::scalar_at(text, file, p.line, p.column)?;
        return Ok(format!("{}, status: {status}{}", &text[..name.end], &text[name.end..]));
    }
    let column = before[..key].chars().count() as u64 + 1;
    yaml::insert_key_below(text, file, p.line, column, &format!("status: {status}"))
}

/// Refuses when the edited text does not read back as the same catalog
/// with the train at `status`: the edit would leave the file broken.
fn reads_back(repo: &Repo, new: &str, train: &Train, status: Status) -> Result<()> {
    let at = train.status_pos.as_ref().unwrap_or(&train.name_pos);
    let read = match repo.catalog_with_trains(new) {
        Ok(catalog) => catalog.and_then(|c| c.train(&train.name).map(|t| t.status)),
        Err(e) => {
            let first = e.problems.first().map(|p| p.message.clone()).unwrap_or_default();
            return Err(refuse(
                train,
                at,
                &format!("the edited file would not read back ({first})"),
            ));
        }
    };
    match read {
        Some(s) if s == status => Ok(()),
        Some(s) => Err(refuse(train, at, &format!("the edited file would read back as `{s}`"))),
        None => Err(refuse(train, at, "the edited file would not hold the train")),
    }
}

/// The refusal of a shape relman cannot edit, at `at`.
fn refuse(train: &Train, at: &Location, why: &str) -> Error {
    Error::input(format!(
        "relman cannot edit the `status:` of train `{}` in place: {why}",
        train.name
    ))
    .at(at.clone())
    .hint(HINT)
}
