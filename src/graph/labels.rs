//! Branch labels spread as Alembic's `_add_branches` spreads them.

use std::collections::HashMap;

use super::revmap::RevisionMap;

impl RevisionMap {
    /// `_add_branches`: labels spread to every descendant, and down to the ancestors up to
    /// the nearest branch or merge point. Revisions are processed in insertion order (where
    /// Alembic iterates a set), each spreading the labels it holds at that moment. Label sets
    /// are bitsets, and stay so in the map (`RevisionMap::labels` reads them): in a long
    /// linear history every revision ends up with every label, which as strings took
    /// gigabytes on 50,000 revisions.
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
        // one visited mark per revision, stamped with the walk's number: no clearing; the
        // children in flat arrays (the walks touch nothing else of a revision)
        let mut stamp = vec![0u32; n];
        let mut stack: Vec<u32> = Vec::new();
        let mut first_child: Vec<u32> = Vec::with_capacity(n + 1);
        let mut children: Vec<u32> = Vec::new();
        for r in &self.revs {
            first_child.push(children.len() as u32);
            children.extend(r.nextrev.iter().map(|&c| c as u32));
        }
        first_child.push(children.len() as u32);
        for i in 0..n {
            if self.revs[i].own_labels.is_empty() {
                continue;
            }
            let walk = i as u32 + 1;
            let labels: Vec<u64> = bits[i * words..(i + 1) * words].to_vec();
            let or_into = |bits: &mut [u64], j: usize| {
                for (w, l) in labels.iter().enumerate() {
                    bits[j * words + w] |= l;
                }
            };
            // `_get_descendant_nodes`: depth first, children in insertion order, each once;
            // the last one reached is where the walk down starts
            let mut last = i;
            stack.clear();
            stack.push(i as u32);
            while let Some(d) = stack.pop() {
                let d = d as usize;
                if stamp[d] == walk {
                    continue;
                }
                stamp[d] = walk;
                or_into(&mut bits, d);
                last = d;
                stack.extend_from_slice(
                    &children[first_child[d] as usize..first_child[d + 1] as usize],
                );
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
        self.label_words = words;
        self.label_bits = bits;
    }
}
