//! Which of many targets' paths a commit changes.
//!
//! A commit is compared with its first parent only along the paths some
//! target watches (a trie of path names), and two versions of a folder are
//! compared entry by entry as `git diff-tree` does, with gix's tree
//! iterator: the entries both versions start with are passed over as one
//! run of bytes, and the comparison stops where the rest of both is the
//! same, so a folder of hundreds of services costs about one pass over two
//! byte strings. Reading the trees is the caller's (`objects.rs`).

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::rc::Rc;

use gix::objs::TreeRefIter;
use gix::objs::tree::EntryRef;

use crate::error::{Error, Result};

/// An object id, as a tree entry names it.
pub(super) type Id = gix::oid;

/// A tree object's bytes, as gix's tree iterator reads them.
pub(super) type Raw = Rc<Vec<u8>>;

/// The targets' paths as a tree of names.
#[derive(Debug, Default)]
pub(super) struct PathTrie {
    /// Targets whose path ends here (at the root: targets watching everything).
    here: Vec<usize>,
    children: BTreeMap<Vec<u8>, Self>,
}

impl PathTrie {
    /// Builds the trie of `(target, path)` pairs; a path `""` or `.`
    /// watches the whole repository.
    pub(super) fn new<'a>(paths: impl IntoIterator<Item = (usize, &'a str)>) -> Self {
        let mut root = Self::default();
        for (i, p) in paths {
            let mut node = &mut root;
            for part in p.split('/').filter(|s| !s.is_empty() && *s != ".") {
                node = node.children.entry(part.as_bytes().to_vec()).or_default();
            }
            node.here.push(i);
        }
        root
    }

    /// Tells whether no target watches anything.
    pub(super) fn is_empty(&self) -> bool {
        self.here.is_empty() && self.children.is_empty()
    }

    /// Returns the targets whose paths differ between the root trees `now`
    /// and `before` (`None`: no tree, as before a root commit), reading
    /// trees with `read`. A target may be named more than once.
    pub(super) fn touched(
        &self,
        read: &mut impl FnMut(&Id) -> Result<Raw>,
        now: Option<&Id>,
        before: Option<&Id>,
    ) -> Result<Vec<usize>> {
        let mut out = Vec::new();
        if !self.is_empty() && now != before {
            self.changed(read, now.map(|id| (id, true)), before.map(|id| (id, true)), &mut out)?;
        }
        Ok(out)
    }

    /// Records what changed at this node's path, where the entries `now`
    /// and `before` (id, is a folder) differ.
    fn changed(
        &self,
        read: &mut impl FnMut(&Id) -> Result<Raw>,
        now: Option<(&Id, bool)>,
        before: Option<(&Id, bool)>,
        out: &mut Vec<usize>,
    ) -> Result<()> {
        if now.is_some_and(|e| !e.1) || before.is_some_and(|e| !e.1) {
            // A file at this path changed (or a file became a folder).
            out.extend(&self.here);
        }
        if self.children.is_empty() {
            // Nothing is watched below: a folder that differs here is a
            // change, whatever it holds (reading it would only say so).
            if now.is_some_and(|e| e.1) || before.is_some_and(|e| e.1) {
                out.extend(&self.here);
            }
            return Ok(());
        }
        // An added or removed folder is compared with nothing on the other
        // side, so only the paths that exist somewhere count as changed.
        let mut subtree = |e: Option<(&Id, bool)>| match e {
            Some((id, true)) => read(id).map(Some),
            _ => Ok(None),
        };
        let (a, b) = (subtree(now)?, subtree(before)?);
        self.compare(read, a.as_deref().map(Vec::as_slice), b.as_deref().map(Vec::as_slice), out)
    }

    /// Compares two versions of the folder at this node.
    fn compare(
        &self,
        read: &mut impl FnMut(&Id) -> Result<Raw>,
        now: Option<&[u8]>,
        before: Option<&[u8]>,
        out: &mut Vec<usize>,
    ) -> Result<()> {
        if now.is_none() && before.is_none() {
            return Ok(());
        }
        out.extend(&self.here);
        if self.children.is_empty() {
            return Ok(());
        }
        let (now, before) = (now.unwrap_or_default(), before.unwrap_or_default());
        // The entries both versions start with are the same: skip them.
        let skip = entry_start(now, common_prefix(now, before));
        let (mut a, mut b) = (Entries::at(now, skip), Entries::at(before, skip));
        let (mut x, mut y) = (a.next()?, b.next()?);
        // Whether an entry that differs was just passed: then, at the next
        // one that does not, the rest may be the same too.
        let mut passed = false;
        loop {
            let order = match (&x, &y) {
                (None, None) => return Ok(()),
                (Some(e), Some(f)) if e.same(f) => {
                    if std::mem::take(&mut passed) && a.after(e) == b.after(f) {
                        return Ok(());
                    }
                    (x, y) = (a.next()?, b.next()?);
                    continue;
                }
                (Some(e), Some(f)) => git_order(e, f),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
            };
            let (p, q) = match order {
                Ordering::Less => (std::mem::replace(&mut x, a.next()?), None),
                Ordering::Greater => (None, std::mem::replace(&mut y, b.next()?)),
                Ordering::Equal => {
                    (std::mem::replace(&mut x, a.next()?), std::mem::replace(&mut y, b.next()?))
                }
            };
            passed = true;
            let name = p.as_ref().or(q.as_ref()).map(Entry::name).unwrap_or_default();
            if let Some(child) = self.children.get(name) {
                child.changed(read, p.map(Entry::side), q.map(Entry::side), out)?;
            }
        }
    }
}

/// The length of the bytes `a` and `b` start with alike.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 16;
    // Sixteen bytes at a time, compared as one number (a slice comparison
    // would call `memcmp` for each).
    let word = |c: &[u8]| u128::from_ne_bytes(c.try_into().unwrap_or_default());
    let whole = a
        .chunks_exact(CHUNK)
        .zip(b.chunks_exact(CHUNK))
        .position(|(x, y)| word(x) != word(y))
        .unwrap_or(a.len().min(b.len()) / CHUNK)
        * CHUNK;
    whole + a[whole..].iter().zip(&b[whole..]).take_while(|(x, y)| x == y).count()
}

/// The start of the entry of tree `tree` that holds byte `at` (or of the
/// last one, when `at` is past the end): every entry before it ends at or
/// before `at`.
fn entry_start(tree: &[u8], at: usize) -> usize {
    let mut start = 0;
    let mut entries = Entries::at(tree, 0);
    while let Ok(Some(e)) = entries.next() {
        if e.end > at || e.end >= tree.len() {
            break;
        }
        start = e.end;
    }
    start
}

/// One entry of a tree, and where it ends in the tree's bytes.
#[derive(Debug, Clone, Copy)]
struct Entry<'a> {
    entry: EntryRef<'a>,
    end: usize,
}

impl<'a> Entry<'a> {
    fn name(&self) -> &'a [u8] {
        self.entry.filename
    }

    fn is_tree(&self) -> bool {
        // gix reads a mode written zero-padded (`040000`) as a folder too.
        self.entry.mode.is_tree()
    }

    /// The same mode (as written), name and object.
    fn same(&self, other: &Self) -> bool {
        self.entry.mode == other.entry.mode
            && self.entry.filename == other.entry.filename
            && self.entry.oid == other.entry.oid
    }

    /// The entry as `changed` compares it: its id, and whether it is a folder.
    fn side(self) -> (&'a Id, bool) {
        (self.entry.oid, self.is_tree())
    }
}

/// The entries of a tree from an entry's start, in the tree's order.
struct Entries<'a> {
    tree: &'a [u8],
    iter: TreeRefIter<'a>,
}

impl<'a> Entries<'a> {
    /// The entries of `tree` from byte `from`, where an entry starts.
    fn at(tree: &'a [u8], from: usize) -> Self {
        Self { tree, iter: TreeRefIter::from_bytes(&tree[from..], gix::hash::Kind::Sha1) }
    }

    fn next(&mut self) -> Result<Option<Entry<'a>>> {
        let Some(entry) = self.iter.next() else { return Ok(None) };
        let entry =
            entry.map_err(|_| Error::refused("a tree object of the repository is corrupt"))?;
        // The name is a slice of the tree's bytes; the id follows its NUL.
        let name_end =
            entry.filename.as_ptr() as usize + entry.filename.len() - self.tree.as_ptr() as usize;
        Ok(Some(Entry { entry, end: name_end + 1 + entry.oid.as_bytes().len() }))
    }

    /// The bytes after `e`.
    fn after(&self, e: &Entry<'_>) -> &'a [u8] {
        &self.tree[e.end..]
    }
}

/// git's order of tree entries: by name, a folder's name read as if it
/// ended in `/`.
fn git_order(a: &Entry<'_>, b: &Entry<'_>) -> Ordering {
    let (x, y) = (a.name(), b.name());
    let n = x.len().min(y.len());
    x[..n].cmp(&y[..n]).then_with(|| {
        let next = |e: &Entry<'_>| e.name().get(n).copied().or(e.is_tree().then_some(b'/'));
        next(a).cmp(&next(b))
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use gix::ObjectId;

    use super::*;

    /// An in-memory object store of trees written as `name` → file id, or
    /// `name/` → subtree.
    #[derive(Default)]
    struct Store(HashMap<ObjectId, Raw>);

    impl Store {
        fn tree(&mut self, entries: &[(&str, Node)]) -> ObjectId {
            let mut sorted: Vec<(Vec<u8>, &Node)> = entries
                .iter()
                .map(|(n, e)| {
                    let mut key = n.as_bytes().to_vec();
                    if matches!(e, Node::Tree(_)) {
                        key.push(b'/');
                    }
                    (key, e)
                })
                .collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            let mut raw = Vec::new();
            for (key, e) in sorted {
                let (mode, id): (&[u8], ObjectId) = match e {
                    Node::File(id) => (b"100644", *id),
                    Node::Exec(id) => (b"100755", *id),
                    Node::Tree(id) => (b"40000", *id),
                };
                raw.extend_from_slice(mode);
                raw.push(b' ');
                raw.extend_from_slice(key.strip_suffix(b"/").unwrap_or(&key));
                raw.push(0);
                raw.extend_from_slice(id.as_bytes());
            }
            let mut id = [0u8; 20];
            let n = self.0.len() + 1;
            id[..8].copy_from_slice(&(n as u64).to_be_bytes());
            id[19] = 0xee;
            let id = ObjectId::from_bytes_or_panic(&id);
            self.0.insert(id, Rc::new(raw));
            id
        }

        fn touched(
            &self,
            trie: &PathTrie,
            now: &ObjectId,
            before: Option<&ObjectId>,
        ) -> Vec<usize> {
            let mut read = |id: &Id| Ok(self.0[id].clone());
            let mut out = trie.touched(&mut read, Some(now), before.map(|b| &**b)).unwrap();
            out.sort_unstable();
            out.dedup();
            out
        }
    }

    /// An entry of a test tree: a file (plain or executable) or a folder.
    enum Node {
        File(ObjectId),
        Exec(ObjectId),
        Tree(ObjectId),
    }

    fn blob(n: u8) -> ObjectId {
        [n; 20].into()
    }

    /// Targets: 0 watches `services/a`, 1 `services/ab`, 2 `services/a.b`
    /// (names that sort around `a/`), 3 `docs/x.md` (a file), 4 everything.
    fn trie() -> PathTrie {
        PathTrie::new([
            (0, "services/a"),
            (1, "services/ab/"),
            (2, "./services/a.b"),
            (3, "docs/x.md"),
            (4, ""),
        ])
    }

    #[test]
    fn only_the_paths_that_changed_are_touched() {
        let mut s = Store::default();
        let a = s.tree(&[("f", Node::File(blob(1)))]);
        let a2 = s.tree(&[("f", Node::File(blob(2)))]);
        let ab = s.tree(&[("f", Node::File(blob(3)))]);
        let services = |s: &mut Store, a: ObjectId| {
            s.tree(&[
                ("a", Node::Tree(a)),
                ("a.b", Node::File(blob(4))),
                ("ab", Node::Tree(ab)),
                ("zz", Node::File(blob(5))),
            ])
        };
        let (sv1, sv2) = (services(&mut s, a), services(&mut s, a2));
        let docs = s.tree(&[("x.md", Node::File(blob(6)))]);
        let root1 = s.tree(&[("services", Node::Tree(sv1)), ("docs", Node::Tree(docs))]);
        let root2 = s.tree(&[("services", Node::Tree(sv2)), ("docs", Node::Tree(docs))]);
        let trie = trie();
        assert_eq!(s.touched(&trie, &root2, Some(&root1)), [0, 4]);
        assert_eq!(s.touched(&trie, &root1, Some(&root1)), Vec::<usize>::new());
        // A root commit touches every path that exists.
        assert_eq!(s.touched(&trie, &root1, None), [0, 1, 2, 3, 4]);
        // An unwatched file changing touches only the whole-repository target.
        let sv3 = s.tree(&[
            ("a", Node::Tree(a)),
            ("a.b", Node::File(blob(4))),
            ("ab", Node::Tree(ab)),
            ("zz", Node::File(blob(9))),
        ]);
        let root3 = s.tree(&[("services", Node::Tree(sv3)), ("docs", Node::Tree(docs))]);
        assert_eq!(s.touched(&trie, &root3, Some(&root1)), [4]);
    }

    #[test]
    fn added_removed_retyped_and_mode_changed_paths_are_touched() {
        let mut s = Store::default();
        let a = s.tree(&[("f", Node::File(blob(1)))]);
        let before = s.tree(&[("a", Node::Tree(a)), ("a.b", Node::File(blob(4)))]);
        // `a.b` becomes a folder; `ab` appears; `a` is gone.
        let ab = s.tree(&[("g", Node::File(blob(2)))]);
        let now = s.tree(&[("a.b", Node::Tree(ab)), ("ab", Node::Tree(ab))]);
        let root = |s: &mut Store, sv: ObjectId| s.tree(&[("services", Node::Tree(sv))]);
        let (r1, r2) = (root(&mut s, before), root(&mut s, now));
        let trie = trie();
        assert_eq!(s.touched(&trie, &r2, Some(&r1)), [0, 1, 2, 4]);
        // Only the executable bit of a watched file changes.
        let docs = |s: &mut Store, e: Node| {
            let d = s.tree(&[("x.md", e)]);
            s.tree(&[("docs", Node::Tree(d))])
        };
        let (d1, d2) = (docs(&mut s, Node::File(blob(6))), docs(&mut s, Node::Exec(blob(6))));
        assert_eq!(s.touched(&trie, &d2, Some(&d1)), [3, 4]);
    }

    #[test]
    fn a_folder_written_with_a_zero_padded_mode_is_still_a_folder() {
        let mut s = Store::default();
        let (a1, a2) =
            (s.tree(&[("f", Node::File(blob(1)))]), s.tree(&[("f", Node::File(blob(2)))]));
        let sv = |s: &mut Store, a: ObjectId| s.tree(&[("a", Node::Tree(a))]);
        let (sv1, sv2) = (sv(&mut s, a1), sv(&mut s, a2));
        // The roots as some old tools wrote them: `040000 services`.
        let padded = |s: &mut Store, sv: ObjectId| {
            let mut raw = b"040000 services\0".to_vec();
            raw.extend_from_slice(sv.as_bytes());
            let id = s.tree(&[]);
            s.0.insert(id, Rc::new(raw));
            id
        };
        let (r1, r2) = (padded(&mut s, sv1), padded(&mut s, sv2));
        assert_eq!(s.touched(&trie(), &r2, Some(&r1)), [0, 4]);
    }

    #[test]
    fn a_corrupt_tree_is_an_error_not_a_panic() {
        let trie = trie();
        for raw in [&b"100644 f"[..], b"100644 f\0short", b"nospace"] {
            let mut read = |_: &Id| Ok(Raw::new(raw.to_vec()));
            let (x, y) = (blob(1), blob(2));
            assert!(trie.touched(&mut read, Some(&*x), Some(&*y)).is_err());
        }
    }

    /// Names that sort around each other and around a folder's `name/`.
    const NAMES: [&str; 10] = ["a", "a-b", "a.b", "a0", "ab", "b", "ba", "c", "c.d", "cd"];

    /// An entry of one version of the folder: none, or a kind (file,
    /// executable, folder) and which of four contents.
    fn entry_strategy() -> impl proptest::strategy::Strategy<Value = Option<(u8, u8)>> {
        proptest::option::weighted(0.8, (0u8..3, 0u8..4))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

        /// Two versions of a folder of up to ten entries, with a long
        /// unchanged run before and after (the bytes `compare` skips): the
        /// watched names touched are those whose entry differs.
        #[test]
        fn a_folder_compares_as_its_entries_differ(
            before in proptest::collection::vec(entry_strategy(), NAMES.len()),
            after in proptest::collection::vec(entry_strategy(), NAMES.len()),
            watched in proptest::collection::vec(proptest::bool::ANY, NAMES.len()),
            padding in 0usize..40,
        ) {
            let mut s = Store::default();
            let subtrees: Vec<ObjectId> = (0..4).map(|k| s.tree(&[("f", Node::File(blob(k)))])).collect();
            let node = |(kind, n): (u8, u8)| match kind {
                0 => Node::File(blob(n)),
                1 => Node::Exec(blob(n)),
                _ => Node::Tree(subtrees[usize::from(n)]),
            };
            let fill: Vec<String> = (0..padding).flat_map(|k| [format!("0{k:02}"), format!("z{k:02}")]).collect();
            let mut version = |entries: &[Option<(u8, u8)>]| {
                let mut all: Vec<(&str, Node)> =
                    fill.iter().map(|n| (n.as_str(), Node::File(blob(7)))).collect();
                all.extend(NAMES.iter().zip(entries).filter_map(|(n, e)| Some((*n, node((*e)?)))));
                let folder = s.tree(&all);
                s.tree(&[("d", Node::Tree(folder))])
            };
            let (b, a) = (version(&before), version(&after));
            let paths: Vec<String> = NAMES.iter().map(|n| format!("d/{n}")).collect();
            let trie = PathTrie::new(
                paths.iter().enumerate().filter(|(i, _)| watched[*i]).map(|(i, p)| (i, p.as_str())),
            );
            let want: Vec<usize> = (0..NAMES.len())
                .filter(|&i| watched[i] && before[i] != after[i])
                .collect();
            proptest::prop_assert_eq!(s.touched(&trie, &a, Some(&b)), want);
        }
    }
}
