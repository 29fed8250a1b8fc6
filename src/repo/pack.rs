//! Reading objects straight from git's pack files, for the history walks
//! that read tens of thousands of trees.
//!
//! libgit2 reads each object through its object database: a lock, a search
//! of every pack, a fresh zlib stream, copies. A walk of a large history
//! spends most of its time there, where git itself reads the same objects
//! at half the cost. This reader does what git does for the common case: it
//! maps each `objects/pack/*.pack` and its `.idx` (version 2), finds an id
//! by the index's fan-out and a binary search, inflates with one reused
//! zlib stream, resolves delta chains, and keeps the bases it resolved.
//!
//! It answers only what it can answer exactly. An object it cannot find (a
//! loose object, one in an alternate store or in a pack written after it
//! opened), a pack it does not know (index version 1) and anything
//! malformed give `None`, and the caller asks libgit2, which gives the
//! object or the error. Pack files are never changed once written: git
//! writes a new pack and renames it into place, and a pack `git gc` deletes
//! stays readable through the mapping.

use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasherDefault;
use std::path::Path;
use std::rc::Rc;

use flate2::{Decompress, FlushDecompress, Status};
use memmap2::Mmap;

use super::trie::{Id, Raw};

/// The kinds of object a pack holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Commit,
    Tree,
    Blob,
    Tag,
}

impl Kind {
    fn of(code: u8) -> Option<Self> {
        match code {
            1 => Some(Self::Commit),
            2 => Some(Self::Tree),
            3 => Some(Self::Blob),
            4 => Some(Self::Tag),
            _ => None,
        }
    }
}

/// The largest object this reader inflates; a larger one (or a header
/// claiming one) is left to libgit2.
const MAX_OBJECT: usize = 256 << 20;

/// The bytes of resolved delta bases kept, as git's `core.deltaBaseCacheLimit`.
const CACHE_BYTES: usize = 32 << 20;

/// One pack: its index and its data, both mapped.
struct Pack {
    idx: Mmap,
    data: Mmap,
    count: usize,
}

impl Pack {
    /// Maps a pack and its index; `None` when either is not as this reader
    /// knows them.
    fn open(idx_path: &Path) -> Option<Self> {
        let map = |p: &Path| -> Option<Mmap> {
            let file = std::fs::File::open(p).ok()?;
            // SAFETY: git never changes a pack or its index once written (it
            // writes a new file and renames it into place), so the mapped
            // bytes do not change under the reader; a deleted pack stays
            // mapped until it is dropped.
            unsafe { Mmap::map(&file) }.ok()
        };
        let idx = map(idx_path)?;
        let data = map(&idx_path.with_extension("pack"))?;
        // Version 2: magic, version, 256 fan-out counts, ids, CRCs,
        // offsets, large offsets, two checksums.
        if idx.len() < 8 + 256 * 4 + 40 || idx[..4] != *b"\xfftOc" || be32(&idx, 4)? != 2 {
            return None;
        }
        let count = be32(&idx, 8 + 255 * 4)? as usize;
        // As git checks it: room for every id, CRC and offset, and at most
        // one large offset for each object but the first.
        let least = 8 + 256 * 4 + count * 28 + 40;
        if idx.len() < least || idx.len() > least + count.saturating_sub(1) * 8 {
            return None;
        }
        if data.len() < 12 + 20
            || data.len() >= 1 << 48
            || data[..4] != *b"PACK"
            || be32(&data, 8)? as usize != count
        {
            return None;
        }
        Some(Self { idx, data, count })
    }

    /// The offset in the pack of object `id`.
    fn find(&self, id: &Id) -> Option<usize> {
        let first = usize::from(id[0]);
        let lo = if first == 0 { 0 } else { be32(&self.idx, 8 + (first - 1) * 4)? as usize };
        let hi = be32(&self.idx, 8 + first * 4)? as usize;
        let ids = 8 + 256 * 4;
        let (mut lo, mut hi) = (lo, hi.min(self.count));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let at = self.idx.get(ids + mid * 20..ids + mid * 20 + 20)?;
            // The first eight bytes as one number decide almost every step
            // (a slice comparison would call `memcmp`).
            let head = |b: &[u8]| u64::from_be_bytes(b[..8].try_into().unwrap_or_default());
            let order = head(at).cmp(&head(id)).then_with(|| at[8..].cmp(&id[8..]));
            match order {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return self.offset(mid),
            }
        }
        None
    }

    /// The offset of the `n`th object of the index.
    fn offset(&self, n: usize) -> Option<usize> {
        let offsets = 8 + 256 * 4 + self.count * 24;
        let small = be32(&self.idx, offsets + n * 4)?;
        if small & 0x8000_0000 == 0 {
            return Some(small as usize);
        }
        let large = offsets + self.count * 4 + (small & 0x7fff_ffff) as usize * 8;
        let bytes: [u8; 8] = self.idx.get(large..large + 8)?.try_into().ok()?;
        usize::try_from(u64::from_be_bytes(bytes)).ok()
    }
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// What an entry of a pack holds.
enum Entry {
    /// A whole object of this kind and size, deflated from `at`.
    Whole(Kind, usize, usize),
    /// A delta of this size deflated from `at`, on the object at `base`.
    Delta(Base, usize, usize),
}

enum Base {
    Offset(usize),
    Id(Id),
}

/// The header of the pack entry at `at`.
fn entry(data: &[u8], at: usize) -> Option<Entry> {
    let mut pos = at;
    let mut byte = *data.get(pos)?;
    pos += 1;
    let code = (byte >> 4) & 7;
    let mut size = usize::from(byte & 15);
    let mut shift = 4;
    while byte & 0x80 != 0 {
        byte = *data.get(pos)?;
        pos += 1;
        if shift > 56 {
            return None;
        }
        size |= usize::from(byte & 0x7f) << shift;
        shift += 7;
    }
    if size > MAX_OBJECT {
        return None;
    }
    match code {
        6 => {
            let mut byte = *data.get(pos)?;
            pos += 1;
            let mut back = usize::from(byte & 0x7f);
            while byte & 0x80 != 0 {
                byte = *data.get(pos)?;
                pos += 1;
                back = back.checked_add(1)?.checked_mul(128)? | usize::from(byte & 0x7f);
            }
            let base = at.checked_sub(back).filter(|&b| b > 0)?;
            Some(Entry::Delta(Base::Offset(base), size, pos))
        }
        7 => {
            let id: Id = data.get(pos..pos + 20)?.try_into().ok()?;
            Some(Entry::Delta(Base::Id(id), size, pos + 20))
        }
        code => Some(Entry::Whole(Kind::of(code)?, size, pos)),
    }
}

/// A repository's packs, mapped once and shared by every reader (each
/// thread its own `Packs`): a page of an index or a pack is faulted in
/// once per process.
#[derive(Clone, Default)]
pub(super) struct PackFiles(std::sync::Arc<Vec<Pack>>);

impl PackFiles {
    /// Maps the packs of the object store `objects` (a repository's
    /// `.git/objects`). No packs, or none this reader knows: every read
    /// gives `None`.
    pub(super) fn open(objects: &Path) -> Self {
        let mut packs = Vec::new();
        if let Ok(dir) = std::fs::read_dir(objects.join("pack")) {
            let mut paths: Vec<_> = dir
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "idx"))
                .collect();
            paths.sort();
            packs.extend(paths.iter().filter_map(|p| Pack::open(p)).take(1 << 16));
        }
        Self(std::sync::Arc::new(packs))
    }

    /// The kind of object `id`, read from the entry headers down its delta
    /// chain (nothing inflated); `None` when these packs cannot tell.
    pub(super) fn kind(&self, id: &Id) -> Option<Kind> {
        let (mut pack, mut at) = self.find(id, 0)?;
        for _ in 0..10_000 {
            match entry(&self.0[pack].data, at)? {
                Entry::Whole(kind, ..) => return Some(kind),
                Entry::Delta(Base::Offset(base), ..) => at = base,
                Entry::Delta(Base::Id(base), ..) => (pack, at) = self.find(&base, pack)?,
            }
        }
        None
    }

    /// The pack holding `id` and its offset there, the packs asked from
    /// `first` on (the one that held the last object found: a run of reads
    /// mostly stays in one pack).
    fn find(&self, id: &Id, first: usize) -> Option<(usize, usize)> {
        let n = self.0.len();
        (0..n).map(|k| (first + k) % n).find_map(|p| Some((p, self.0[p].find(id)?)))
    }
}

/// A reader of a repository's packs, with its own zlib stream and the
/// objects it resolved.
pub(super) struct Packs {
    packs: PackFiles,
    /// The pack that held the last object found, asked first.
    last: usize,
    zlib: Decompress,
    /// The delta being applied (its room reused).
    delta: Vec<u8>,
    /// Objects resolved, by `key(pack, offset)`, oldest first in `order`.
    kept: HashMap<u64, (Kind, Raw), BuildHasherDefault<FastHasher>>,
    order: VecDeque<u64>,
    kept_bytes: usize,
    /// The most bytes kept (`CACHE_BYTES`).
    budget: usize,
}

impl Packs {
    /// A reader of `packs`.
    pub(super) fn new(packs: PackFiles) -> Self {
        Self {
            packs,
            last: 0,
            zlib: Decompress::new(true),
            delta: Vec::new(),
            kept: HashMap::default(),
            order: VecDeque::new(),
            kept_bytes: 0,
            budget: CACHE_BYTES,
        }
    }

    /// Reads object `id`: its kind and bytes, or `None` when it is not in
    /// these packs or cannot be read here (ask libgit2).
    pub(super) fn read(&mut self, id: &Id) -> Option<(Kind, Raw)> {
        let (pack, at) = self.find(id)?;
        self.resolve(pack, at, 0)
    }

    fn find(&mut self, id: &Id) -> Option<(usize, usize)> {
        let found = self.packs.find(id, self.last);
        if let Some((p, _)) = found {
            self.last = p;
        }
        found
    }

    /// The object at `at` in pack `pack`, resolving its delta chain from
    /// the nearest object kept (`depth`: how many bases named by id led
    /// here). Every object resolved is kept: the bases of a chain are what
    /// the next reads need, and so is the object itself where a pack
    /// stores older versions as deltas on newer ones (as `git gc` does).
    fn resolve(&mut self, pack: usize, at: usize, depth: usize) -> Option<(Kind, Raw)> {
        // The deltas from this entry down to a whole object or a kept one:
        // (entry, delta size, deflated data at).
        let mut chain: Vec<(usize, usize, usize)> = Vec::new();
        let mut cur = at;
        let (kind, mut bytes) = loop {
            if let Some((kind, bytes)) = self.kept.get(&key(pack, cur)) {
                break (*kind, bytes.clone());
            }
            match entry(&self.packs.0[pack].data, cur)? {
                Entry::Whole(kind, size, from) => {
                    let bytes = Rc::new(self.inflate(pack, from, size)?);
                    self.keep(pack, cur, kind, bytes.clone());
                    break (kind, bytes);
                }
                Entry::Delta(Base::Offset(base), size, from) => {
                    chain.push((cur, size, from));
                    cur = base;
                }
                Entry::Delta(Base::Id(base), size, from) => {
                    // A base named by id (a thin pack made whole): resolve it
                    // on its own, in whichever pack holds it.
                    if depth >= 64 {
                        return None;
                    }
                    chain.push((cur, size, from));
                    let (p, b) = self.find(&base)?;
                    break self.resolve(p, b, depth + 1)?;
                }
            }
            if chain.len() > 10_000 {
                return None;
            }
        };
        // Apply the deltas, deepest first.
        while let Some((entry_at, size, from)) = chain.pop() {
            let mut delta = std::mem::take(&mut self.delta);
            let made = self
                .inflate_into(pack, from, size, &mut delta)
                .and_then(|()| apply(&bytes, &delta));
            self.delta = delta;
            bytes = Rc::new(made?);
            self.keep(pack, entry_at, kind, bytes.clone());
        }
        Some((kind, bytes))
    }

    /// Inflates `size` bytes from the deflated stream at `from`.
    fn inflate(&mut self, pack: usize, from: usize, size: usize) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        self.inflate_into(pack, from, size, &mut out)?;
        Some(out)
    }

    /// Inflates `size` bytes from the deflated stream at `from` into `out`
    /// (emptied first).
    fn inflate_into(
        &mut self,
        pack: usize,
        from: usize,
        size: usize,
        out: &mut Vec<u8>,
    ) -> Option<()> {
        let input = self.packs.0[pack].data.get(from..)?;
        out.clear();
        // One byte of room more than `size`: a stream that would give more
        // than the header says is malformed, not silently cut.
        out.reserve_exact(size + 1);
        self.zlib.reset(true);
        match self.zlib.decompress_vec(input, out, FlushDecompress::Finish) {
            Ok(Status::StreamEnd) if out.len() == size => Some(()),
            _ => None,
        }
    }

    fn keep(&mut self, pack: usize, at: usize, kind: Kind, bytes: Raw) {
        let k = key(pack, at);
        if bytes.len() > self.budget / 16 || self.kept.contains_key(&k) {
            return;
        }
        self.kept_bytes += bytes.len();
        while self.kept_bytes > self.budget {
            let Some(old) = self.order.pop_front() else { break };
            if let Some((_, b)) = self.kept.remove(&old) {
                self.kept_bytes -= b.len();
            }
        }
        self.order.push_back(k);
        self.kept.insert(k, (kind, bytes));
    }
}

/// The key of the object at `at` in pack `pack`: one key for one object,
/// as `PackFiles::open` takes at most 2^16 packs of under 2^48 bytes.
fn key(pack: usize, at: usize) -> u64 {
    ((pack as u64) << 48) ^ at as u64
}

/// A hasher for object ids and for `key`s, where std's SipHash costs more
/// than the lookup: an id's bytes are already spread, so they are folded
/// in as they are; a number is spread by one multiplication.
#[derive(Default, Clone, Copy)]
pub(super) struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(word);
        }
    }

    fn write_u64(&mut self, n: u64) {
        let m = (n ^ self.0).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = m ^ (m >> 29);
    }
}

/// Applies git's delta `delta` to `base`.
fn apply(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    let mut pos = 0;
    let mut varint = || -> Option<usize> {
        let mut n = 0usize;
        let mut shift = 0;
        loop {
            let byte = *delta.get(pos)?;
            pos += 1;
            if shift > 56 {
                return None;
            }
            n |= usize::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                return Some(n);
            }
        }
    };
    let (from, to) = (varint()?, varint()?);
    if from != base.len() || to > MAX_OBJECT {
        return None;
    }
    let mut out = Vec::with_capacity(to);
    while let Some(&op) = delta.get(pos) {
        pos += 1;
        if op & 0x80 != 0 {
            // Copy from the base: the offset's and size's bytes that are
            // present, as the low bits of `op` say.
            let mut field = |bits: u8, shifts: &[u32]| -> Option<usize> {
                let mut n = 0usize;
                for (k, &s) in shifts.iter().enumerate() {
                    if op & (bits << k) != 0 {
                        n |= usize::from(*delta.get(pos)?) << s;
                        pos += 1;
                    }
                }
                Some(n)
            };
            let offset = field(0x01, &[0, 8, 16, 24])?;
            let size = match field(0x10, &[0, 8, 16])? {
                0 => 0x10000,
                n => n,
            };
            out.extend_from_slice(base.get(offset..offset.checked_add(size)?)?);
        } else if op != 0 {
            let n = usize::from(op);
            out.extend_from_slice(delta.get(pos..pos + n)?);
            pos += n;
        } else {
            return None;
        }
        if out.len() > to {
            return None;
        }
    }
    (out.len() == to).then_some(out)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::repo::run_git as git;

    /// A repository of 400 commits by fast-import (one pack, deltas on
    /// older versions): folders that grow, files rewritten, a tag.
    fn history() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q", "-b", "main"], None);
        let mut stream = String::new();
        for i in 1..=400u32 {
            stream += &format!(
                "commit refs/heads/main\nmark :{i}\ncommitter A <a@b.c> {} +0000\ndata <<EOM\nchange {i}\nEOM\n",
                1_600_000_000 + i
            );
            if i > 1 {
                stream += &format!("from :{}\n", i - 1);
            }
            let body = format!("{}\n", "line of text ".repeat((i % 50) as usize + 1)).repeat(3);
            stream +=
                &format!("M 100644 inline dir{}/sub/f{}.txt\ndata <<EOM\n{body}EOM\n", i % 7, i);
            stream += &format!("M 100644 inline top.txt\ndata <<EOM\nversion {i}\n{body}EOM\n\n");
        }
        stream +=
            "tag v1\nfrom :400\ntagger A <a@b.c> 1600000500 +0000\ndata <<EOM\nthe tag\nEOM\n";
        git(dir.path(), &["fast-import", "--quiet"], Some(stream.as_bytes()));
        dir
    }

    /// Every object of the repository, as git reads it.
    fn objects(dir: &Path) -> Vec<(Id, Kind, Vec<u8>)> {
        let out = git(dir, &["cat-file", "--batch-all-objects", "--batch"], None);
        let mut rest = out.as_slice();
        let mut all = Vec::new();
        while !rest.is_empty() {
            let eol = rest.iter().position(|&c| c == b'\n').unwrap();
            let head = std::str::from_utf8(&rest[..eol]).unwrap();
            let mut parts = head.split(' ');
            let (id, kind, size) = (parts.next().unwrap(), parts.next().unwrap(), parts.next());
            let size: usize = size.unwrap().parse().unwrap();
            let mut bytes = [0u8; 20];
            for (k, b) in bytes.iter_mut().enumerate() {
                *b = u8::from_str_radix(&id[2 * k..2 * k + 2], 16).unwrap();
            }
            let kind = match kind {
                "commit" => Kind::Commit,
                "tree" => Kind::Tree,
                "blob" => Kind::Blob,
                _ => Kind::Tag,
            };
            all.push((bytes, kind, rest[eol + 1..eol + 1 + size].to_vec()));
            rest = &rest[eol + 2 + size..];
        }
        all
    }

    /// Reads every object through `Packs` (in the order given, then
    /// reversed, so that both directions of a delta chain are walked) and
    /// checks each against git, and each kind told from the headers.
    fn reads_all_as_git_does(dir: &Path) {
        reads_all_keeping(dir, CACHE_BYTES);
    }

    fn reads_all_keeping(dir: &Path, budget: usize) {
        let all = objects(dir);
        assert!(all.len() > 1_000, "{} objects", all.len());
        let files = PackFiles::open(&dir.join(".git/objects"));
        let mut packs = Packs::new(files.clone());
        packs.budget = budget;
        for (id, kind, bytes) in all.iter().chain(all.iter().rev()) {
            let (k, b) = packs.read(id).expect("in a pack");
            assert_eq!((k, &*b), (*kind, bytes));
            assert_eq!(files.kind(id), Some(*kind));
        }
    }

    fn delta_kinds(dir: &Path) -> String {
        let idx = std::fs::read_dir(dir.join(".git/objects/pack"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "idx"))
            .unwrap();
        String::from_utf8(git(dir, &["verify-pack", "-v", idx.to_str().unwrap()], None)).unwrap()
    }

    #[test]
    fn a_fast_import_pack_reads_as_git_reads_it() {
        let dir = history();
        assert!(delta_kinds(dir.path()).contains("chain length = 2"));
        reads_all_as_git_does(dir.path());
    }

    #[test]
    fn a_repacked_history_with_deep_chains_reads_as_git_reads_it() {
        let dir = history();
        git(dir.path(), &["repack", "-adfq", "--depth=200", "--window=50"], None);
        assert!(delta_kinds(dir.path()).contains("chain length = 20"));
        reads_all_as_git_does(dir.path());
        // With room for a few objects only, bases are dropped and made again.
        reads_all_keeping(dir.path(), 64 << 10);
    }

    #[test]
    fn deltas_on_bases_named_by_id_read_as_git_reads_them() {
        let dir = history();
        git(dir.path(), &["-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq"], None);
        reads_all_as_git_does(dir.path());
    }

    #[test]
    fn an_index_with_large_offsets_and_two_packs_read_as_git_reads_them() {
        let dir = history();
        // Half the commits in a second pack whose index stores every
        // offset past its first KiB in its 64-bit table; the rest stay in
        // the first pack only.
        let ids = git(dir.path(), &["rev-list", "--objects", "main~200"], None);
        let ids: Vec<u8> = ids
            .split(|&c| c == b'\n')
            .filter(|l| !l.is_empty())
            .flat_map(|l| l.iter().take(40).chain(b"\n"))
            .copied()
            .collect();
        let prefix = dir.path().join(".git/objects/pack/extra");
        git(
            dir.path(),
            &["pack-objects", "-q", "--index-version=2,1024", prefix.to_str().unwrap()],
            Some(&ids),
        );
        reads_all_as_git_does(dir.path());
    }

    #[test]
    fn an_object_in_no_pack_is_left_to_the_caller() {
        let dir = history();
        let loose = git(dir.path(), &["hash-object", "-w", "--stdin"], Some(b"loose\n"));
        let mut id = [0u8; 20];
        for (k, b) in id.iter_mut().enumerate() {
            *b = u8::from_str_radix(std::str::from_utf8(&loose[2 * k..2 * k + 2]).unwrap(), 16)
                .unwrap();
        }
        let mut packs = Packs::new(PackFiles::open(&dir.path().join(".git/objects")));
        assert!(packs.read(&id).is_none());
        assert!(PackFiles::open(&dir.path().join(".git/objects")).kind(&id).is_none());
        assert!(Packs::new(PackFiles::open(&dir.path().join("nowhere"))).read(&id).is_none());
    }

    #[test]
    fn a_delta_is_applied_by_its_copy_and_insert_instructions() {
        let base = b"0123456789abcdef";
        // Sizes 16 -> 9; copy 4 bytes from offset 10, insert "xyz", copy
        // 2 bytes from offset 0.
        let delta = [16, 9, 0x80 | 0x01 | 0x10, 10, 4, 3, b'x', b'y', b'z', 0x80 | 0x10, 2];
        assert_eq!(apply(base, &delta).unwrap(), b"abcdxyz01");
        // A wrong base size, a copy past the base, an output of the wrong size.
        assert!(apply(b"short", &delta).is_none());
        assert!(apply(base, &[16, 4, 0x80 | 0x01 | 0x10, 14, 4]).is_none());
        assert!(apply(base, &[16, 5, 3, b'x', b'y', b'z']).is_none());
    }
}
