//! The one door to git: the only module that names `git2`.
//!
//! Every call returns owned relman values (names, ids, messages), never git2
//! types. Signed tags go through the `git` CLI, the only way to honour the
//! user's own signing setup (`gpg.format`, `user.signingKey`, agents).

use std::cell::RefCell;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use git2::{Oid, Repository, RepositoryState, Sort, StatusOptions};

use super::pack::{FastHasher, Kind, PackFiles, Packs};
use super::trie::{Id, PathTrie, Raw};
use crate::domain::commit::Commit;
use crate::error::{Error, Result};

/// A commit as read from the repository.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    /// Id and message.
    pub commit: Commit,
    /// Number of parents (merges have more than one).
    pub parents: usize,
    /// When it was committed: seconds and the committer's offset in minutes.
    pub time: (i64, i32),
}

/// Where hook logs go, relative to the root (SPEC §6.3).
pub const LOGS: &str = ".relman/logs/";

/// What `commits_for` reads for one target.
#[derive(Debug, Clone)]
pub struct WalkTarget {
    /// The last release's commit: it and its ancestors are left out.
    pub since: Option<String>,
    /// Only commits changing something under these paths; `None` for all.
    pub paths: Option<Vec<String>>,
}

fn oid(hex: &str) -> Result<Oid> {
    Oid::from_str(hex).map_err(git_err("read a commit id"))
}

fn info(commit: &git2::Commit<'_>, authors: bool) -> CommitInfo {
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
fn author_of(commit: &git2::Commit<'_>) -> String {
    let author = commit.author();
    format!(
        "{} <{}>",
        String::from_utf8_lossy(author.name_bytes()),
        String::from_utf8_lossy(author.email_bytes())
    )
}

/// A commit read from its raw object: what a walk needs, and the object
/// for its message.
struct Loaded<'r> {
    id: Oid,
    header: Header,
    object: Body<'r>,
}

/// A raw commit, from relman's pack reader or from libgit2's.
enum Body<'r> {
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
fn message_of(data: &[u8]) -> &[u8] {
    let body =
        data.windows(2).position(|w| w == b"\n\n").map_or(&data[data.len()..], |i| &data[i + 2..]);
    let start = body.iter().position(|&b| b != b'\n').unwrap_or(body.len());
    &body[start..]
}

/// Reads the root trees of commits and the trees below them for
/// `PathTrie::touched`, keeping the last ones read: a commit's parent's
/// trees are mostly the next commit's, and libgit2 keeps no tree in its
/// cache (see `TREES_UNCACHED`).
struct Trees<'r> {
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
    fn new(repo: &'r Repository, packs: PackFiles) -> Result<Self> {
        let odb = repo.odb().map_err(git_err("open the object database"))?;
        Ok(Self { odb: Some(odb), ..Self::packed(packs) })
    }

    /// A reader of the packs alone.
    fn packed(packs: PackFiles) -> Self {
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
    fn header(&mut self, id: Oid, shallow: &HashSet<Oid>) -> Option<Header> {
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
    fn touched_ids(
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

fn trie_of(targets: &[WalkTarget]) -> PathTrie {
    PathTrie::new(
        targets
            .iter()
            .enumerate()
            .flat_map(|(i, t)| t.paths.iter().flatten().map(move |p| (i, p.as_str()))),
    )
}

/// Process-wide libgit2 settings for a reader of a local repository.
///
/// relman reads objects git wrote; like git itself it does not re-hash
/// every object it reads (libgit2 does by default, a third of a full walk's
/// time). The object cache is on only while it pays (see `cache`).
fn tune() {
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
fn cache(on: bool) {
    git2::opts::enable_caching(on);
}

/// Which of git's two identities a signature is.
#[derive(Debug, Clone, Copy)]
enum Role {
    /// Who made the change (`GIT_AUTHOR_*`).
    Author,
    /// Who committed it, and who tags (`GIT_COMMITTER_*`).
    Committer,
}

/// The parents a walk follows: the first only, with `first_parent`.
fn followed(parents: &[Oid], first_parent: bool) -> &[Oid] {
    &parents[..if first_parent { parents.len().min(1) } else { parents.len() }]
}

/// A commit of the topological walk of many targets: its id, root tree,
/// every parent, and whether it may be pending (with first-parent
/// history, only the commits of the tip's first-parent line may).
struct Walked {
    id: Oid,
    tree: Oid,
    parents: Vec<Oid>,
    candidate: bool,
}

/// Compares commits with their first parents along `trie`'s paths, newest
/// first from `tip` (committer time, as the painting goes), until `stop`:
/// what `commits_for` would compute for them, computed while the walk for
/// the last releases runs. It reads the packs alone (no libgit2 handle to
/// open or share): an object not in them ends it early, and the walk
/// compares the rest.
fn compare_ahead(
    packs: PackFiles,
    tip: Oid,
    shallow: &HashSet<Oid>,
    first_parent: bool,
    trie: &PathTrie,
    stop: &std::sync::atomic::AtomicBool,
) -> OidMap<Vec<usize>> {
    let mut out = OidMap::default();
    let mut trees = Trees::packed(packs);
    let mut tree_of: OidMap<Oid> = OidMap::default();
    let mut queue = BinaryHeap::new();
    let mut seq = 0u64;
    let Some(h) = trees.header(tip, shallow) else { return out };
    tree_of.insert(tip, h.tree);
    queue.push(Queued { time: h.time.0, seq, commit: (tip, h) });
    while !stop.load(std::sync::atomic::Ordering::Relaxed)
        && let Some(Queued { commit: (id, header), .. }) = queue.pop()
    {
        for &p in followed(&header.parents, first_parent) {
            if tree_of.contains_key(&p) {
                continue;
            }
            let Some(h) = trees.header(p, shallow) else { return out };
            tree_of.insert(p, h.tree);
            seq += 1;
            queue.push(Queued { time: h.time.0, seq, commit: (p, h) });
        }
        let before = header.parents.first().and_then(|p| tree_of.get(p).copied());
        let Ok(hit) = trees.touched_ids(trie, Some(header.tree), before) else { return out };
        out.insert(id, hit);
    }
    out
}

/// A commit in the date-ordered walk: newest first, then first queued.
struct Queued<C> {
    time: i64,
    seq: u64,
    commit: C,
}

impl<C> PartialEq for Queued<C> {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.seq) == (other.time, other.seq)
    }
}

impl<C> Eq for Queued<C> {}

impl<C> PartialOrd for Queued<C> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<C> Ord for Queued<C> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.time.cmp(&other.time).then_with(|| other.seq.cmp(&self.seq))
    }
}

/// What a walk reads from a commit's header.
#[derive(Debug, PartialEq, Eq)]
struct Header {
    tree: Oid,
    parents: Vec<Oid>,
    /// Committer time: seconds and offset in minutes.
    time: (i64, i32),
}

/// Reads a commit's raw header, or `None` when it is not written as git
/// writes it.
fn commit_header(data: &[u8]) -> Option<Header> {
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
type OidMap<V> = HashMap<Oid, V, std::hash::BuildHasherDefault<FastHasher>>;

fn get_bit(bits: &[u64], b: usize) -> bool {
    bits[b / 64] & (1 << (b % 64)) != 0
}

fn set_bit(bits: &mut [u64], b: usize) {
    bits[b / 64] |= 1 << (b % 64);
}

fn clear_bit(bits: &mut [u64], b: usize) {
    bits[b / 64] &= !(1 << (b % 64));
}

/// Whether a commit carrying `f` can still lead the tip to an undecided
/// candidate (`want`): it is reachable from the tip (bit 0) and not from
/// some undecided candidate, since a commit below a candidate cannot lie
/// above it.
fn leads(f: &[u64], want: &[u64]) -> bool {
    get_bit(f, 0) && f.iter().zip(want).any(|(x, w)| w & !x != 0)
}

/// The paint of `Git::reachable` and `Git::common_base`: for every commit met, its bits and
/// whether it is queued, in flat vectors (one slot per commit).
struct Paint {
    words: usize,
    slot_of: OidMap<usize>,
    bits: Vec<u64>,
    queued: Vec<bool>,
}

impl Paint {
    fn new(words: usize) -> Self {
        Self { words, slot_of: OidMap::default(), bits: Vec::new(), queued: Vec::new() }
    }

    fn slot(&mut self, id: Oid) -> usize {
        let (bits, queued, words) = (&mut self.bits, &mut self.queued, self.words);
        *self.slot_of.entry(id).or_insert_with(|| {
            bits.extend(std::iter::repeat_n(0, words));
            queued.push(false);
            queued.len() - 1
        })
    }

    fn bits(&self, s: usize) -> &[u64] {
        &self.bits[s * self.words..(s + 1) * self.words]
    }

    fn bits_mut(&mut self, s: usize) -> &mut [u64] {
        &mut self.bits[s * self.words..(s + 1) * self.words]
    }

    fn count_live(&self, queue: &BinaryHeap<Queued<Loaded<'_>>>, want: &[u64]) -> usize {
        queue
            .iter()
            .filter(|q| self.slot_of.get(&q.commit.id).is_some_and(|&s| leads(self.bits(s), want)))
            .count()
    }
}

/// An open repository.
pub struct Git {
    repo: Repository,
    root: PathBuf,
    /// `packed-refs`, read and indexed once.
    packed: std::cell::OnceCell<PackedRefs>,
    /// The commits whose parents a shallow clone cut off (`.git/shallow`).
    shallow: HashSet<Oid>,
    /// Warnings about the repository met while reading (skipped tags).
    warnings: RefCell<Vec<String>>,
    /// Commits read carry their author (someone asked for them).
    authors: std::cell::Cell<bool>,
    /// `info/grafts` rewrites some commits' parents (libgit2 reads it).
    grafts: bool,
    /// The pack files, mapped when first read.
    packs: std::cell::OnceCell<PackFiles>,
    /// The names of the loose tag files, listed when first asked.
    loose_tags: std::cell::OnceCell<HashSet<String>>,
    /// The reader of commits from the packs, shared by the walks of a run
    /// (what one read, the next finds kept).
    commit_packs: RefCell<Option<Packs>>,
}

/// Whether a commit is HEAD or one of its ancestors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// It is.
    Yes,
    /// It is not.
    No,
    /// A shallow clone cut the history that would tell.
    Unknown,
}

/// The hint for a history that a shallow clone cut.
pub const UNSHALLOW_HINT: &str = "fetch the whole history and the tags: `git fetch --unshallow --tags` (in GitHub Actions, `actions/checkout` with `fetch-depth: 0`)";

/// Returns the refusal for a history a shallow clone cut while `what`.
pub fn shallow_error(what: &str) -> Error {
    Error::refused(format!("this is a shallow clone and the history it cut could change {what}"))
        .hint(UNSHALLOW_HINT)
}

/// `packed-refs` and an index of its tags: for each, the byte range of its
/// name and, when the file says, of the commit it peels to. Sorted by name.
#[derive(Debug, Default)]
struct PackedRefs {
    text: String,
    tags: Vec<(std::ops::Range<usize>, Option<std::ops::Range<usize>>)>,
}

impl PackedRefs {
    fn parse(text: String) -> Self {
        // A `^` line after a tag gives the commit an annotated tag peels to;
        // in a "fully-peeled" file a tag without one points at a commit itself.
        let fully_peeled =
            text.lines().next().is_some_and(|l| l.starts_with('#') && l.contains(" fully-peeled"));
        let mut tags: Vec<(std::ops::Range<usize>, Option<std::ops::Range<usize>>)> = Vec::new();
        let mut last_was_tag = false;
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let line = line.trim_end();
            if let Some(peeled) = line.strip_prefix('^') {
                if let (true, Some(tag)) = (last_was_tag, tags.last_mut()) {
                    tag.1 = Some(start + 1..start + 1 + peeled.len());
                }
                last_was_tag = false;
                continue;
            }
            last_was_tag = false;
            let Some((id, refname)) = line.split_once(' ') else { continue };
            if line.starts_with('#') || !refname.starts_with("refs/tags/") {
                continue;
            }
            let name_start = start + id.len() + 1 + "refs/tags/".len();
            tags.push((
                name_start..start + line.len(),
                fully_peeled.then(|| start..start + id.len()),
            ));
            last_was_tag = true;
        }
        if !tags.is_sorted_by(|a, b| text[a.0.clone()] <= text[b.0.clone()]) {
            tags.sort_by(|a, b| text[a.0.clone()].cmp(&text[b.0.clone()]));
        }
        Self { text, tags }
    }

    /// Every packed tag: its name and the commit it peels to, when known.
    fn iter(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.tags.iter().map(|(name, commit)| {
            (&self.text[name.clone()], commit.as_ref().map(|c| &self.text[c.clone()]))
        })
    }

    /// The commit the packed tag `name` peels to, when the file says.
    fn commit(&self, name: &str) -> Option<&str> {
        let i = self.tags.binary_search_by(|(n, _)| self.text[n.clone()].cmp(name)).ok()?;
        self.tags[i].1.as_ref().map(|c| &self.text[c.clone()])
    }
}

fn git_err(action: &str) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| {
        if e.code() == git2::ErrorCode::NotFound && e.class() == git2::ErrorClass::Odb {
            // A partial clone (`--filter=tree:0`) or a broken object store.
            return Error::refused(format!(
                "git: cannot {action}: an object is missing from the local repository ({})",
                e.message()
            ))
            .hint(PARTIAL_HINT);
        }
        Error::input(format!("git: cannot {action}: {}", e.message()))
    }
}

/// The hint for an object a partial clone left out.
pub const PARTIAL_HINT: &str = "relman reads commits and trees locally and never fetches: in a partial clone made with `--filter=tree:0` run `git fetch --refetch --filter=blob:none origin` (blob-less clones work), or clone without `--filter`";

impl Git {
    /// Opens the repository that contains `dir`.
    pub fn discover(dir: &Path) -> Result<Self> {
        tune();
        let repo = Repository::discover(dir).map_err(|e| {
            Error::input(format!(
                "`{}` is not inside a git repository: {}",
                dir.display(),
                e.message()
            ))
            .hint("run relman inside a git repository, or pass `-C DIR`")
        })?;
        // A `.git` file (a clone made with `--separate-git-dir`, a worktree)
        // names the git directory; the work tree is the folder holding it.
        // libgit2 takes the git directory's parent for a separate one.
        let gitlink = dir.ancestors().find(|d| d.join(".git").exists());
        if let Some(top) = gitlink.filter(|d| d.join(".git").is_file()) {
            repo.set_workdir(top, false).map_err(git_err("open the work tree"))?;
        }
        let root = repo
            .workdir()
            .ok_or_else(|| {
                Error::input("relman needs a repository with a work tree, not a bare one")
            })?
            .to_path_buf();
        Ok(Self::with(repo, root))
    }

    fn with(repo: Repository, root: PathBuf) -> Self {
        let shallow = std::fs::read_to_string(repo.commondir().join("shallow"))
            .map(|text| text.lines().filter_map(|l| Oid::from_str(l.trim()).ok()).collect())
            .unwrap_or_default();
        let grafts = repo.commondir().join("info/grafts").exists();
        Self {
            repo,
            root,
            packed: std::cell::OnceCell::new(),
            shallow,
            warnings: RefCell::default(),
            authors: std::cell::Cell::new(false),
            grafts,
            packs: std::cell::OnceCell::new(),
            loose_tags: std::cell::OnceCell::new(),
            commit_packs: RefCell::new(None),
        }
    }

    /// A tree reader: the packs, and libgit2 for the rest.
    fn trees(&self) -> Result<Trees<'_>> {
        Trees::new(&self.repo, self.pack_files())
    }

    /// The repository's pack files, mapped on first use. A pack written
    /// after that is not among them: its objects are read through libgit2.
    fn pack_files(&self) -> PackFiles {
        self.packs.get_or_init(|| PackFiles::open(&self.repo.commondir().join("objects"))).clone()
    }

    /// Records that tag `name` is skipped, and why (reported as a warning).
    pub fn skip_tag(&self, name: &str, why: &str) {
        let message = format!("tag `{name}` is skipped: {why}");
        let mut warnings = self.warnings.borrow_mut();
        if !warnings.contains(&message) {
            warnings.push(message);
        }
    }

    /// Takes the warnings met while reading (each once).
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.borrow_mut())
    }

    /// Returns the warnings so far, leaving them to be taken.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.borrow().clone()
    }

    /// Creates a new repository in `dir` whose first branch is `branch`.
    pub fn init(dir: &Path, branch: &str) -> Result<Self> {
        tune();
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head(branch);
        let repo = Repository::init_opts(dir, &opts).map_err(|e| {
            Error::input(format!(
                "cannot create a repository in `{}`: {}",
                dir.display(),
                e.message()
            ))
        })?;
        let root = repo.workdir().unwrap_or(dir).to_path_buf();
        Ok(Self::with(repo, root))
    }

    /// Sets a value in the repository's own git config.
    pub fn set_config(&self, key: &str, value: &str) -> Result<()> {
        let mut config = self.repo.config().map_err(git_err("open the config"))?;
        config.set_str(key, value).map_err(git_err("write the config"))
    }

    /// Returns the work tree's root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Returns the `.git` directory.
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    /// Returns the current branch, or `None` when HEAD is detached.
    /// On an unborn branch it returns the branch HEAD names.
    pub fn branch(&self) -> Result<Option<String>> {
        match self.repo.head() {
            Ok(head) if head.is_branch() => Ok(head.shorthand().ok().map(str::to_owned)),
            Ok(_) => Ok(None),
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch => {
                let head = self.repo.find_reference("HEAD").map_err(git_err("read HEAD"))?;
                Ok(head
                    .symbolic_target()
                    .ok()
                    .flatten()
                    .map(|t| t.trim_start_matches("refs/heads/").to_owned()))
            }
            Err(e) => Err(git_err("read HEAD")(e)),
        }
    }

    /// Returns the commit HEAD points at, `None` in an empty repository.
    pub fn head(&self) -> Result<Option<String>> {
        match self.repo.head() {
            Ok(head) => Ok(head.target().map(|o| o.to_string())),
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch => Ok(None),
            Err(e) => Err(git_err("read HEAD")(e)),
        }
    }

    /// Returns the paths that make the work tree dirty (untracked included,
    /// ignored files not), plus an in-progress merge or rebase if any.
    pub fn dirty_paths(&self) -> Result<Vec<String>> {
        Ok(self.dirty()?.into_iter().map(|(path, _)| path).collect())
    }

    /// Returns what `dirty_paths` does, each path with whether it is
    /// untracked (a folder of untracked files is one entry, `catalog/`).
    pub fn dirty(&self) -> Result<Vec<(String, bool)>> {
        let mut opts = StatusOptions::new();
        opts.include_untracked(true).recurse_untracked_dirs(false).include_ignored(false);
        let statuses = self.repo.statuses(Some(&mut opts)).map_err(git_err("read status"))?;
        // A sparse checkout leaves the files outside its cone out of the work
        // tree, marked skip-worktree in the index: git does not call them
        // deleted, and neither does relman (libgit2's status does).
        const SKIP_WORKTREE: u16 = 1 << 14;
        let index = self.repo.index().map_err(git_err("read the index"))?;
        let skipped = |path: &[u8]| {
            index
                .get_path(Path::new(&*String::from_utf8_lossy(path)), 0)
                .is_some_and(|e| e.flags_extended & SKIP_WORKTREE != 0)
        };
        // relman's own hook logs (`.relman/logs/`, not committed) are
        // not a change, whether or not `.gitignore` says so.
        let root = self.root().to_path_buf();
        let only_logs = |path: &str| {
            path.starts_with(LOGS)
                || (path == ".relman/"
                    && std::fs::read_dir(root.join(".relman"))
                        .is_ok_and(|d| d.filter_map(|e| e.ok()).all(|e| e.file_name() == "logs")))
        };
        let mut out: Vec<(String, bool)> = statuses
            .iter()
            .filter(|s| !s.status().is_ignored())
            .filter(|s| !(s.status() == git2::Status::WT_DELETED && skipped(s.path_bytes())))
            .map(|s| (String::from_utf8_lossy(s.path_bytes()).into_owned(), s.status().is_wt_new()))
            .filter(|(p, _)| !only_logs(p))
            .collect();
        if self.repo.state() != RepositoryState::Clean {
            out.push((format!("(a {:?} is in progress)", self.repo.state()).to_lowercase(), false));
        }
        Ok(out)
    }

    fn packed_refs(&self) -> Result<&PackedRefs> {
        if let Some(packed) = self.packed.get() {
            return Ok(packed);
        }
        let path = self.repo.commondir().join("packed-refs");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io("read", &path, &e)),
        };
        Ok(self.packed.get_or_init(|| PackedRefs::parse(text)))
    }

    /// Returns the names of the loose tags under `refs/tags/` starting with `prefix`.
    fn loose_tag_names(&self, prefix: &str) -> Vec<String> {
        fn walk(dir: &Path, rel: &str, prefix: &str, out: &mut Vec<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else { return };
            for entry in entries.flatten() {
                let name = format!("{rel}{}", entry.file_name().to_string_lossy());
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    walk(&entry.path(), &format!("{name}/"), prefix, out);
                } else if name.starts_with(prefix) && !name.ends_with(".lock") {
                    out.push(name);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.repo.commondir().join("refs/tags"), "", prefix, &mut out);
        out
    }

    /// Returns every tag name starting with `prefix`, sorted.
    ///
    /// Read as git reads them: `packed-refs` once, plus the loose files under
    /// `refs/tags/`. libgit2's iterator instead checks the disk for a loose
    /// copy of every packed tag: ten thousand system calls in a large
    /// repository.
    pub fn tag_names(&self, prefix: &str) -> Result<Vec<String>> {
        let mut names: Vec<String> = self
            .packed_refs()?
            .iter()
            .filter(|(n, _)| n.starts_with(prefix))
            .map(|(n, _)| n.to_owned())
            .collect();
        let loose = self.loose_tag_names(prefix);
        if !loose.is_empty() {
            names.extend(loose);
            names.sort_unstable();
            names.dedup();
        }
        Ok(names)
    }

    /// Returns the commit a tag points at, `None` when there is no such tag.
    pub fn tag_commit(&self, name: &str) -> Result<Option<String>> {
        // A loose tag wins over a packed one of the same name. The loose
        // files are listed once, not looked for once per tag.
        let loose = self
            .loose_tags
            .get_or_init(|| self.loose_tag_names("").into_iter().collect())
            .contains(name);
        if let (false, Some(commit)) = (loose, self.packed_refs()?.commit(name)) {
            return Ok(Some(commit.to_owned()));
        }
        let Ok(reference) = self.repo.find_reference(&format!("refs/tags/{name}")) else {
            return Ok(None);
        };
        match reference.peel_to_commit() {
            Ok(commit) => Ok(Some(commit.id().to_string())),
            Err(e) if matches!(e.code(), git2::ErrorCode::Peel | git2::ErrorCode::InvalidSpec) => {
                self.skip_tag(name, "it points at a tree or a blob, not a commit");
                Ok(None)
            }
            Err(e) => Err(git_err("read a tag")(e)),
        }
    }

    /// Returns the commits reachable from `tip` (default HEAD) and not from
    /// `hide`, newest first. With `paths`, keeps only commits that
    /// change something under one of them (compared with the first parent).
    pub fn commits(
        &self,
        tip: Option<&str>,
        hide: Option<&str>,
        first_parent: bool,
        paths: Option<&[String]>,
    ) -> Result<Vec<CommitInfo>> {
        let target =
            WalkTarget { since: hide.map(str::to_owned), paths: paths.map(<[String]>::to_vec) };
        Ok(self
            .commits_for(tip, std::slice::from_ref(&target), first_parent)?
            .pop()
            .unwrap_or_default())
    }

    fn walk(&self, tip: Oid, first_parent: bool, sort: Sort) -> Result<git2::Revwalk<'_>> {
        let mut walk = self.repo.revwalk().map_err(git_err("walk history"))?;
        walk.set_sorting(sort).map_err(git_err("walk history"))?;
        walk.push(tip).map_err(git_err("walk history"))?;
        if first_parent {
            walk.simplify_first_parent().map_err(git_err("walk history"))?;
        }
        Ok(walk)
    }

    /// Visits the commits reachable from `tip` and not from `hide`, newest
    /// first, in the order `git log hide..tip` prints them: committer time,
    /// and among equal times the order they were reached (libgit2's own
    /// time sort is not stable there). Each object is read once.
    ///
    /// Like git, a commit is left out when `hide` reaches it, even if the
    /// walk met it first (a clock that went backwards); it stops a few
    /// commits after only hidden ones are left. A commit whose parents a
    /// shallow clone cut off cannot be walked past: that is an error.
    ///
    /// Returns whether the walk met `hide` as the parent of a commit it
    /// keeps (or as `tip`), which proves `hide` an ancestor of `tip`.
    /// Every commit between them is kept, so when `hide` is an ancestor
    /// through the parents walked, the walk meets it.
    fn walk_range(
        &self,
        tip: Oid,
        hide: Option<Oid>,
        first_parent: bool,
        mut visit: impl FnMut(&Loaded<'_>) -> Result<()>,
    ) -> Result<bool> {
        let odb = self.repo.odb().map_err(git_err("open the object database"))?;
        // Hidden: reachable from `hide`. Every commit seen is in the map.
        let mut hidden: OidMap<bool> = OidMap::default();
        let mut queue = BinaryHeap::new();
        let mut seq = 0u64;
        let mut queued = |id: Oid| self.queued(&odb, true, &mut seq, id);
        let mut kept: Vec<Loaded<'_>> = Vec::new();
        let mut met = hide == Some(tip);
        cache(hide.is_some());
        if let Some(h) = hide {
            hidden.insert(h, true);
            queue.push(queued(h)?);
        }
        if let std::collections::hash_map::Entry::Vacant(e) = hidden.entry(tip) {
            e.insert(false);
            queue.push(queued(tip)?);
        }
        let mut slop = 5;
        while let Some(Queued { commit, .. }) = queue.pop() {
            let id = commit.id;
            if hidden.get(&id) == Some(&true) {
                // Mark everything below as hidden, the commits seen included.
                let mut stack: Vec<Oid> = commit.header.parents.clone();
                while let Some(p) = stack.pop() {
                    match hidden.insert(p, true) {
                        None => queue.push(queued(p)?),
                        Some(false) => {
                            if let Ok(c) = self.load(&odb, true, p) {
                                stack.extend(c.header.parents);
                            }
                        }
                        Some(true) => {}
                    }
                }
                if queue.iter().all(|q| hidden.get(&q.commit.id) == Some(&true)) {
                    slop -= 1;
                    if slop == 0 {
                        break;
                    }
                }
                continue;
            }
            slop = 5;
            if self.shallow.contains(&id) {
                return Err(shallow_error("the commits since the last release"));
            }
            let parents = &commit.header.parents;
            met |= hide.is_some_and(|h| parents.contains(&h));
            for &p in followed(parents, first_parent) {
                if let std::collections::hash_map::Entry::Vacant(e) = hidden.entry(p) {
                    e.insert(false);
                    queue.push(queued(p)?);
                }
            }
            if hide.is_some() {
                kept.push(commit);
            } else {
                visit(&commit)?;
            }
        }
        for commit in kept {
            if hidden.get(&commit.id) != Some(&true) {
                visit(&commit)?;
            }
        }
        Ok(met)
    }

    /// Returns, for each target, the commits reachable from HEAD and not
    /// from its `since` commit that touch its paths, newest first, in one
    /// walk of the history whatever the number of targets.
    ///
    /// The walk is topological, so every child comes before its parents: each
    /// commit carries the set of targets for which it is already released
    /// (an ancestor of their `since`), handed down to all its parents. That
    /// is exact on any history, merges included. The walk stops below a
    /// commit every `since` reaches (`common_base`), which all targets have
    /// released.
    ///
    /// With `first_parent`, only the commits of the tip's first-parent line
    /// are candidates, but the marks still go down every parent: a release
    /// tagged on a branch merged back releases the commits of the line it
    /// reaches, as in `git log --first-parent since..tip`.
    pub fn commits_for(
        &self,
        tip: Option<&str>,
        targets: &[WalkTarget],
        first_parent: bool,
    ) -> Result<Vec<Vec<CommitInfo>>> {
        self.commits_for_known(tip, targets, first_parent, OidMap::default)
    }

    /// `commits_for` from HEAD for targets watching `paths`, whose `since`
    /// commits `before` finds (with what else it returns): while it runs
    /// (the walk that finds the last releases, on one core), a second
    /// thread already compares the newest commits with their parents
    /// along those paths, and `commits_for` uses what it compared.
    pub fn commits_for_after<R>(
        &self,
        paths: &[Option<Vec<String>>],
        first_parent: bool,
        before: impl FnOnce() -> Result<(R, Vec<Option<String>>)>,
    ) -> Result<(R, Vec<Vec<CommitInfo>>)> {
        let targets = |since: Vec<Option<String>>| -> Vec<WalkTarget> {
            paths
                .iter()
                .zip(since)
                .map(|(p, since)| WalkTarget { since, paths: p.clone() })
                .collect()
        };
        let trie = trie_of(&targets(vec![None; paths.len()]));
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let tip = match self.head()? {
            Some(h) if paths.len() > 1 && !trie.is_empty() && !self.grafts && cores > 1 => oid(&h)?,
            _ => {
                let (r, since) = before()?;
                return Ok((r, self.commits_for(None, &targets(since), first_parent)?));
            }
        };
        let stop = std::sync::atomic::AtomicBool::new(false);
        let halt = || stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let (shallow, packs) = (&self.shallow, self.pack_files());
        std::thread::scope(|scope| {
            let ahead =
                scope.spawn(|| compare_ahead(packs, tip, shallow, first_parent, &trie, &stop));
            // It compares on while the last releases are found and the
            // commits since them listed; it stops on every way out.
            let known = || {
                halt();
                ahead.join().unwrap_or_default()
            };
            let found = before().and_then(|(r, since)| {
                let commits = self.commits_for_known(None, &targets(since), first_parent, known)?;
                Ok((r, commits))
            });
            halt();
            found
        })
    }

    /// `commits_for`, with the targets that the commits of `known()` touch
    /// already compared (asked once the walk's commits are listed).
    fn commits_for_known(
        &self,
        tip: Option<&str>,
        targets: &[WalkTarget],
        first_parent: bool,
        known: impl FnOnce() -> OidMap<Vec<usize>>,
    ) -> Result<Vec<Vec<CommitInfo>>> {
        let mut out: Vec<Vec<CommitInfo>> = vec![Vec::new(); targets.len()];
        let tip = match tip {
            Some(t) => oid(t)?,
            None => match self.head()? {
                Some(h) => oid(&h)?,
                None => return Ok(out),
            },
        };
        if targets.is_empty() {
            return Ok(out);
        }
        let since: Vec<Option<Oid>> = targets
            .iter()
            .map(|t| t.since.as_deref().map(oid).transpose())
            .collect::<Result<_>>()?;
        let words = targets.len().div_ceil(64);
        let mut released: HashMap<Oid, Vec<u64>> = HashMap::new();
        for (i, s) in since.iter().enumerate() {
            if let Some(s) = s {
                released.entry(*s).or_insert_with(|| vec![0; words])[i / 64] |= 1 << (i % 64);
            }
        }
        // One target needs no propagation: the walk's own `hide` is exact.
        let single = targets.len() == 1;
        let trie = trie_of(targets);
        let mut trees = self.trees()?;
        if single {
            let all = targets[0].paths.is_none();
            out[0] = self.commits_single(tip, since[0], first_parent, all, &trie, &mut trees)?.1;
            return Ok(out);
        }
        // Every parent is walked: what a `since` reaches through a merge's
        // other parents is released, whichever history is read.
        let mut walk = self.walk(tip, false, Sort::TOPOLOGICAL)?;
        let all_since: Vec<Oid> = since.iter().flatten().copied().collect();
        if all_since.len() == targets.len() {
            // Below a commit every `since` reaches, nothing is pending for anyone.
            if let Some(base) = self.common_base(&all_since)? {
                walk.hide(base).map_err(git_err("walk history"))?;
            }
        }
        // Targets watching everything take every pending commit.
        let everything: Vec<usize> =
            targets.iter().enumerate().filter(|(_, t)| t.paths.is_none()).map(|(i, _)| i).collect();
        // The walk's commits, then what each changes along the watched
        // paths (on two cores for a long walk), then the sets handed down.
        let mut walked: Vec<Walked> = Vec::new();
        let mut tree_of: OidMap<Oid> = OidMap::default();
        // The first-parent line: each of its commits, met after its child
        // on the line (the walk is topological), names the next one.
        let mut line: HashSet<Oid> = HashSet::from([tip]);
        for id in walk {
            let id = id.map_err(git_err("walk history"))?;
            let commit = self.repo.find_commit(id).map_err(git_err("read a commit"))?;
            tree_of.insert(id, commit.tree_id());
            let parents: Vec<Oid> = commit.parent_ids().collect();
            let candidate = !first_parent || line.remove(&id);
            if first_parent
                && candidate
                && let Some(&p) = parents.first()
            {
                line.insert(p);
            }
            walked.push(Walked { id, tree: commit.tree_id(), parents, candidate });
        }
        let mut pairs = Vec::with_capacity(walked.len());
        for w in walked.iter().filter(|w| w.candidate) {
            let before = match w.parents.first() {
                Some(p) => match tree_of.get(p) {
                    Some(t) => Some(*t),
                    None => {
                        Some(self.repo.find_commit(*p).map_err(git_err("read a commit"))?.tree_id())
                    }
                },
                None => None,
            };
            pairs.push((Some(w.tree), before));
        }
        drop(tree_of);
        // The commits compared ahead are not compared again.
        let mut known = known();
        let mut ahead: Vec<Option<Vec<usize>>> = walked
            .iter()
            .map(|w| if w.candidate { known.remove(&w.id) } else { Some(Vec::new()) })
            .collect();
        drop(known);
        let todo: Vec<_> = pairs
            .iter()
            .zip(ahead.iter().zip(&walked).filter(|(_, w)| w.candidate))
            .filter(|(_, (a, _))| a.is_none())
            .map(|(p, _)| *p)
            .collect();
        let mut touched = self.touched_all(&trie, &todo, trees)?.into_iter();
        let empty = vec![0u64; words];
        for (k, Walked { id, parents, candidate, .. }) in walked.into_iter().enumerate() {
            let mut hit = match ahead[k].take() {
                Some(hit) => hit,
                None => touched.next().unwrap_or_default(),
            };
            let done = released.remove(&id);
            let done = done.as_ref().unwrap_or(&empty);
            let pending = |i: usize| done[i / 64] & (1 << (i % 64)) == 0;
            let released_here: usize = done.iter().map(|w| w.count_ones() as usize).sum();
            if candidate && released_here < targets.len() {
                if self.shallow.contains(&id) {
                    return Err(shallow_error("the commits since the last release"));
                }
                hit.extend(&everything);
                hit.sort_unstable();
                hit.dedup();
                hit.retain(|&i| pending(i));
                if !hit.is_empty() {
                    let commit = self.repo.find_commit(id).map_err(git_err("read a commit"))?;
                    let info = info(&commit, self.authors.get());
                    for i in hit {
                        out[i].push(info.clone());
                    }
                }
            }
            if released_here > 0 {
                for p in parents {
                    let set = released.entry(p).or_insert_with(|| vec![0; words]);
                    for (w, d) in set.iter_mut().zip(done) {
                        *w |= d;
                    }
                }
            }
        }
        Ok(out)
    }

    /// A commit that every one of `commits` reaches (itself or an
    /// ancestor), found by painting them down the history newest first:
    /// the first commit met with every one's mark. `None` when there is
    /// none (unrelated histories, a shallow clone's cut).
    ///
    /// (libgit2's `merge_base_many` answers another question, git's
    /// `merge-base A B C`: the merge base of the first commit with a merge
    /// of the others. Where the first was not the oldest, commits that the
    /// older ones had not released were hidden.)
    fn common_base(&self, commits: &[Oid]) -> Result<Option<Oid>> {
        let mut distinct: Vec<Oid> = commits.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        if let [only] = distinct[..] {
            return Ok(Some(only));
        }
        let words = distinct.len().div_ceil(64);
        let mut full = vec![0u64; words];
        (0..distinct.len()).for_each(|i| set_bit(&mut full, i));
        cache(true);
        let odb = self.repo.odb().map_err(git_err("open the object database"))?;
        let mut paint = Paint::new(words);
        let mut queue = BinaryHeap::new();
        let mut seq = 0u64;
        for (i, &c) in distinct.iter().enumerate() {
            let s = paint.slot(c);
            set_bit(paint.bits_mut(s), i);
            paint.queued[s] = true;
            queue.push(self.queued(&odb, false, &mut seq, c)?);
        }
        let mut bits = vec![0u64; words];
        while let Some(Queued { commit, .. }) = queue.pop() {
            let s = paint.slot(commit.id);
            paint.queued[s] = false;
            bits.copy_from_slice(paint.bits(s));
            if bits == full {
                return Ok(Some(commit.id));
            }
            for &p in &commit.header.parents {
                let ps = paint.slot(p);
                if bits.iter().zip(paint.bits(ps)).any(|(b, p)| b & !p != 0) {
                    for (w, b) in paint.bits_mut(ps).iter_mut().zip(&bits) {
                        *w |= b;
                    }
                    if !paint.queued[ps] {
                        paint.queued[ps] = true;
                        queue.push(self.queued(&odb, false, &mut seq, p)?);
                    }
                }
            }
        }
        Ok(None)
    }

    /// For each pair of root trees `(now, before)`, the targets of `trie`
    /// whose paths differ between them. A long list is cut in two, and the
    /// second half compared on a second thread with its own repository
    /// handle and pack reader (the trees come from the packs, so the two
    /// do not wait on libgit2's locks); `trees` compares the first.
    fn touched_all(
        &self,
        trie: &PathTrie,
        pairs: &[(Option<Oid>, Option<Oid>)],
        mut trees: Trees<'_>,
    ) -> Result<Vec<Vec<usize>>> {
        /// Below this many commits a second thread costs more than it saves.
        const SPLIT: usize = 1_000;
        let compare = |trees: &mut Trees<'_>, pairs: &[(Option<Oid>, Option<Oid>)]| {
            pairs.iter().map(|&(now, before)| trees.touched_ids(trie, now, before)).collect()
        };
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        if trie.is_empty() || pairs.len() < SPLIT || cores < 2 {
            return compare(&mut trees, pairs);
        }
        let (first, second) = pairs.split_at(pairs.len() / 2);
        let (path, packs) = (self.repo.path().to_path_buf(), self.pack_files());
        std::thread::scope(|scope| {
            let later = scope.spawn(move || -> Result<Vec<Vec<usize>>> {
                let repo = Repository::open(&path).map_err(git_err("open the repository"))?;
                compare(&mut Trees::new(&repo, packs)?, second)
            });
            let mut out: Vec<Vec<usize>> = compare(&mut trees, first)?;
            let rest = later
                .join()
                .unwrap_or_else(|_| Err(Error::refused("comparing trees stopped unexpectedly")))?;
            out.extend(rest);
            Ok(out)
        })
    }

    /// The commits of `since..tip` (`all`, or those that change something
    /// `trie` watches), and whether the walk met `since` (see `walk_range`).
    fn commits_single(
        &self,
        tip: Oid,
        since: Option<Oid>,
        first_parent: bool,
        all: bool,
        trie: &PathTrie,
        trees: &mut Trees<'_>,
    ) -> Result<(bool, Vec<CommitInfo>)> {
        let odb = self.repo.odb().map_err(git_err("open the object database"))?;
        let mut out = Vec::new();
        let met = self.walk_range(tip, since, first_parent, |commit| {
            let mut touches = || -> Result<bool> {
                let before = match commit.header.parents.first() {
                    Some(&p) => Some(self.load(&odb, true, p)?.header.tree),
                    None => None,
                };
                Ok(!trees.touched_ids(trie, Some(commit.header.tree), before)?.is_empty())
            };
            if all || touches()? {
                out.push(self.info_loaded(commit)?);
            }
            Ok(())
        })?;
        Ok((met, out))
    }

    /// The commits of `since..HEAD` under `paths` (all with `None`), newest
    /// first, when the walk shows `since` to be an ancestor of HEAD: one
    /// walk where `last_releases` and `commits` take two. `None` when it
    /// does not (then ask them).
    pub fn commits_if_ancestor(
        &self,
        since: &str,
        first_parent: bool,
        paths: Option<&[String]>,
    ) -> Result<Option<Vec<CommitInfo>>> {
        let Some(head) = self.head()? else { return Ok(None) };
        let target = WalkTarget { since: None, paths: paths.map(<[String]>::to_vec) };
        let trie = trie_of(std::slice::from_ref(&target));
        let mut trees = self.trees()?;
        let (tip, since) = (oid(&head)?, Some(oid(since)?));
        let (met, out) =
            self.commits_single(tip, since, first_parent, paths.is_none(), &trie, &mut trees)?;
        Ok(met.then_some(out))
    }

    /// Makes the commits read from now on carry their author (`Name
    /// <email>`); they do not otherwise, which spares a walk of a large
    /// history the work.
    pub fn want_authors(&self) {
        self.authors.set(true);
    }

    /// Returns a commit's first parent.
    pub fn first_parent(&self, commit: &str) -> Result<Option<String>> {
        let c = self.repo.find_commit(oid(commit)?).map_err(git_err("read a commit"))?;
        Ok(c.parent_ids().next().map(|p| p.to_string()))
    }

    /// Returns the commit of HEAD's first-parent history whose first parent
    /// is `start`, if any (the release commit a train made on top of it).
    pub fn first_parent_child(&self, start: &str) -> Result<Option<String>> {
        let start = oid(start)?;
        let Some(head) = self.head()? else { return Ok(None) };
        let mut at = self.repo.find_commit(oid(&head)?).map_err(git_err("read a commit"))?;
        loop {
            let Some(parent) = at.parent_ids().next() else { return Ok(None) };
            if parent == start {
                return Ok(Some(at.id().to_string()));
            }
            if at.id() == start {
                return Ok(None);
            }
            if self.shallow.contains(&at.id()) {
                return Err(shallow_error("where an interrupted train release started"));
            }
            at = self.repo.find_commit(parent).map_err(git_err("read a commit"))?;
        }
    }

    /// Tells whether `ancestor` is `descendant` or one of its ancestors.
    pub fn is_ancestor(&self, ancestor: &str, descendant: &str) -> Result<bool> {
        let (a, d) = (oid(ancestor)?, oid(descendant)?);
        Ok(a == d || self.repo.graph_descendant_of(d, a).map_err(git_err("compare commits"))?)
    }

    /// Tells, for each of `candidates`, whether it is `tip` or one of its
    /// ancestors, in one walk whatever their number.
    ///
    /// This is git's merge-base painting: commits are visited newest first,
    /// each carrying a bit for "reachable from `tip`" and one per candidate
    /// for "reachable from that candidate". A queued commit can still lead
    /// `tip` to candidate `i` only if it carries the tip's bit and not `i`'s
    /// (a commit below both cannot lie above `i`), so the walk stops when no
    /// queued commit can, and a candidate not reached by then is not an
    /// ancestor. That is exact on any history and costs the commits between
    /// `tip` and the candidates, not the whole history. Where a shallow
    /// clone cut the walk short, the answer is `Unknown`.
    ///
    /// `group[i]` puts candidates in groups, each in order of preference:
    /// once one is reached, the later ones of its group are no longer asked
    /// about (they are left `No`), so the walk stops as soon as every group
    /// has its answer.
    ///
    /// `packed`: read the commits from the packs, as the walk of the
    /// commits since one last release does after it; otherwise through
    /// libgit2, whose cache the topological walk of many then reads.
    pub fn reachable(
        &self,
        tip: &str,
        candidates: &[String],
        group: &[usize],
        packed: bool,
    ) -> Result<Vec<Reach>> {
        let n = candidates.len();
        let mut out = vec![Reach::No; n];
        if n == 0 {
            return Ok(out);
        }
        cache(true);
        // For each candidate, the later ones of its group.
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, g) in group.iter().enumerate().take(n) {
            members.entry(*g).or_default().push(i);
        }
        let later = |i: usize| -> Vec<usize> {
            group.get(i).and_then(|g| members.get(g)).map_or_else(Vec::new, |m| {
                m.iter().copied().skip_while(|&j| j != i).skip(1).collect()
            })
        };
        let mut paint = Paint::new((n + 1).div_ceil(64));
        let mut at: OidMap<Vec<usize>> = OidMap::default();
        let tip = oid(tip)?;
        let mut start = vec![(tip, 0usize)];
        for (i, c) in candidates.iter().enumerate() {
            let c = oid(c)?;
            at.entry(c).or_default().push(i);
            start.push((c, i + 1));
        }
        // Bit i + 1: candidate i is still undecided (bit 0 stays clear).
        let mut want = vec![0u64; paint.words];
        for i in 0..n {
            set_bit(&mut want, i + 1);
        }
        let mut left = n;
        // Commits are read raw: their header is all the painting needs, and
        // what it reads stays in the cache of the reader the walk after it
        // uses.
        let odb = self.repo.odb().map_err(git_err("open the object database"))?;
        let mut queue = BinaryHeap::new();
        let mut seq = 0u64;
        let mut queued = |id: Oid| self.queued(&odb, packed, &mut seq, id);
        for (id, b) in start {
            let s = paint.slot(id);
            set_bit(paint.bits_mut(s), b);
            if !paint.queued[s] {
                paint.queued[s] = true;
                queue.push(queued(id)?);
            }
        }
        // The queued commits that can still lead somewhere.
        let mut live = paint.count_live(&queue, &want);
        let (mut stale, mut since) = (false, 0usize);
        let mut cut: Vec<usize> = Vec::new();
        let mut f = vec![0u64; paint.words];
        let mut before = vec![0u64; paint.words];
        while let Some(Queued { commit, .. }) = queue.pop() {
            let id = commit.id;
            let s = paint.slot(id);
            paint.queued[s] = false;
            f.copy_from_slice(paint.bits(s));
            live = live.saturating_sub(usize::from(leads(&f, &want)));
            let mut settled = false;
            let mut reach = |hits: &[usize], want: &mut [u64], out: &mut [Reach]| {
                for &i in hits {
                    out[i] = Reach::Yes;
                    for j in std::iter::once(i).chain(later(i)) {
                        if get_bit(want, j + 1) {
                            clear_bit(want, j + 1);
                            left -= 1;
                            settled = true;
                        }
                    }
                }
            };
            if get_bit(&f, 0)
                && let Some(hits) = at.get(&id)
            {
                reach(hits, &mut want, &mut out);
            }
            if self.shallow.contains(&id) && leads(&f, &want) {
                // The cut-off parents might lead to these candidates.
                cut.extend((0..n).filter(|&i| get_bit(&want, i + 1) && !get_bit(&f, i + 1)));
            } else {
                for &p in &commit.header.parents {
                    let ps = paint.slot(p);
                    before.copy_from_slice(paint.bits(ps));
                    for (w, x) in paint.bits_mut(ps).iter_mut().zip(&f) {
                        *w |= x;
                    }
                    if paint.bits(ps) == before.as_slice() {
                        continue;
                    }
                    if get_bit(paint.bits(ps), 0)
                        && let Some(hits) = at.get(&p)
                    {
                        // Reached: decided now, not when it is popped.
                        reach(hits, &mut want, &mut out);
                    }
                    let now = leads(paint.bits(ps), &want);
                    if paint.queued[ps] {
                        // (Off by one only until a settled round recounts.)
                        live = (live + usize::from(now))
                            .saturating_sub(usize::from(leads(&before, &want)));
                    } else {
                        paint.queued[ps] = true;
                        live += usize::from(now);
                        queue.push(queued(p)?);
                    }
                }
            }
            if left == 0 {
                break;
            }
            // Settling only ever lowers the true count, so `live` may run
            // high (never low) until it is recounted, at most once per
            // queue's length of steps: stopping at 0 is always right.
            stale |= settled;
            since += 1;
            if stale && since >= queue.len().max(64) {
                live = paint.count_live(&queue, &want);
                (stale, since) = (false, 0);
            }
            if live == 0 {
                break;
            }
        }
        for i in cut {
            if out[i] != Reach::Yes {
                out[i] = Reach::Unknown;
            }
        }
        Ok(out)
    }

    /// Reads commit `id` raw: with `packed`, from the packs where they
    /// hold it (through the reader the walks of this run share), else
    /// through libgit2, whose cache then holds it for a libgit2 walk
    /// after. Its parents are the ones libgit2 gives: none where a shallow
    /// clone cut them off, and those of `info/grafts` where that old file
    /// exists (then libgit2 parses every commit).
    fn load<'r>(&self, odb: &'r git2::Odb<'_>, packed: bool, id: Oid) -> Result<Loaded<'r>> {
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
    fn queued<'r>(
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
    fn info_loaded(&self, c: &Loaded<'_>) -> Result<CommitInfo> {
        let mut commit =
            Commit::new(c.id.to_string(), String::from_utf8_lossy(message_of(c.object.data())));
        if self.authors.get() {
            commit.author =
                author_of(&self.repo.find_commit(c.id).map_err(git_err("read a commit"))?);
        }
        Ok(CommitInfo { commit, parents: c.header.parents.len(), time: c.header.time })
    }

    /// Writes `bytes` as a blob and returns its id (an object only).
    pub fn write_blob(&self, bytes: &[u8]) -> Result<String> {
        Ok(self.repo.blob(bytes).map_err(git_err("write a file's object"))?.to_string())
    }

    /// Returns the blob id of `bytes`, writing the blob only when the
    /// repository lacks it (a file's committed text is there already).
    pub fn ensure_blob(&self, bytes: &[u8]) -> Result<String> {
        let id = Oid::hash_object(git2::ObjectType::Blob, bytes)
            .map_err(git_err("hash a file's object"))?;
        let odb = self.repo.odb().map_err(git_err("open the object database"))?;
        if odb.exists(id) { Ok(id.to_string()) } else { self.write_blob(bytes) }
    }

    /// Returns a blob's bytes.
    pub fn blob(&self, id: &str) -> Result<Vec<u8>> {
        let blob = self.repo.find_blob(oid(id)?).map_err(git_err("read a file's object"))?;
        Ok(blob.content().to_vec())
    }

    /// Returns the tree of `base` (an empty tree when `None`) with each of
    /// `files` (path, blob id) set, keeping an existing file's mode.
    pub fn tree_with(
        &self,
        base: Option<&str>,
        files: &[(String, Option<String>)],
    ) -> Result<String> {
        let baseline = match base {
            Some(c) => self
                .repo
                .find_commit(oid(c)?)
                .and_then(|c| c.tree())
                .map_err(git_err("read a tree"))?,
            None => {
                let empty = self
                    .repo
                    .treebuilder(None)
                    .and_then(|b| b.write())
                    .map_err(git_err("write a tree"))?;
                self.repo.find_tree(empty).map_err(git_err("read a tree"))?
            }
        };
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, blob) in files {
            let Some(blob) = blob else {
                update.remove(path.as_str());
                continue;
            };
            let mode = match baseline.get_path(Path::new(path)).map(|e| e.filemode()) {
                Ok(0o100_755) => git2::FileMode::BlobExecutable,
                _ => git2::FileMode::Blob,
            };
            update.upsert(path.as_str(), oid(blob)?, mode);
        }
        Ok(update
            .create_updated(&self.repo, &baseline)
            .map_err(git_err("write a tree"))?
            .to_string())
    }

    /// Writes a commit object (no ref moves) and returns its id. With `sign`,
    /// `git commit-tree -S` makes it, so the user's signing setup applies.
    pub fn write_commit(
        &self,
        tree: &str,
        parent: Option<&str>,
        message: &str,
        sign: bool,
    ) -> Result<String> {
        if sign {
            let mut args = vec!["commit-tree".to_owned(), "-S".to_owned(), tree.to_owned()];
            if let Some(p) = parent {
                args.extend(["-p".to_owned(), p.to_owned()]);
            }
            args.extend(["-F".to_owned(), "-".to_owned()]);
            let out = self.git_cli(&args, message, &[])?;
            return Ok(out.trim().to_owned());
        }
        let (author, committer) = (self.signature(Role::Author)?, self.signature(Role::Committer)?);
        let tree = self.repo.find_tree(oid(tree)?).map_err(git_err("read a tree"))?;
        let parent = parent
            .map(|p| self.repo.find_commit(oid(p)?).map_err(git_err("read a commit")))
            .transpose()?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let id = self
            .repo
            .commit(None, &author, &committer, message, &tree, &parents)
            .map_err(git_err("write a commit"))?;
        Ok(id.to_string())
    }

    /// Writes an annotated tag object (no ref) and returns its id.
    pub fn write_tag_object(&self, name: &str, commit: &str, message: &str) -> Result<String> {
        let sig = self.signature(Role::Committer)?;
        let object = self.repo.find_object(oid(commit)?, None).map_err(git_err("read a commit"))?;
        let id = self
            .repo
            .tag_annotation_create(name, &object, &sig, message)
            .map_err(git_err("write a tag"))?;
        Ok(id.to_string())
    }

    /// Returns an annotated tag's message, `None` for a lightweight tag.
    pub fn tag_message(&self, name: &str) -> Option<String> {
        let r = self.repo.find_reference(&format!("refs/tags/{name}")).ok()?;
        let tag = r.peel_to_tag().ok()?;
        tag.message_bytes().map(|m| String::from_utf8_lossy(m).into_owned())
    }

    /// Returns the id a ref points at, `None` when it does not exist.
    pub fn ref_target(&self, refname: &str) -> Option<String> {
        self.repo.find_reference(refname).ok().and_then(|r| r.target()).map(|o| o.to_string())
    }

    /// Returns the ref HEAD names (`refs/heads/main`), `None` when detached.
    pub fn head_ref(&self) -> Option<String> {
        let head = self.repo.find_reference("HEAD").ok()?;
        head.symbolic_target().ok().flatten().map(str::to_owned)
    }

    /// Points `refname` at `to`, only if it still points at `from` (`None`:
    /// only if it does not exist): a compare-and-swap.
    pub fn swap_ref(&self, refname: &str, from: Option<&str>, to: &str, why: &str) -> Result<()> {
        let to = oid(to)?;
        let made = match from {
            Some(from) => self.repo.reference_matching(refname, to, true, oid(from)?, why),
            None => self.repo.reference(refname, to, false, why),
        };
        made.map(|_| ()).map_err(|e| {
            if matches!(e.code(), git2::ErrorCode::Modified | git2::ErrorCode::Exists) {
                Error::refused(format!("`{refname}` moved while relman was writing"))
                    .hint("run the command again")
            } else if e.code() == git2::ErrorCode::Locked {
                let dir = if refname.starts_with("refs/") { self.common_dir() } else { self.git_dir() };
                let lock = dir.join(format!("{refname}.lock"));
                Error::refused(format!(
                    "git: cannot update `{refname}`: its lock file `{}` exists",
                    lock.display()
                ))
                .hint("another git command is running, or one was killed: if none is running, remove that file and run relman again")
            } else {
                Error::input(format!("git: cannot update `{refname}`: {}", e.message()))
            }
        })
    }

    /// Deletes `refname` if it points at `id`.
    pub fn delete_ref_if(&self, refname: &str, id: &str) -> Result<()> {
        if let Ok(mut r) = self.repo.find_reference(refname)
            && r.target().map(|o| o.to_string()).as_deref() == Some(id)
        {
            r.delete().map_err(|e| {
                Error::input(format!("git: cannot delete `{refname}`: {}", e.message()))
            })?;
        }
        Ok(())
    }

    /// Points HEAD at the branch `refname` (`refs/heads/...`).
    pub fn set_head(&self, refname: &str) -> Result<()> {
        self.repo.set_head(refname).map_err(git_err("switch branches"))
    }

    /// Checks out `commit`'s tree over the work tree and index, never
    /// overwriting a local change ("safe") unless `force`.
    pub fn checkout(&self, commit: &str, force: bool) -> Result<()> {
        let commit = self.repo.find_commit(oid(commit)?).map_err(git_err("read a commit"))?;
        let mut checkout = git2::build::CheckoutBuilder::new();
        if force {
            checkout.force();
        } else {
            checkout.safe();
        }
        self.repo
            .checkout_tree(commit.as_object(), Some(&mut checkout))
            .map_err(git_err("check out the release"))
    }

    /// Stages `paths` from the work tree and writes the index.
    /// Stages each file as the blob given (`None`: removed), with its stat
    /// data, so the index holds exactly what the commit holds without
    /// hashing the files again.
    pub fn stage_blobs(&self, files: &[(String, Option<String>)]) -> Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            self.update_index(|index| {
                for (path, blob) in files {
                    let p = Path::new(path);
                    let meta = std::fs::symlink_metadata(self.root.join(p));
                    let (Some(blob), Ok(meta)) = (blob, meta) else {
                        index.remove_path(p).map_err(git_err("stage a removal"))?;
                        continue;
                    };
                    let mode = index.get_path(p, 0).map_or(0o100_644, |e| e.mode);
                    // The index keeps stat data in 32 bits, as git truncates it.
                    let low = |v: u64| (v & 0xffff_ffff) as u32;
                    let time = |secs: i64, nanos: i64| {
                        git2::IndexTime::new(secs as i32, u32::try_from(nanos).unwrap_or(0))
                    };
                    let entry = git2::IndexEntry {
                        ctime: time(meta.ctime(), meta.ctime_nsec()),
                        mtime: time(meta.mtime(), meta.mtime_nsec()),
                        dev: low(meta.dev()),
                        ino: low(meta.ino()),
                        mode,
                        uid: meta.uid(),
                        gid: meta.gid(),
                        file_size: low(meta.size()),
                        id: oid(blob)?,
                        flags: 0,
                        flags_extended: 0,
                        path: path.as_bytes().to_vec(),
                    };
                    index.add(&entry).map_err(git_err("stage a file"))?;
                }
                Ok(())
            })
        }
        #[cfg(not(unix))]
        {
            let paths: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
            self.stage(&paths)
        }
    }

    /// Changes git's index as git does: under git's lock (`index.lock`,
    /// taken first), the index is read from disk as it is now (whatever
    /// another git command, a hook or the user staged or committed while
    /// relman ran), `change` applies to that copy, and the result becomes
    /// the lock's content, renamed over the index.
    fn update_index(&self, change: impl FnOnce(&mut git2::Index) -> Result<()>) -> Result<()> {
        let path = self.git_dir().join("index");
        let lock = self.git_dir().join("index.lock");
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&lock) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(Error::refused(format!(
                    "git's index is locked (`{}`): another git command is running, or one was killed",
                    lock.display()
                ))
                .hint("if no git command is running, remove that file and run relman again"));
            }
            Err(e) => return Err(Error::io("create", &lock, &e)),
        }
        /// Gives git's lock back, unless the new index was renamed from it.
        struct Held<'a>(&'a Path);
        impl Drop for Held<'_> {
            fn drop(&mut self) {
                let _ = std::fs::remove_file(self.0);
            }
        }
        let held = Held(&lock);
        let scratch = self.git_dir().join(format!("index.relman-tmp.{}", std::process::id()));
        let done = (|| {
            match std::fs::copy(&path, &scratch) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("read", &path, &e)),
            }
            let mut index = git2::Index::open(&scratch).map_err(git_err("read the index"))?;
            change(&mut index)?;
            index.write().map_err(git_err("write the index"))?;
            std::fs::rename(&scratch, &lock).map_err(|e| Error::io("write", &lock, &e))?;
            std::fs::rename(&lock, &path).map_err(|e| Error::io("write", &path, &e))
        })();
        let _ = std::fs::remove_file(&scratch);
        if done.is_ok() {
            // The lock is the index now: nothing of git's to give back.
            std::mem::forget(held);
        } else {
            drop(held);
        }
        done?;
        // The repository's own copy is read again from disk.
        if let Ok(mut index) = self.repo.index() {
            let _ = index.read(true);
        }
        Ok(())
    }

    /// Stages `paths` as they are in the work tree (removed when absent).
    pub fn stage(&self, paths: &[String]) -> Result<()> {
        let mut index = self.repo.index().map_err(git_err("read the index"))?;
        for path in paths {
            let p = Path::new(path);
            if self.root.join(p).exists() {
                index.add_path(p).map_err(git_err("stage a file"))?;
            } else {
                index.remove_path(p).map_err(git_err("stage a removal"))?;
            }
        }
        index.write().map_err(git_err("write the index"))
    }

    /// Runs `git ARGS` in the work tree with `input` on stdin and `vars` in
    /// its environment; returns stdout, or a refusal with git's own words.
    pub fn git_cli(&self, args: &[String], input: &str, vars: &[(&str, &str)]) -> Result<String> {
        let mut cmd = Command::new("git");
        cmd.arg("-C").arg(&self.root).args(args);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let out = cmd
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write as _;
                if let Some(mut stdin) = child.stdin.take() {
                    stdin.write_all(input.as_bytes())?;
                }
                child.wait_with_output()
            })
            .map_err(|e| Error::refused(format!("cannot run `git {}`: {e}", args.join(" "))))?;
        if !out.status.success() {
            return Err(Error::refused(format!(
                "`git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Returns the folder the repository's own git hooks live in.
    pub fn hooks_dir(&self) -> PathBuf {
        match self.config("core.hookspath") {
            Some(p) => self.root.join(p),
            None => self.repo.commondir().join("hooks"),
        }
    }

    /// Returns the common git directory (shared by every worktree).
    pub fn common_dir(&self) -> &Path {
        self.repo.commondir()
    }

    /// Tells whether a git config boolean is set to true.
    pub fn config_bool(&self, key: &str) -> bool {
        self.repo.config().and_then(|c| c.get_bool(key)).unwrap_or(false)
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

    /// Tells whether the local branch `name` exists.
    pub fn branch_exists(&self, name: &str) -> bool {
        self.repo.find_branch(name, git2::BranchType::Local).is_ok()
    }

    /// Returns a file's text as committed in `commit`, `None` when absent.
    pub fn read_at(&self, commit: &str, path: &str) -> Result<Option<String>> {
        let commit = self.repo.find_commit(oid(commit)?).map_err(git_err("read a commit"))?;
        let tree = commit.tree().map_err(git_err("read a tree"))?;
        let Ok(entry) = tree.get_path(Path::new(path)) else { return Ok(None) };
        let blob = self.repo.find_blob(entry.id()).map_err(git_err("read a file"))?;
        Ok(Some(String::from_utf8_lossy(blob.content()).into_owned()))
    }

    /// Resolves a revision (`v1.0.0`, `HEAD~3`, a hash) to a commit id.
    pub fn resolve(&self, spec: &str) -> Result<String> {
        let object = self
            .repo
            .revparse_single(spec)
            .map_err(|e| Error::input(format!("unknown revision `{spec}`: {}", e.message())))?;
        let commit = object
            .peel_to_commit()
            .map_err(|e| Error::input(format!("`{spec}` is not a commit: {}", e.message())))?;
        Ok(commit.id().to_string())
    }

    /// Returns a git config value, `None` when unset.
    pub fn config(&self, key: &str) -> Option<String> {
        let config = self.repo.config().ok()?;
        config.get_string(key).ok().filter(|v| !v.is_empty())
    }

    /// Returns `Name <email>` of the author of the commits relman makes,
    /// as git would write it (see `ident`).
    pub fn identity(&self) -> Result<String> {
        let (name, email) = self.ident(Role::Author)?;
        Ok(format!("{name} <{email}>"))
    }

    /// Returns the name and email git would give `role`: the environment
    /// (`GIT_AUTHOR_NAME`, ...) first, then `author.name` or
    /// `committer.name`, then `user.name` (the email last from `EMAIL`), as
    /// git's `ident.c` reads them. CI jobs often set only the environment.
    /// Unlike git, relman guesses no identity from the host.
    fn ident(&self, role: Role) -> Result<(String, String)> {
        let (var, key) = match role {
            Role::Author => ("GIT_AUTHOR", "author"),
            Role::Committer => ("GIT_COMMITTER", "committer"),
        };
        let env = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
        let name = env(&format!("{var}_NAME"))
            .or_else(|| self.config(&format!("{key}.name")))
            .or_else(|| self.config("user.name"));
        let email = env(&format!("{var}_EMAIL"))
            .or_else(|| self.config(&format!("{key}.email")))
            .or_else(|| self.config("user.email"))
            .or_else(|| env("EMAIL"));
        let missing = |what: &str, field: &str| {
            Error::refused(format!(
                "git has no {key} {what}: neither `{var}_{field}` nor `user.{what}` is set"
            ))
            .hint(format!(
                "set it with `git config user.{what} ...`, or set `{var}_{field}` in the environment"
            ))
        };
        let name = name.ok_or_else(|| missing("name", "NAME"))?;
        let email = email.ok_or_else(|| missing("email", "EMAIL"))?;
        Ok((name, email))
    }

    /// The signature git would write for `role`, dated now.
    fn signature(&self, role: Role) -> Result<git2::Signature<'static>> {
        let (name, email) = self.ident(role)?;
        git2::Signature::now(&name, &email).map_err(|e| {
            Error::refused(format!("git cannot sign as `{name} <{email}>`: {}", e.message()))
        })
    }

    /// Commits exactly `paths` (relative to the root) on the current branch
    /// and returns the new commit id. Other changes in the index are left out.
    pub fn commit_paths(&self, paths: &[String], message: &str) -> Result<String> {
        let (author, committer) = (self.signature(Role::Author)?, self.signature(Role::Committer)?);
        let head = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        self.stage(paths)?;
        let mut index = self.repo.index().map_err(git_err("read the index"))?;
        let tree_id = index.write_tree().map_err(git_err("write a tree"))?;
        let tree = self.repo.find_tree(tree_id).map_err(git_err("read a tree"))?;
        let parents: Vec<&git2::Commit<'_>> = head.iter().collect();
        let oid = self
            .repo
            .commit(Some("HEAD"), &author, &committer, message, &tree, &parents)
            .map_err(git_err("commit"))?;
        Ok(oid.to_string())
    }

    /// Creates the annotated tag `name` on `commit`; fails if it exists.
    pub fn create_tag(&self, name: &str, commit: &str, message: &str) -> Result<()> {
        let sig = self.signature(Role::Committer)?;
        let object = self.repo.find_object(oid(commit)?, None).map_err(git_err("read a commit"))?;
        self.repo.tag(name, &object, &sig, message, false).map_err(|e| {
            if e.code() == git2::ErrorCode::Exists {
                Error::refused(format!("tag `{name}` already exists"))
            } else {
                git_err("create a tag")(e)
            }
        })?;
        Ok(())
    }

    /// Creates a signed annotated tag through `git tag -s`, so the user's own
    /// signing setup (gpg, ssh, x509, agents) applies; returns the tag object.
    pub fn create_signed_tag(&self, name: &str, commit: &str, message: &str) -> Result<String> {
        let args: Vec<String> = ["tag", "-s", "--cleanup=verbatim", "-F", "-", name, commit]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        self.git_cli(&args, message, &[])?;
        self.ref_target(&format!("refs/tags/{name}"))
            .ok_or_else(|| Error::refused(format!("`git tag -s {name}` made no tag")))
    }

    /// Maps every commit that a tag starting with `prefix` points at to the
    /// tag names on it.
    pub fn tags_by_commit(&self, prefix: &str) -> Result<HashMap<String, Vec<String>>> {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        let loose = self.loose_tag_names(prefix);
        let loose_set: HashSet<&str> = loose.iter().map(String::as_str).collect();
        for (name, commit) in self.packed_refs()?.iter() {
            if !name.starts_with(prefix) || loose_set.contains(name) {
                continue;
            }
            let commit = match commit {
                Some(c) => Some(c.to_owned()),
                None => self.tag_commit(name)?,
            };
            if let Some(commit) = commit {
                map.entry(commit).or_default().push(name.to_owned());
            }
        }
        for name in loose {
            if let Some(commit) = self.tag_commit(&name)? {
                map.entry(commit).or_default().push(name);
            }
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs git in `dir` and returns its output as text.
    fn git(dir: &Path, args: &[&str], input: Option<&str>) -> String {
        String::from_utf8(crate::repo::run_git(dir, args, input.map(str::as_bytes))).unwrap()
    }

    /// A history of 240 commits by fast-import: files in and out of the
    /// watched paths, a branch merged back twice (the merges bring changes
    /// of their own), and commits with equal times.
    fn merged_history() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q", "-b", "main"], None);
        let files = ["a/x.txt", "b/sub/y.txt", "b/other.txt", "c", "d/w.txt"];
        let mut s = String::new();
        let mut mark = 0u32;
        let mut topic = None;
        for i in 0..240u32 {
            mark += 1;
            let on_topic = (50..80).contains(&i) || (150..170).contains(&i);
            let branch = if on_topic { "topic" } else { "main" };
            if on_topic && topic.is_none() {
                s += &format!("reset refs/heads/topic\nfrom :{}\n\n", mark - 1);
            }
            s += &format!(
                "commit refs/heads/{branch}\nmark :{mark}\ncommitter T <t@x> {} +0000\ndata 4\nc{:02}\n",
                1_700_000_000 + i / 3,
                i % 100
            );
            if on_topic {
                topic = Some(mark);
            } else if let Some(t) = topic.take() {
                s += &format!("merge :{t}\n");
            }
            for (k, f) in files.iter().enumerate() {
                if (i as usize + k).is_multiple_of(k + 2) {
                    s += &format!("M 100644 inline {f}\ndata <<E\n{i}\nE\n");
                }
            }
            s += "\n";
        }
        git(dir.path(), &["fast-import", "--quiet"], Some(&s));
        git(dir.path(), &["checkout", "-q", "main"], None);
        dir
    }

    #[test]
    fn commits_compared_ahead_are_compared_as_git_compares_them() {
        let dir = merged_history();
        let paths = ["a", "b/sub", "c", "b/sub/y.txt"];
        let trie = PathTrie::new(paths.iter().enumerate().map(|(i, p)| (i, *p)));
        let tip = Oid::from_str(git(dir.path(), &["rev-parse", "HEAD"], None).trim()).unwrap();
        let go = std::sync::atomic::AtomicBool::new(false);
        let none = HashSet::new();
        let packs = || PackFiles::open(&dir.path().join(".git/objects"));
        for first_parent in [false, true] {
            let ahead = compare_ahead(packs(), tip, &none, first_parent, &trie, &go);
            // git: each commit's files against its first parent.
            let mut walk = vec!["log", "--format=>%H", "--name-only", "--diff-merges=first-parent"];
            if first_parent {
                walk.push("--first-parent");
            }
            let log = git(dir.path(), &walk, None);
            let mut want: Vec<(String, Vec<usize>)> = Vec::new();
            for line in log.lines().filter(|l| !l.is_empty()) {
                match line.strip_prefix('>') {
                    Some(id) => want.push((id.to_owned(), Vec::new())),
                    None => {
                        let hits = &mut want.last_mut().unwrap().1;
                        for (i, p) in paths.iter().enumerate() {
                            if (line == *p || line.starts_with(&format!("{p}/")))
                                && !hits.contains(&i)
                            {
                                hits.push(i);
                            }
                        }
                    }
                }
            }
            assert_eq!(ahead.len(), want.len(), "first parent: {first_parent}");
            assert!(
                want.iter().any(|(_, h)| h.is_empty()) && want.iter().any(|(_, h)| h.len() > 1)
            );
            for (id, mut hits) in want {
                let mut got = ahead[&Oid::from_str(&id).unwrap()].clone();
                got.sort_unstable();
                got.dedup();
                hits.sort_unstable();
                assert_eq!(got, hits, "{id}, first parent: {first_parent}");
            }
        }
        // Told to stop before it starts, it compares nothing.
        let stop = std::sync::atomic::AtomicBool::new(true);
        assert!(compare_ahead(packs(), tip, &none, false, &trie, &stop).is_empty());
    }

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
