//! A project's and its services' last releases, as the tags say, and the
//! tag convention the repository already follows.

use super::Repo;
use crate::domain::tag::TagPattern;
use crate::domain::version::Version;
use crate::error::{Error, Result};
use crate::repo::git::{self, Reach};

/// The newest release of a project or service, as tags say.
#[derive(Debug, Clone)]
pub struct LastRelease {
    /// Its tag.
    pub tag: String,
    /// Its version.
    pub version: Version,
    /// The commit it points at.
    pub commit: String,
}

impl Repo {
    /// Returns the project's tag pattern.
    pub(crate) fn project_tags(&self) -> Result<TagPattern> {
        TagPattern::new(&self.config.tag.value, &self.config.name.value).map_err(Error::from)
    }

    /// Returns, for each pattern, the highest matching tag among the tags
    /// reachable from HEAD, as `git describe` picks one: a higher tag on
    /// another branch (`v2.0.0` seen from `release/1.x`) is passed over with
    /// a warning. One walk per round of candidates, whatever the number of
    /// patterns; more rounds only where the highest tag is elsewhere.
    pub(crate) fn last_releases(
        &self,
        patterns: &[&TagPattern],
    ) -> Result<Vec<Option<LastRelease>>> {
        // Each pattern's tags in a heap: `pop` takes the highest version
        // left (of equal versions, the last by name), and the first round,
        // which almost always has the answer, needs no sort of them all.
        let mut candidates: Vec<std::collections::BinaryHeap<(Version, &String)>> = patterns
            .iter()
            .map(|pattern| Ok(self.release_tags(pattern)?.collect()))
            .collect::<Result<_>>()?;
        let mut out: Vec<Option<LastRelease>> = vec![None; patterns.len()];
        let Some(head) = self.git.head()? else { return Ok(out) };
        let mut passed_over: Vec<Option<String>> = vec![None; patterns.len()];
        // The first round tries each pattern's highest tag, which is almost
        // always the answer. Where it is on another branch, the next rounds
        // try the following tags in batches of 255, highest first (a
        // maintenance branch sees every tag made on main since it was cut);
        // the walk stops as soon as each pattern's best is reached, and
        // commits read once stay in libgit2's cache for the next round.
        let mut batch = 1;
        loop {
            let mut round: Vec<(usize, Version, String, String)> = Vec::new();
            for (i, list) in candidates.iter_mut().enumerate() {
                let mut taken = 0;
                while taken < batch
                    && let Some((version, tag)) = list.pop()
                {
                    match self.git.tag_commit(tag)? {
                        Some(commit) if self.git.is_commit(&commit) => {
                            round.push((i, version, tag.clone(), commit));
                            taken += 1;
                        }
                        Some(_) => {
                            self.git.skip_tag(tag, "it points at a tree or a blob, not a commit");
                        }
                        None => {}
                    }
                }
            }
            if round.is_empty() {
                break;
            }
            batch = 255;
            // Only what no walk has answered yet is asked.
            let known = self.not_ancestors.borrow();
            let asked: Vec<usize> = (0..round.len())
                .filter(|&k| {
                    known.is_empty() || !known.contains(&(head.clone(), round[k].3.clone()))
                })
                .collect();
            drop(known);
            let commits: Vec<String> = asked.iter().map(|&k| round[k].3.clone()).collect();
            let groups: Vec<usize> = asked.iter().map(|&k| round[k].0).collect();
            let mut reach = vec![Reach::No; round.len()];
            for (k, r) in asked.into_iter().zip(self.git.reachable(&head, &commits, &groups)?) {
                reach[k] = r;
            }
            // Highest first per pattern: the first reached one is the answer.
            for ((i, version, tag, commit), reach) in round.into_iter().zip(reach) {
                if out[i].is_some() {
                    continue;
                }
                match reach {
                    Reach::Yes => {
                        candidates[i].clear();
                        out[i] = Some(LastRelease { tag, version, commit });
                    }
                    Reach::No => {
                        passed_over[i].get_or_insert(tag);
                    }
                    Reach::Unknown => {
                        return Err(git::shallow_error("which release is the current one"));
                    }
                }
            }
        }
        let mut all = self.passed_over.borrow_mut();
        for (last, passed) in out.iter().zip(passed_over) {
            if let Some(passed) = passed {
                let entry = (passed, last.as_ref().map(|l| l.tag.clone()));
                if !all.contains(&entry) {
                    all.push(entry);
                }
            }
        }
        drop(all);
        Ok(out)
    }

    /// The tags that are releases by `pattern` (ignored tags left out), with
    /// their versions; every tag name is read once per run.
    pub(super) fn release_tags<'a>(
        &'a self,
        pattern: &'a TagPattern,
    ) -> Result<impl Iterator<Item = (Version, &'a String)> + 'a> {
        if self.tags.get().is_none() {
            let _ = self.tags.set(self.git.tag_names("")?);
        }
        let all = self.tags.get().map(Vec::as_slice).unwrap_or_default();
        // Sorted by name, so the tags with the pattern's prefix are one run.
        let start = all.partition_point(|t| t.as_str() < pattern.prefix());
        Ok(all[start..]
            .iter()
            .take_while(|t| t.starts_with(pattern.prefix()))
            .filter(|t| !self.is_ignored_tag(t))
            .filter_map(|t| pattern.parse(t).map(|v| (v, t))))
    }

    /// Returns the tag pattern most of the repository's version-like tags
    /// follow, with how many do and its newest tag (see `tag::conventions`).
    pub(crate) fn tag_convention(&self) -> Result<Option<(String, usize, String)>> {
        Ok(self.tag_conventions()?.into_iter().next().map(|c| (c.pattern, c.count, c.newest)))
    }

    /// Returns the tag conventions of the repository's tags (ignored tags
    /// left out), the most followed first; the tag list is the one read
    /// once per run.
    fn tag_conventions(&self) -> Result<Vec<crate::domain::tag::Convention>> {
        if self.tags.get().is_none() {
            let _ = self.tags.set(self.git.tag_names("")?);
        }
        let all = self.tags.get().map(Vec::as_slice).unwrap_or_default();
        Ok(crate::domain::tag::conventions(
            all.iter().map(String::as_str).filter(|t| !self.is_ignored_tag(t)),
        ))
    }

    /// Warns when the project's tags follow another convention than
    /// `pattern`: no tag matches it, or (when the pattern is relman's
    /// default, not one the user chose) another convention has more tags or
    /// a newer one. The warning names both conventions with their newest
    /// tag and the `relman.yaml` lines to write. Reads only the tag list.
    pub(crate) fn check_tag_convention(&self, pattern: &TagPattern, chosen: bool) -> Result<()> {
        let template = pattern.template();
        let mut count = 0usize;
        let mut newest: Option<(Version, &String)> = None;
        for (version, tag) in self.release_tags(pattern)? {
            count += 1;
            if newest.as_ref().is_none_or(|(v, _)| version > *v) {
                newest = Some((version, tag));
            }
        }
        if chosen && count > 0 {
            return Ok(());
        }
        let conventions = self.tag_conventions()?;
        let Some(other) = conventions.iter().filter(|c| c.pattern != template).find(|c| {
            c.count > count || newest.as_ref().is_none_or(|(v, _)| c.newest_version > *v)
        }) else {
            return Ok(());
        };
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let ours = match &newest {
            Some((_, tag)) => format!(
                "the tag pattern `{template}` matches {count} tag{}, the newest `{tag}`",
                plural(count)
            ),
            None => format!("no tag matches the pattern `{template}`"),
        };
        self.warn(format!(
            "{ours}, but {} tag{} follow `{}`, the newest `{}`; if those are this project's releases, write in relman.yaml:\n  project:\n    tag: \"{}\"",
            other.count,
            plural(other.count),
            other.pattern,
            other.newest,
            other.pattern
        ));
        Ok(())
    }
}

/// The one warning for release tags HEAD's history lacks (each with the
/// tag used instead), `None` when there are none.
pub(super) fn passed_over_warning(passed: &[(String, Option<String>)]) -> Option<String> {
    let used = |u: &Option<String>| {
        u.as_ref().map_or_else(|| "no release tag".to_owned(), |t| format!("`{t}`"))
    };
    match passed {
        [] => None,
        [(tag, instead)] => Some(format!(
            "tag `{tag}` is not in the history of HEAD (another branch?), so it is not the current version here; using {}",
            used(instead)
        )),
        many => {
            let list: Vec<String> =
                many.iter().map(|(t, u)| format!("`{t}` (using {})", used(u))).collect();
            Some(format!(
                "{} tags are not in the history of HEAD (another branch?), so they are not the current versions here: {}",
                many.len(),
                list.join(", ")
            ))
        }
    }
}
