//! How objects are read: commits and trees, from the packs relman maps
//! or through libgit2, and libgit2's process-wide cache switches.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use git2::{Oid, Repository};

use super::super::super::pack::{FastHasher, Kind};
pub(in crate::repo::git) use super::super::super::pack::{PackFiles, Packs};
use super::super::super::trie::{Id, PathTrie, Raw};
use super::super::{Git, git_err, oid};
use super::{CommitInfo, Queued};
use crate::domain::commit::Commit;
use crate::error::{Error, Result};

pub(super) fn info(commit: &git2::Commit<'_>, authors: bool) -> CommitInfo {
    let mut c =
        Commit::new(commit.id().to_string(), String::from_utf8_lossy(commit.message_bytes()));
    if authors {
        c.author = author_of(commit);
    }
    let time = commit.time();
    CommitInfo {
        commit: c,
        parents: commit.parent_count(),
        time: (time.seconds(), time.offset_minutes()),
    }
}

/// `Name <email>` of a commit's author.
pub(super) fn author_of(commit: &git2::Commit<'_>) -> String {
    let author = commit.author();
    format!(
        "{} <{}>",
        String::from_utf8_lossy(author.name_bytes()),
        String::from_utf8_lossy(author.email_bytes())
    )
}

/// A commit read from its raw object: what a walk needs, and the object
/// for its message.
pub(super) struct Loaded<'r> {
    pub(super) id: Oid,
    pub(super) header: Header,
    pub(super) object: Body<'r>,
}

/// A raw commit, from relman's pack reader or from libgit2's.
pub(super) enum Body<'r> {
    Packed(Raw),
    Odb(git2::OdbObject<'r>),
}

impl Body<'_> {
    fn data(&self) -> &[u8] {
        match self {
            Self::Packed(raw) => raw,
            Self::Odb(object) => object.data(),
        }
    }
}

/// The message of a raw commit: what follows the header's blank line,
/// without leading newlines (as libgit2 gives it).
pub(super) fn message_of(data: &[u8]) -> &[u8] {
    let body =
        data.windows(2).position(|w| w == b"\n\n").map_or(&data[data.len()..], |i| &data[i + 2..]);
    let start = body.iter().position(|&b| b != b'\n').unwrap_or(body.len());
    &body[start..]
}

/// Reads the root trees of commits and the trees below them for
/// `PathTrie::touched`, keeping the last ones read: a commit's parent's
/// trees are mostly the next commit's, and libgit2 keeps no tree in its
/// cache (see `TREES_UNCACHED`).
pub(super) struct Trees<'r> {
    /// libgit2's reader, for what is not in the packs (none: such an
    /// object is an error).
    odb: Option<git2::Odb<'r>>,
    packs: Packs,
    kept: OidMap<Raw>,
    order: std::collections::VecDeque<Oid>,
}

impl<'r> Trees<'r> {
    const KEEP: usize = 256;

    /// A reader of `packs`, and of the rest through libgit2's `repo`.
    pub(super) fn new(repo: &'r Repository, packs: PackFiles) -> Result<Self> {
        let odb = repo.odb().map_err(git_err("open the object database"))?;
        Ok(Self { odb: Some(odb), ..Self::packed(packs) })
    }

    /// A reader of the packs alone.
    pub(super) fn packed(packs: PackFiles) -> Self {
        Self {
            odb: None,
            packs: Packs::new(packs),
            kept: OidMap::default(),
            order: std::collections::VecDeque::new(),
        }
    }

    fn read(&mut self, bytes: &Id) -> Result<Raw> {
        let id = Oid::from_bytes(bytes).map_err(git_err("read a tree"))?;
        if let Some(raw) = self.kept.get(&id) {
            return Ok(raw.clone());
        }
        let raw: Raw = match self.packs.read(bytes) {
            Some((Kind::Tree, raw)) => raw,
            Some(_) => return Err(Error::refused(format!("object {id} is not a tree"))),
            None => {
                let Some(odb) = &self.odb else {
                    return Err(Error::refused(format!("tree {id} is not in a pack")));
                };
                let object = odb.read(id).map_err(git_err("read a tree"))?;
                if object.kind() != git2::ObjectType::Tree {
                    return Err(Error::refused(format!("object {id} is not a tree")));
                }
                Raw::new(object.data().to_vec())
            }
        };
        if self.order.len() == Self::KEEP
            && let Some(old) = self.order.pop_front()
        {
            self.kept.remove(&old);
        }
        self.order.push_back(id);
        self.kept.insert(id, raw.clone());
        Ok(raw)
    }

    /// The header of commit `id` read raw (the packs first), its parents
    /// as `Git::load` gives them where `shallow` cut some off; `None` where
    /// it cannot be read so (then leave it to the walk).
    pub(super) fn header(&mut self, id: Oid, shallow: &HashSet<Oid>) -> Option<Header> {
        let bytes: Id = id.as_bytes().try_into().ok()?;
        let mut header = match self.packs.read(&bytes) {
            Some((Kind::Commit, raw)) => commit_header(&raw)?,
            Some(_) => return None,
            None => commit_header(self.odb.as_ref()?.read(id).ok()?.data())?,
        };
        if shallow.contains(&id) {
            header.parents.clear();
        }
        Some(header)
    }

    /// Returns the targets of `trie` whose paths differ between the root
    /// trees `now` and `before`.
    pub(super) fn touched_ids(
        &mut self,
        trie: &PathTrie,
        now: Option<Oid>,
        before: Option<Oid>,
    ) -> Result<Vec<usize>> {
        let id = |o: Oid| -> Option<Id> { o.as_bytes().try_into().ok() };
        let (now, before) = (now.and_then(id), before.and_then(id));
        trie.touched(&mut |t| self.read(t), now.as_ref(), before.as_ref())
    }
}

/// Process-wide libgit2 settings for a reader of a local repository.
///
/// relman reads objects git wrote; like git itself it does not re-hash
/// every object it reads (libgit2 does by default, a third of a full walk's
/// time). The object cache is on only while it pays (see `cache`).
pub(in crate::repo::git) fn tune() {
    git2::opts::strict_hash_verification(false);
    cache(false);
    TREES_UNCACHED.call_once(|| {
        // SAFETY: this sets a plain libgit2 global that libgit2 reads when
        // it caches an object. It runs once, when relman first opens a
        // repository, on the main thread and before relman starts any
        // thread (the catalog's parsing threads and hook threads come
        // later, and only after a repository is open).
        let _ = unsafe { git2::opts::set_cache_object_limit(git2::ObjectType::Tree, 0) };
    });
}

/// libgit2 keeps no tree in its object cache: a history walk reads each
/// tree once or twice, and `Trees` keeps the ones it needs again; cached,
/// every tree read was copied and kept (1.3 GB on 115,000 commits of a
/// 10,000-service monorepo, evicted and refilled), where commits, which
/// the walks do read again, stay cached.
static TREES_UNCACHED: std::sync::Once = std::sync::Once::new();

/// Turns libgit2's object cache on or off. Finding the last tag and then
/// reading the commits since it walk the same commits, so the cache is on
/// for that; a walk of the whole history reads each commit once, where
/// caching 200,000 commits only costs.
pub(super) fn cache(on: bool) {
    git2::opts::enable_caching(on);
}

/// What a walk reads from a commit's header.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Header {
    pub(super) tree: Oid,
    pub(super) parents: Vec<Oid>,
    /// Committer time: seconds and offset in minutes.
    pub(super) time: (i64, i32),
}

/// Reads a commit's raw header, or `None` when it is not written as git
/// writes it.
pub(super) fn commit_header(data: &[u8]) -> Option<Header> {
    let hex = |h: &[u8]| std::str::from_utf8(h).ok().and_then(|h| Oid::from_str(h).ok());
    let (mut tree, mut time, mut parents) = (None, None, Vec::new());
    for line in data.split(|&b| b == b'\n') {
        if line.is_empty() {
            break;
        }
        if let Some(h) = line.strip_prefix(b"tree ") {
            tree = Some(hex(h)?);
        } else if let Some(h) = line.strip_prefix(b"parent ") {
            parents.push(hex(h)?);
        } else if let Some(rest) = line.strip_prefix(b"committer ") {
            let mut tail = rest.rsplitn(3, |&b| b == b' ');
            let (zone, seconds) = (tail.next()?, tail.next()?);
            let seconds: i64 = std::str::from_utf8(seconds).ok()?.parse().ok()?;
            let (sign, digits) = match zone {
                [b'+', d @ ..] => (1, d),
                [b'-', d @ ..] => (-1, d),
                _ => return None,
            };
            let hhmm: i32 =
                std::str::from_utf8(digits).ok().filter(|d| d.len() == 4)?.parse().ok()?;
            time = Some((seconds, sign * (hhmm / 100 * 60 + hhmm % 100)));
        }
    }
    Some(Header { tree: tree?, parents, time: time? })
}

/// A map keyed by object id.
pub(super) type OidMap<V> = HashMap<Oid, V, std::hash::BuildHasherDefault<FastHasher>>;

impl Git {
    /// A tree reader: the packs, and libgit2 for the rest.
    pub(super) fn trees(&self) -> Result<Trees<'_>> {
        Trees::new(&self.repo, self.pack_files())
    }

    /// The repository's pack files, mapped on first use. A pack written
    /// after that is not among them: its objects are read through libgit2.
    pub(super) fn pack_files(&self) -> PackFiles {
        self.packs.get_or_init(|| PackFiles::open(&self.repo.commondir().join("objects"))).clone()
    }

    /// Reads commit `id` raw: with `packed`, from the packs where they
    /// hold it (through the reader the walks of this run share), else
    /// through libgit2, whose cache then holds it for a libgit2 walk
    /// after. Its parents are the ones libgit2 gives: none where a shallow
    /// clone cut them off, and those of `info/grafts` where that old file
    /// exists (then libgit2 parses every commit).
    pub(super) fn load<'r>(
        &self,
        odb: &'r git2::Odb<'_>,
        packed: bool,
        id: Oid,
    ) -> Result<Loaded<'r>> {
        let not_commit = || Error::refused(format!("object {id} is not a commit"));
        let from_packs = || {
            let bytes: Id = id.as_bytes().try_into().ok()?;
            let mut reader = self.commit_packs.borrow_mut();
            reader.get_or_insert_with(|| Packs::new(self.pack_files())).read(&bytes)
        };
        let object = match if packed { from_packs() } else { None } {
            Some((Kind::Commit, raw)) => Body::Packed(raw),
            Some(_) => return Err(not_commit()),
            None => {
                let object = odb.read(id).map_err(git_err("read a commit"))?;
                if object.kind() != git2::ObjectType::Commit {
                    return Err(not_commit());
                }
                Body::Odb(object)
            }
        };
        let header = match commit_header(object.data()).filter(|_| !self.grafts) {
            Some(mut h) => {
                if self.shallow.contains(&id) {
                    h.parents.clear();
                }
                h
            }
            None => {
                let c = self.repo.find_commit(id).map_err(git_err("read a commit"))?;
                let time = c.time();
                Header {
                    tree: c.tree_id(),
                    parents: c.parent_ids().collect(),
                    time: (time.seconds(), time.offset_minutes()),
                }
            }
        };
        Ok(Loaded { id, header, object })
    }

    /// Reads commit `id` raw for a date-ordered walk, numbered `seq + 1`.
    pub(super) fn queued<'r>(
        &self,
        odb: &'r git2::Odb<'_>,
        packed: bool,
        seq: &mut u64,
        id: Oid,
    ) -> Result<Queued<Loaded<'r>>> {
        let commit = self.load(odb, packed, id)?;
        *seq += 1;
        Ok(Queued { time: commit.header.time.0, seq: *seq, commit })
    }

    /// The `CommitInfo` of a commit read raw.
    pub(super) fn info_loaded(&self, c: &Loaded<'_>, authors: bool) -> Result<CommitInfo> {
        let mut commit =
            Commit::new(c.id.to_string(), String::from_utf8_lossy(message_of(c.object.data())));
        if authors {
            commit.author =
                author_of(&self.repo.find_commit(c.id).map_err(git_err("read a commit"))?);
        }
        Ok(CommitInfo { commit, parents: c.header.parents.len(), time: c.header.time })
    }

    /// Returns a blob's bytes.
    pub fn blob(&self, id: &str) -> Result<Vec<u8>> {
        let blob = self.repo.find_blob(oid(id)?).map_err(git_err("read a file's object"))?;
        Ok(blob.content().to_vec())
    }

    /// The indexes (of `watched`, each an index and a path) whose path
    /// names nothing in HEAD's tree, in one pruned pass over that tree;
    /// none in an empty repository.
    pub(super) fn missing_at_head(&self, watched: &[(usize, &str)]) -> Result<Vec<usize>> {
        let Some(head) = self.head()? else { return Ok(Vec::new()) };
        let tree = self.repo.find_commit(oid(&head)?).map_err(git_err("read a commit"))?.tree_id();
        let trie = PathTrie::new(watched.iter().copied());
        let found: HashSet<usize> =
            self.trees()?.touched_ids(&trie, Some(tree), None)?.into_iter().collect();
        Ok(watched.iter().map(|&(i, _)| i).filter(|i| !found.contains(i)).collect())
    }

    /// Tells whether `id` names a commit in the object store.
    pub fn is_commit(&self, id: &str) -> bool {
        let Ok(id) = Oid::from_str(id) else { return false };
        // The packs tell from an entry's header; libgit2 would look the
        // object up under its lock.
        if let Some(kind) = id.as_bytes().try_into().ok().and_then(|b| self.pack_files().kind(&b)) {
            return kind == Kind::Commit;
        }
        self.repo
            .odb()
            .and_then(|odb| odb.read_header(id))
            .is_ok_and(|(_, kind)| kind == git2::ObjectType::Commit)
    }

    /// Returns a file's text as committed in `commit`, `None` when absent.
    pub fn read_at(&self, commit: &str, path: &str) -> Result<Option<String>> {
        let commit = self.repo.find_commit(oid(commit)?).map_err(git_err("read a commit"))?;
        let tree = commit.tree().map_err(git_err("read a tree"))?;
        let Ok(entry) = tree.get_path(Path::new(path)) else { return Ok(None) };
        let blob = self.repo.find_blob(entry.id()).map_err(git_err("read a file"))?;
        Ok(Some(String::from_utf8_lossy(blob.content()).into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_header_gives_the_tree_the_parents_and_the_committer_time() {
        let hex = |c: &str| c.repeat(40);
        let oid = |c: &str| Oid::from_str(&hex(c)).unwrap();
        let signed = format!(
            "tree {}\nparent {}\nparent {}\nauthor A <a@x> 1700000000 +0100\ncommitter C D <c@x> 1700000123 -0230\ngpgsig -----BEGIN PGP SIGNATURE-----\n parent {}\n -----END PGP SIGNATURE-----\n\nparent {}\n",
            hex("3"),
            hex("1"),
            hex("2"),
            hex("4"),
            hex("5")
        );
        let header = commit_header(signed.as_bytes()).unwrap();
        assert_eq!(header.tree, oid("3"));
        assert_eq!(header.time, (1_700_000_123, -150));
        assert_eq!(
            header.parents,
            [oid("1"), oid("2")],
            "signature lines and the message are not headers"
        );
        assert_eq!(message_of(signed.as_bytes()), format!("parent {}\n", hex("5")).as_bytes());
        let root = format!("tree {}\ncommitter C <c@x> 5 +0530\n\n\n\nmessage\n", hex("3"));
        let want = Header { tree: oid("3"), parents: Vec::new(), time: (5, 330) };
        assert_eq!(commit_header(root.as_bytes()), Some(want));
        assert_eq!(message_of(root.as_bytes()), b"message\n", "leading newlines dropped");
        for broken in [
            "committer C <c@x> 5 +0000\n\n".to_owned(),
            format!("tree {}\ncommitter C <c@x> soon +0000\n", hex("3")),
            format!("tree {}\ncommitter C <c@x> 5 0000\n", hex("3")),
            format!("tree {}\nparent xyz\ncommitter C 5 +0000\n", hex("3")),
        ] {
            assert_eq!(commit_header(broken.as_bytes()), None, "{broken}");
        }
    }
}
