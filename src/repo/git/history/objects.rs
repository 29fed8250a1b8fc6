//! How objects are read: commits and trees through gix's object database
//! (packs, loose objects, alternates and `refs/replace/` alike), and each
//! commit's parents, root tree and time from the commit-graph when one
//! exists and may be used.

use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::path::Path;
use std::rc::Rc;

use gix::ObjectId;
use gix::objs::Kind;
use gix::objs::commit::ref_iter::Token;
use gix::objs::{Find, FindHeader};

use super::super::{Git, git_err, oid};
use super::trie::{PathTrie, Raw};
use super::{CommitInfo, Queued};
use crate::domain::commit::Commit;
use crate::error::{Error, Result};

/// A map keyed by object id (gix's hasher: the id's own bytes).
pub(super) type OidMap<V> = gix::hashtable::HashMap<ObjectId, V>;

/// What a walk reads from a commit's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Header {
    pub(super) tree: ObjectId,
    pub(super) parents: Vec<ObjectId>,
    /// Committer time: seconds and offset in minutes (the offset is 0
    /// where the header came from the commit-graph, which keeps none).
    pub(super) time: (i64, i32),
}

/// A commit as a walk read it: its header, and its object when that was
/// read (not where the commit-graph answered).
pub(super) struct Loaded {
    pub(super) id: ObjectId,
    pub(super) header: Header,
    pub(super) object: Option<Vec<u8>>,
}

/// One thread's reader of the object database.
pub(in crate::repo::git) struct Reader {
    repo: gix::Repository,
    /// The commit-graph, where one exists and gives what the objects
    /// would (no replaced object, no graft, no shallow cut).
    graph: Option<gix::commitgraph::Graph>,
    buf: RefCell<Vec<u8>>,
}

impl Reader {
    /// A reader of `shared`, with the commit-graph when `graph` allows it.
    pub(in crate::repo::git) fn new(shared: &gix::ThreadSafeRepository, graph: bool) -> Self {
        let mut repo = shared.to_thread_local();
        // Commits read twice (the painting, then the walk since) are kept.
        repo.object_cache_size_if_unset(16 * 1024 * 1024);
        // Delta bases kept as git keeps them (`core.deltaBaseCacheLimit`,
        // 96 MiB unless set), found by hash: gix's default, 64 entries
        // searched in turn, cost a tenth of a long walk.
        if repo.config_snapshot().integer("core.deltaBaseCacheLimit").is_none() {
            repo.objects.set_pack_cache(|| {
                Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(96 * 1024 * 1024))
            });
        }
        let graph = if graph { repo.commit_graph_if_enabled().ok().flatten() } else { None };
        Self { repo, graph, buf: RefCell::new(Vec::new()) }
    }

    /// Reads object `id`, which must be of `kind`.
    fn read(&self, id: &gix::oid, kind: Kind) -> Result<Vec<u8>> {
        let mut buf = self.buf.borrow_mut();
        let what = kind.as_bytes();
        let what = String::from_utf8_lossy(what);
        let data = self
            .repo
            .objects
            .try_find(id, &mut buf)
            .map_err(|e| Error::input(format!("git: cannot read a {what}: {e}")))?
            .ok_or_else(|| missing(&what, id))?;
        if data.kind != kind {
            return Err(Error::refused(format!("object {id} is not a {what}")));
        }
        Ok(data.data.to_vec())
    }

    /// gix's handle (for the ref store).
    pub(in crate::repo::git) fn repo(&self) -> &gix::Repository {
        &self.repo
    }

    /// The object annotated tag `id` names, `None` where it cannot be read.
    pub(in crate::repo::git) fn tag_target(&self, id: &ObjectId) -> Option<ObjectId> {
        let data = self.read(id, Kind::Tag).ok()?;
        gix::objs::TagRefIter::from_bytes(&data, gix::hash::Kind::Sha1).target_id().ok()
    }

    /// The kind of object `id`, `None` where it is missing.
    pub(in crate::repo::git) fn kind(&self, id: &ObjectId) -> Option<Kind> {
        self.repo.objects.try_header(id).ok().flatten().map(|h| h.kind)
    }

    /// The header of commit `id`: from the commit-graph where it holds
    /// the commit, else from the object (then kept for its message).
    pub(super) fn load(&self, id: ObjectId) -> Result<Loaded> {
        if let Some(graph) = &self.graph
            && let Some(pos) = graph.lookup(id)
        {
            let commit = graph.commit_at(pos);
            let parents = commit
                .iter_parents()
                .map(|p| p.map(|p| graph.id_at(p).to_owned()))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| Error::input(format!("git: cannot read the commit-graph: {e}")))?;
            let time = i64::try_from(commit.committer_timestamp()).unwrap_or(i64::MAX);
            let header =
                Header { tree: commit.root_tree_id().to_owned(), parents, time: (time, 0) };
            return Ok(Loaded { id, header, object: None });
        }
        let object = self.read(&id, Kind::Commit)?;
        let header = parse(&object)?.header;
        Ok(Loaded { id, header, object: Some(object) })
    }

    /// The `CommitInfo` of commit `c`, reading its object if the walk did not.
    pub(super) fn info(&self, c: &Loaded, authors: bool) -> Result<CommitInfo> {
        let read;
        let object = match &c.object {
            Some(o) => o,
            None => {
                read = self.read(&c.id, Kind::Commit)?;
                &read
            }
        };
        let parsed = parse(object)?;
        let mut commit = Commit::new(c.id.to_string(), String::from_utf8_lossy(parsed.message));
        if authors {
            commit.author = parsed.author;
        }
        Ok(CommitInfo { commit, parents: c.header.parents.len(), time: parsed.header.time })
    }
}

/// The hint-bearing error for an object that is not there.
fn missing(what: &str, id: &gix::oid) -> Error {
    Error::refused(format!(
        "git: cannot read a {what}: an object is missing from the local repository ({id})"
    ))
    .hint(super::super::PARTIAL_HINT)
}

/// A commit object as gix reads it: the header, the message (leading
/// newlines dropped, as libgit2 gives it) and the author.
struct Parsed<'a> {
    header: Header,
    message: &'a [u8],
    author: String,
}

fn parse(data: &[u8]) -> Result<Parsed<'_>> {
    let corrupt = |e: &dyn std::fmt::Display| {
        Error::refused(format!("a commit object of the repository is corrupt: {e}"))
    };
    let (mut tree, mut parents, mut time) = (None, Vec::new(), (0, 0));
    let (mut message, mut author): (&[u8], String) = (&[], String::new());
    for token in gix::objs::CommitRefIter::from_bytes(data, gix::hash::Kind::Sha1) {
        match token.map_err(|e| corrupt(&e))? {
            Token::Tree { id } => tree = Some(id),
            Token::Parent { id } => parents.push(id),
            Token::Author { signature } => {
                author = format!("{} <{}>", signature.name, signature.email);
            }
            Token::Committer { signature } => {
                time = match signature.time() {
                    Ok(t) => (t.seconds, t.offset / 60),
                    Err(_) => (signature.seconds(), 0),
                };
            }
            Token::Message(m) => message = m,
            Token::Encoding(_) | Token::ExtraHeader(_) => {}
        }
    }
    let tree = tree.ok_or_else(|| corrupt(&"it names no tree"))?;
    let start = message.iter().position(|&b| b != b'\n').unwrap_or(message.len());
    Ok(Parsed { header: Header { tree, parents, time }, message: &message[start..], author })
}

/// Reads the root trees of commits and the trees below them for
/// `PathTrie::touched`, keeping the last ones read: a commit's parent's
/// trees are mostly the next commit's.
pub(super) struct Trees {
    reader: Reader,
    kept: OidMap<Raw>,
    order: VecDeque<ObjectId>,
}

impl Trees {
    const KEEP: usize = 256;

    /// A tree reader of its own (for this thread or another).
    pub(super) fn new(reader: Reader) -> Self {
        Self { reader, kept: OidMap::default(), order: VecDeque::new() }
    }

    fn read(&mut self, id: &gix::oid) -> Result<Raw> {
        if let Some(raw) = self.kept.get(id) {
            return Ok(raw.clone());
        }
        let raw: Raw = Rc::new(self.reader.read(id, Kind::Tree)?);
        if self.order.len() == Self::KEEP
            && let Some(old) = self.order.pop_front()
        {
            self.kept.remove(&old);
        }
        self.order.push_back(id.to_owned());
        self.kept.insert(id.to_owned(), raw.clone());
        Ok(raw)
    }

    /// The header of commit `id` (parents cut where `shallow` says), `None`
    /// where it cannot be read (then leave it to the walk).
    pub(super) fn header(&self, id: ObjectId, shallow: &HashSet<ObjectId>) -> Option<Header> {
        let mut header = self.reader.load(id).ok()?.header;
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
        now: Option<ObjectId>,
        before: Option<ObjectId>,
    ) -> Result<Vec<usize>> {
        trie.touched(&mut |t| self.read(t), now.as_deref(), before.as_deref())
    }
}

impl Git {
    /// This thread's reader, made on first use.
    pub(in crate::repo::git) fn reader(&self) -> &Reader {
        self.reader.get_or_init(|| self.new_reader())
    }

    /// A new reader (for a tree reader or another thread's walk).
    pub(super) fn new_reader(&self) -> Reader {
        Reader::new(&self.gix, self.graph_usable())
    }

    /// A tree reader of its own.
    pub(super) fn trees(&self) -> Trees {
        Trees::new(self.new_reader())
    }

    /// Reads commit `id`: its header (parents cut off by a shallow clone
    /// left out, those of `info/grafts` where that old file exists) and,
    /// unless the commit-graph answered, its object.
    pub(super) fn load(&self, id: ObjectId) -> Result<Loaded> {
        let mut c = self.reader().load(id)?;
        if self.shallow.contains(&id) {
            c.header.parents.clear();
        } else if self.grafts {
            // gix does not read `info/grafts`; libgit2 does.
            let commit = self.repo.find_commit(oid(&id.to_string())?);
            let commit = commit.map_err(git_err("read a commit"))?;
            c.header.parents = commit.parent_ids().map(|p| to_id(p.as_bytes())).collect();
        }
        Ok(c)
    }

    /// Reads commit `id` for a date-ordered walk, numbered `seq + 1`.
    pub(super) fn queued(&self, seq: &mut u64, id: ObjectId) -> Result<Queued<Loaded>> {
        let commit = self.load(id)?;
        *seq += 1;
        Ok(Queued { time: commit.header.time.0, seq: *seq, commit })
    }

    /// The `CommitInfo` of a commit read by a walk.
    pub(super) fn info_loaded(&self, c: &Loaded, authors: bool) -> Result<CommitInfo> {
        self.reader().info(c, authors)
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
        let tree = self.load(id(&head)?)?.header.tree;
        let trie = PathTrie::new(watched.iter().copied());
        let found: HashSet<usize> =
            self.trees().touched_ids(&trie, Some(tree), None)?.into_iter().collect();
        Ok(watched.iter().map(|&(i, _)| i).filter(|i| !found.contains(i)).collect())
    }

    /// Tells whether `id` names a commit in the object store.
    pub fn is_commit(&self, id: &str) -> bool {
        let Ok(id) = ObjectId::from_hex(id.as_bytes()) else { return false };
        self.reader().kind(&id) == Some(Kind::Commit)
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

/// An id from its 20 bytes (libgit2's, for the grafts).
fn to_id(bytes: &[u8]) -> ObjectId {
    ObjectId::try_from(bytes).unwrap_or_else(|_| ObjectId::null(gix::hash::Kind::Sha1))
}

/// Reads a commit id written in hex.
pub(super) fn id(hex: &str) -> Result<ObjectId> {
    ObjectId::from_hex(hex.as_bytes())
        .map_err(|e| Error::input(format!("git: cannot read a commit id `{hex}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_gives_the_tree_the_parents_the_committer_time_and_the_message() {
        let hex = |c: &str| c.repeat(40);
        let oid = |c: &str| ObjectId::from_hex(hex(c).as_bytes()).unwrap();
        let signed = format!(
            "tree {}\nparent {}\nparent {}\nauthor A <a@x> 1700000000 +0100\ncommitter C D <c@x> 1700000123 -0230\ngpgsig -----BEGIN PGP SIGNATURE-----\n parent {}\n -----END PGP SIGNATURE-----\n\nparent {}\n",
            hex("3"),
            hex("1"),
            hex("2"),
            hex("4"),
            hex("5")
        );
        let parsed = parse(signed.as_bytes()).unwrap();
        assert_eq!(parsed.header.tree, oid("3"));
        assert_eq!(parsed.header.time, (1_700_000_123, -150));
        assert_eq!(
            parsed.header.parents,
            [oid("1"), oid("2")],
            "signature lines and the message are not headers"
        );
        assert_eq!(parsed.author, "A <a@x>");
        assert_eq!(parsed.message, format!("parent {}\n", hex("5")).as_bytes());
        let root = format!(
            "tree {}\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 5 +0530\n\n\n\nmessage\n",
            hex("3")
        );
        let parsed = parse(root.as_bytes()).unwrap();
        let want = Header { tree: oid("3"), parents: Vec::new(), time: (5, 330) };
        assert_eq!(parsed.header, want);
        assert_eq!(parsed.message, b"message\n", "leading newlines dropped");
        assert!(parse(b"committer C <c@x> 5 +0000\n\n").is_err(), "no tree");
    }
}
