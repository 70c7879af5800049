//! Branch labels spread as Alembic's `_add_branches` spreads them.

use std::collections::HashMap;

use super::revmap::RevisionMap;

impl RevisionMap {
    /// `_add_branches`: labels spread to every descendant, and down to the ancestors up to
    /// the nearest branch or merge point. Revisions are processed in insertion order (where
    /// Alembic iterates a set), each spreading the labels it holds at that moment. Label sets
    /// are bitsets: in a long linear history every revision ends up with every label.
    pub(super) fn add_branches(&mut self) {
        let n = self.revs.len();
        let nl = self.labels.len();
        let words = nl.div_ceil(64).max(1);
        let mut bits = vec![0u64; n * words];
        let label_index: HashMap<&str, usize> = self
            .labels
            .iter()
            .enumerate()
            .map(|(k, (l, _))| (l.as_str(), k))
            .collect();
        for (i, r) in self.revs.iter().enumerate() {
            for l in &r.own_labels {
                if let Some(&k) = label_index.get(l.as_str()) {
                    bits[i * words + k / 64] |= 1 << (k % 64);
                }
            }
        }
        for i in 0..n {
            if self.revs[i].own_labels.is_empty() {
                continue;
            }
            let labels: Vec<u64> = bits[i * words..(i + 1) * words].to_vec();
            let or_into = |bits: &mut [u64], j: usize| {
                for (w, l) in labels.iter().enumerate() {
                    bits[j * words + w] |= l;
                }
            };
            let mut last = i;
            for d in self.related(&[i], |r| &r.nextrev) {
                or_into(&mut bits, d);
                last = d;
            }
            let mut parent = Some(last);
            while let Some(p) = parent {
                let r = &self.revs[p];
                if r.is_real_branch_point() || r.is_merge_point() {
                    break;
                }
                or_into(&mut bits, p);
                parent = r.down_idx.first().copied();
            }
        }
        for i in 0..n {
            let mut labels = self.revs[i].own_labels.clone();
            for (k, (l, _)) in self.labels.iter().enumerate() {
                if bits[i * words + k / 64] & (1 << (k % 64)) != 0
                    && !self.revs[i].own_labels.contains(l)
                {
                    labels.push(l.clone());
                }
            }
            self.revs[i].labels = labels;
        }
    }
}
