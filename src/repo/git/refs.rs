//! Refs and tags: HEAD, branches, the tag list and what each tag points at.
//!
//! Tags are read through gix's ref store (`packed-refs` and the loose files
//! alike, a loose one winning over a packed one of the same name); HEAD,
//! branches and revisions through libgit2.

use std::collections::HashMap;

use gix::ObjectId;
use gix::objs::Kind;
use gix::refs::Target;

use super::{Git, git_err};
use crate::error::{Error, Result};

/// What a tag ref names: the object, and what `packed-refs` says it peels to.
struct TagRef {
    target: ObjectId,
    peeled: Option<ObjectId>,
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

    /// Every tag ref whose name (after `refs/tags/`) starts with `prefix`,
    /// by name: one pass over `packed-refs` and the loose files.
    fn tag_refs(&self, prefix: &str) -> Result<Vec<(String, TagRef)>> {
        let repo = self.reader().repo();
        let refs = repo.references().map_err(refs_err)?;
        let mut out: Vec<(String, TagRef)> = Vec::new();
        for r in refs.prefixed(b"refs/tags/".as_slice()).map_err(refs_err)? {
            // A ref file that cannot be read names no tag (as before gix).
            let Ok(r) = r else { continue };
            let full = r.name().as_bstr().to_string();
            let Some(name) = full.strip_prefix("refs/tags/") else { continue };
            if !name.starts_with(prefix) || name.ends_with(".lock") {
                continue;
            }
            let r = r.detach();
            let target = match r.target {
                Target::Object(id) => id,
                Target::Symbolic(to) => match repo.try_find_reference(to.as_ref()) {
                    Ok(Some(mut to)) => match to.peel_to_id() {
                        Ok(id) => id.detach(),
                        Err(_) => continue,
                    },
                    _ => continue,
                },
            };
            out.push((name.to_owned(), TagRef { target, peeled: r.peeled }));
        }
        out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// Returns every tag name starting with `prefix`, sorted.
    pub fn tag_names(&self, prefix: &str) -> Result<Vec<String>> {
        Ok(self.tag_refs(prefix)?.into_iter().map(|(name, _)| name).collect())
    }

    /// The commit tag `name` points at, through annotated tags; `None`,
    /// with a warning, where it points at a tree or a blob or where an
    /// object on the way is missing (a tag fetched without its object, a
    /// pruned one).
    fn peel(&self, name: &str, tag: &TagRef) -> Option<String> {
        let reader = self.reader();
        let mut id = tag.peeled.unwrap_or(tag.target);
        // An annotated tag may name another tag; git stops nowhere, nor here
        // (but at a loop).
        for _ in 0..64 {
            match reader.kind(&id) {
                Some(Kind::Commit) => return Some(id.to_string()),
                Some(Kind::Tag) => match reader.tag_target(&id) {
                    Some(next) => id = next,
                    None => break,
                },
                Some(Kind::Tree | Kind::Blob) => {
                    self.skip_tag(name, "it points at a tree or a blob, not a commit");
                    return None;
                }
                None => break,
            }
        }
        self.skip_tag(name, &format!("its object {id} is missing from the repository"));
        None
    }

    /// Returns the commit a tag points at, `None` when there is no such tag.
    /// A tag whose object is missing, or that points at a tree or a blob,
    /// is skipped with a warning (`None`).
    pub fn tag_commit(&self, name: &str) -> Result<Option<String>> {
        let repo = self.reader().repo();
        let found = repo.try_find_reference(format!("refs/tags/{name}").as_str());
        let Ok(Some(r)) = found else { return Ok(None) };
        let r = r.detach();
        let target = match r.target {
            Target::Object(id) => id,
            Target::Symbolic(_) => {
                let Ok(mut r) = repo.find_reference(format!("refs/tags/{name}").as_str()) else {
                    return Ok(None);
                };
                match r.follow_to_object() {
                    Ok(id) => id.detach(),
                    Err(_) => return Ok(None),
                }
            }
        };
        Ok(self.peel(name, &TagRef { target, peeled: r.peeled }))
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
        for (name, tag) in self.tag_refs(prefix)? {
            if let Some(commit) = self.peel(&name, &tag) {
                map.entry(commit).or_default().push(name);
            }
        }
        Ok(map)
    }
}

/// A failure of gix's ref store.
fn refs_err(e: impl std::fmt::Display) -> Error {
    Error::input(format!("git: cannot read the tags: {e}"))
}
