//! What makes two projects, or two indicators, the same one: across the files of a report
//! (PS104), across two revisions (`diff`), and between a declaration and its year-end
//! self-evaluation.

use super::{Indicator, Project};
use std::collections::{HashMap, VecDeque};

/// A project's identity: its year, 实施单位 and name — unique per declaration (PS104).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProjectKey<S> {
    pub year: u16,
    pub unit: S,
    pub name: S,
}

impl ProjectKey<&str> {
    pub fn to_owned(self) -> ProjectKey<String> {
        ProjectKey {
            year: self.year,
            unit: self.unit.to_string(),
            name: self.name.to_string(),
        }
    }
}

impl ProjectKey<String> {
    pub fn key_ref(&self) -> ProjectKey<&str> {
        ProjectKey {
            year: self.year,
            unit: &self.unit,
            name: &self.name,
        }
    }
}

impl Project {
    pub fn key(&self) -> ProjectKey<&str> {
        ProjectKey {
            year: self.year,
            unit: &self.unit,
            name: &self.name,
        }
    }
}

impl Indicator {
    /// An indicator's identity within its project: its name, unique per project (PS308).
    /// A category or target that changed is a change of the same indicator.
    pub fn key(&self) -> &str {
        &self.name
    }
}

/// The same projects in two lists (two revisions, a declaration and its self-evaluation):
/// pairs of (old, new) indexes, matched first (in new order), then added, then removed.
/// A new project takes the first unused old one of its [`ProjectKey`]; what is left is
/// paired by name alone where that is unambiguous (one unmatched old and one unmatched new
/// project of that name: the same project in another year or unit).
pub fn match_projects(old: &[Project], new: &[Project]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut old_used = vec![false; old.len()];
    let mut new_match: Vec<Option<usize>> = vec![None; new.len()];
    // Old projects by key, in order: each new one takes the first unused (hash maps, so
    // ten thousand projects do not cost a hundred million comparisons).
    let mut by_key: HashMap<ProjectKey<&str>, VecDeque<usize>> = HashMap::new();
    for (oi, o) in old.iter().enumerate() {
        by_key.entry(o.key()).or_default().push_back(oi);
    }
    for (ni, n) in new.iter().enumerate() {
        if let Some(oi) = by_key.get_mut(&n.key()).and_then(VecDeque::pop_front) {
            old_used[oi] = true;
            new_match[ni] = Some(oi);
        }
    }
    // Then by name alone when it is unambiguous (one unmatched old and one unmatched new
    // project of that name): the same project in another year or unit.
    let mut olds_by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (oi, o) in old.iter().enumerate().filter(|(oi, _)| !old_used[*oi]) {
        olds_by_name.entry(&o.name).or_default().push(oi);
    }
    let mut news_by_name: HashMap<&str, usize> = HashMap::new();
    for (n, _) in new.iter().zip(&new_match).filter(|(_, m)| m.is_none()) {
        *news_by_name.entry(&n.name).or_default() += 1;
    }
    for ni in 0..new.len() {
        if new_match[ni].is_some() {
            continue;
        }
        let name = new[ni].name.as_str();
        let olds = olds_by_name.get(name).map_or(&[][..], Vec::as_slice);
        if let ([oi], Some(1)) = (olds, news_by_name.get(name).copied()) {
            old_used[*oi] = true;
            new_match[ni] = Some(*oi);
        }
    }
    let mut out: Vec<(Option<usize>, Option<usize>)> = new_match
        .iter()
        .enumerate()
        .map(|(ni, o)| (*o, Some(ni)))
        .collect();
    out.extend(
        (0..old.len())
            .filter(|&oi| !old_used[oi])
            .map(|oi| (Some(oi), None)),
    );
    out
}

/// The same indicators of two projects (or two revisions of one): pairs of (old, new)
/// indexes with equal [`Indicator::key`], the k-th of a key with the k-th, in new order.
pub fn match_indicators(old: &[Indicator], new: &[Indicator]) -> Vec<(usize, usize)> {
    let mut by_key: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (i, o) in old.iter().enumerate() {
        by_key.entry(o.key()).or_default().push_back(i);
    }
    new.iter()
        .enumerate()
        .filter_map(|(j, n)| {
            let i = by_key.get_mut(n.key()).and_then(VecDeque::pop_front)?;
            Some((i, j))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{check_source, Report};

    fn projects(spec: &str) -> Vec<Project> {
        let file = check_source("k.perf", spec);
        Report { files: vec![file] }.model().projects
    }

    const A: &str = "年度 2026\n主管部门 局\n实施单位 中心\n模板 自评表\n\n项目 甲 {\n  数量 培训 ≥ 10 次\n  数量 培训 ≥ 20 次\n  质量 合格率 ≥ 90 %\n}\n\n项目 乙 {\n  数量 课程 ≥ 1 门\n}\n";

    #[test]
    fn the_same_key_is_the_same_thing() {
        let old = projects(A);
        let new = projects(
            &A.replace("年度 2026", "年度 2027")
                .replace("项目 乙", "项目 丙"),
        );
        assert_eq!(old.len(), 2);
        assert_eq!(old[0].key(), old[0].key().to_owned().key_ref());
        // 甲 in another year: matched by name alone; 乙 removed, 丙 added.
        assert_eq!(
            match_projects(&old, &new),
            vec![(Some(0), Some(0)), (None, Some(1)), (Some(1), None)]
        );
        // The k-th indicator of a key with the k-th.
        let (o, n) = (&old[0].indicators, &new[0].indicators);
        assert_eq!(match_indicators(o, &n[1..]), vec![(0, 0), (2, 1)]);
    }
}
