//! The `status:` of a train in release-trains.yaml (SPEC §4): the one
//! value relman edits in a file people own, surgically, through a
//! transaction.

use super::Repo;
use super::transaction::Transaction;
use crate::domain::catalog::Train;
use crate::domain::train::Status;
use crate::error::{Error, Location, Result};

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
