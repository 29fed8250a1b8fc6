//! Refs and tags: HEAD, branches, the tag list and what each tag points at.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{Git, git_err};
use crate::error::{Error, Result};

/// `packed-refs` and an index of its tags: for each, the byte range of its
/// name and, when the file says, of the commit it peels to. Sorted by name.
#[derive(Debug, Default)]
pub(super) struct PackedRefs {
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

impl Git {
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

    /// Tells whether the local branch `name` exists.
    pub fn branch_exists(&self, name: &str) -> bool {
        self.repo.find_branch(name, git2::BranchType::Local).is_ok()
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
