//! The integer tables under the facet columns: lists in compressed-row form (each
//! concept's documents, each concept's ancestors, each combination's values) and the
//! documents' fixed-width facet rows that the counting loop reads.

use super::facet_count::count_rows;
use tantivy::DocId;

/// A count or index as a table entry (the tables hold `u32`s; a segment has fewer
/// documents, and a vocabulary fewer concepts).
pub(super) fn id(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Lists of document ids or values in compressed-row form: `items[start[r]..start[r +
/// 1]]`.
#[derive(Debug)]
pub(super) struct Lists {
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Default for Lists {
    fn default() -> Self {
        Self {
            start: vec![0],
            items: Vec::new(),
        }
    }
}

impl Lists {
    /// Appends a list.
    pub(super) fn push(&mut self, row: &[u32]) {
        self.items.extend_from_slice(row);
        self.start
            .push(u32::try_from(self.items.len()).unwrap_or(u32::MAX));
    }

    /// List `r` (empty past the end).
    pub(super) fn get(&self, r: usize) -> &[u32] {
        match (self.start.get(r), self.start.get(r + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// How many lists there are.
    pub(super) fn len(&self) -> usize {
        self.start.len() - 1
    }
}

/// A row's values as `u16` while the value space allows, else `u32`.
#[derive(Debug)]
enum Values {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

/// The documents' facet rows, all of one width: a row shorter than that is padded with a
/// spare counter (`pad`), the values of a longer one past the width are kept aside. So
/// the counting loop runs the same number of steps for every match (a varying row length
/// mispredicted a branch per match) and finds a row at `doc * width`; at a million
/// documents the rows of `u16` fit the CPU's cache.
#[derive(Debug)]
pub(super) struct Rows {
    width: usize,
    values: Values,
    pad: u32,
    /// The values past the width, by document, in increasing order.
    overflow: Vec<(DocId, Vec<u32>)>,
}

impl Default for Rows {
    fn default() -> Self {
        Self::new(&Lists::default(), 0)
    }
}

impl Rows {
    /// The rows of `lists` (one per document), of values below `space`; `space` itself is
    /// the spare counter.
    pub(super) fn new(lists: &Lists, space: usize) -> Self {
        // The width covering 99 rows in 100, at most 8.
        let mut lengths: Vec<usize> = (0..lists.len()).map(|d| lists.get(d).len()).collect();
        lengths.sort_unstable();
        let width = lengths
            .get(lengths.len() * 99 / 100)
            .copied()
            .unwrap_or(1)
            .clamp(1, 8);
        let pad = id(space);
        let mut flat = Vec::with_capacity(lists.len() * width);
        let mut overflow = Vec::new();
        for d in 0..lists.len() {
            let row = lists.get(d);
            let (inline, rest) = row.split_at(width.min(row.len()));
            flat.extend_from_slice(inline);
            flat.extend(std::iter::repeat_n(pad, width - inline.len()));
            if !rest.is_empty() {
                overflow.push((id(d), rest.to_vec()));
            }
        }
        let values = if space <= usize::from(u16::MAX) {
            Values::Narrow(
                flat.iter()
                    .map(|&v| u16::try_from(v).unwrap_or(u16::MAX))
                    .collect(),
            )
        } else {
            Values::Wide(flat)
        };
        Self {
            width,
            values,
            pad,
            overflow,
        }
    }

    /// How many counters counting needs: the value space and the spare one.
    pub(super) fn counters(&self) -> usize {
        self.pad as usize + 1
    }

    /// Adds one to `counts[v]` for each value `v` of each document in `docs`.
    pub(super) fn count(&self, docs: &[DocId], counts: &mut [u32]) {
        match &self.values {
            Values::Narrow(v) => count_rows(v, self.width, &self.overflow, docs, counts),
            Values::Wide(v) => count_rows(v, self.width, &self.overflow, docs, counts),
        }
    }
}
