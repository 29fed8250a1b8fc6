//! What a train's hooks did since its last commit (SPEC §4.1): a record
//! per participant, written before each hook starts and after it ends,
//! beside the journal in git's common directory.
//!
//! A participant's release commit records that it was tagged; its hooks
//! run after that commit, and their results reach its committed
//! `<service>.yaml` with the train's next transition. Until then this
//! record is what tells a resumed run that a hook finished (it is not run
//! again) or was interrupted mid-run (it is reported and run again), so a
//! release commit never carries another participant's progress. It is
//! local to the clone: a run resumed on another machine runs the hooks of
//! a participant recorded as tagged again.

use std::path::PathBuf;

use super::Repo;
use crate::domain::train::ParticipantState;
use crate::error::{Error, Location, Result};
use crate::files;

/// The folder of the records, in the common git directory.
const DIR: &str = "relman-progress";

/// The progress records of one train.
#[derive(Debug, Clone)]
pub struct Records {
    dir: PathBuf,
}

impl Records {
    /// The records of `train` in `repo`.
    pub fn of(repo: &Repo, train: &str) -> Self {
        Self { dir: repo.git.common_dir().join(DIR).join(files::path_component(train)) }
    }

    fn path(&self, service: &str) -> PathBuf {
        self.dir.join(format!("{}.json", files::path_component(service)))
    }

    /// Records `p` as its hooks leave it.
    pub fn write(&self, p: &ParticipantState) -> Result<()> {
        files::create_dir_all(&self.dir)?;
        let text = serde_json::to_vec(p)
            .map_err(|e| Error::input(format!("cannot record a hook's progress: {e}")))?;
        // A kill leaves the record whole; it is advisory beside the
        // committed state, so it does not wait for the disk.
        // A run killed while writing it left a temporary file beside it:
        // the lock is held, so none of these is being written now.
        let path = self.path(&p.service);
        files::remove_all_temps(&path)?;
        files::replace_unsynced(&path, &text)
    }

    /// Returns `p` brought up to date with its record, when the record is
    /// of the same release (the same tag made from the same start) and
    /// holds hook runs beyond those `p` holds (what the last commit did
    /// not record yet); else `p` as it is.
    pub fn merge(&self, p: ParticipantState) -> Result<ParticipantState> {
        let file = self.path(&p.service);
        let shown = file.display().to_string();
        let Some(text) = files::read_text(&file, &shown)? else { return Ok(p) };
        let Ok(recorded) = serde_json::from_str::<ParticipantState>(&text) else {
            return Err(Error::refused("the record of a hook's progress is unreadable")
                .at(Location::file(shown))
                .hint("delete that file: the hooks of that participant then run again"));
        };
        let same_release = recorded.service == p.service
            && recorded.tag == p.tag
            && recorded.start == p.start
            && recorded.hooks.len() > p.hooks.len()
            && recorded.hooks.get(..p.hooks.len()) == Some(p.hooks.as_slice());
        Ok(if same_release { recorded } else { p })
    }

    fn pause_file(&self) -> PathBuf {
        self.dir.join("pause-requested")
    }

    /// Asks the command running this train to pause between participants
    /// (`train pause` while `train run` holds the lock): who asks.
    pub fn request_pause(&self, by: &str) -> Result<()> {
        files::create_dir_all(&self.dir)?;
        files::atomic_write(&self.pause_file(), by.as_bytes())
    }

    /// Takes a pause request, if one was made: who asked.
    pub fn take_pause_request(&self) -> Result<Option<String>> {
        let file = self.pause_file();
        let text = files::read_text(&file, &file.display().to_string())?;
        if text.is_some() {
            files::remove(&file)?;
        }
        Ok(text)
    }

    /// Forgets the records of a train that ended.
    pub fn clear(&self) -> Result<()> {
        if files::exists(&self.dir) { files::remove_dir_all(&self.dir) } else { Ok(()) }
    }
}
