//! Flatten overlapping passages into consecutive sections, each covered by a fixed set of
//! passages, so that a text layout can give every section one merged format.

use std::ops::Range;

use super::AnnotationId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayoutSection {
    pub chars: Range<usize>,
    /// Passages covering this section, outermost (earliest start, then longest) first.
    pub annotations: Vec<AnnotationId>,
}

/// Split `range` at every passage boundary inside it. Sections cover `range` exactly,
/// in order, with no gaps; empty passages and passages outside `range` are ignored.
pub fn sections_for_range(
    range: Range<usize>,
    passages: &[(AnnotationId, Range<usize>)],
) -> Vec<LayoutSection> {
    let mut relevant: Vec<(AnnotationId, Range<usize>)> = passages
        .iter()
        .filter(|(_, r)| r.start < r.end && r.start < range.end && range.start < r.end)
        .map(|(id, r)| (*id, r.start.max(range.start)..r.end.min(range.end)))
        .collect();
    relevant.sort_by_key(|(id, r)| (r.start, std::cmp::Reverse(r.end), *id));

    let mut cuts: Vec<usize> = vec![range.start, range.end];
    for (_, r) in &relevant {
        cuts.push(r.start);
        cuts.push(r.end);
    }
    cuts.sort_unstable();
    cuts.dedup();

    let mut sections = Vec::with_capacity(cuts.len());
    for pair in cuts.windows(2) {
        let chars = pair[0]..pair[1];
        let annotations = relevant
            .iter()
            .filter(|(_, r)| r.start <= chars.start && chars.end <= r.end)
            .map(|(id, _)| *id)
            .collect();
        sections.push(LayoutSection { chars, annotations });
    }
    if sections.is_empty() {
        sections.push(LayoutSection {
            chars: range,
            annotations: Vec::new(),
        });
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(sections: &[LayoutSection]) -> Vec<(Range<usize>, Vec<u32>)> {
        sections
            .iter()
            .map(|s| (s.chars.clone(), s.annotations.clone()))
            .collect()
    }

    #[test]
    fn no_passages_is_one_plain_section() {
        assert_eq!(ids(&sections_for_range(0..10, &[])), vec![(0..10, vec![])]);
    }

    #[test]
    fn overlapping_passages_split_into_flat_sections() {
        let passages = [(1, 2..6), (2, 4..8)];
        assert_eq!(
            ids(&sections_for_range(0..10, &passages)),
            vec![
                (0..2, vec![]),
                (2..4, vec![1]),
                (4..6, vec![1, 2]),
                (6..8, vec![2]),
                (8..10, vec![]),
            ]
        );
    }

    #[test]
    fn nested_passages_list_outermost_first() {
        let passages = [(5, 3..4), (9, 1..9)];
        assert_eq!(
            ids(&sections_for_range(0..9, &passages)),
            vec![
                (0..1, vec![]),
                (1..3, vec![9]),
                (3..4, vec![9, 5]),
                (4..9, vec![9]),
            ]
        );
    }

    #[test]
    fn passages_are_clipped_to_the_range() {
        let passages = [(1, 0..100), (2, 50..60), (3, 95..99)];
        assert_eq!(
            ids(&sections_for_range(40..55, &passages)),
            vec![(40..50, vec![1]), (50..55, vec![1, 2])]
        );
    }

    #[test]
    fn sections_tile_the_range_exactly() {
        let passages: Vec<(u32, Range<usize>)> = (0..40)
            .map(|i| (i, (i as usize * 7) % 50..(i as usize * 13) % 60 + 1))
            .collect();
        let sections = sections_for_range(5..55, &passages);
        assert_eq!(sections.first().unwrap().chars.start, 5);
        assert_eq!(sections.last().unwrap().chars.end, 55);
        for pair in sections.windows(2) {
            assert_eq!(pair[0].chars.end, pair[1].chars.start);
        }
    }
}
