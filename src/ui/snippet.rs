//! Passages' quotes, notes and titles as egui's labels show them: on one line where a list
//! needs it, and right-to-left text put in reading order (egui lays labels out left to right
//! with no bidi step; see `text_layout::visual_order`). What screen readers are given stays
//! in logical order.

use crate::text_layout::visual_order;

/// One line of at most `limit` characters: whitespace runs become one space. Logical order.
pub fn flattened(text: &str, limit: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= limit {
        flat
    } else {
        let cut: String = flat.chars().take(limit.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// [`flattened`], in the order a label draws it in reading order.
pub fn one_line(text: &str, limit: usize) -> String {
    visual_order::for_left_to_right_layout(&flattened(text, limit)).into_owned()
}

/// Text of several lines (a quote, a note) with each line in reading order.
pub fn lines(text: &str) -> String {
    text.split('\n')
        .map(visual_order::for_left_to_right_layout)
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arabic_quote_is_cut_in_logical_order_then_shown_from_the_right() {
        // The first three words are kept (the cut is made in reading order), and the
        // ellipsis ends them on the left.
        assert_eq!(one_line("قال الضابط إن البرنامج", 14), "…إن الضابط قال");
        assert_eq!(flattened("a\n\n  b", 10), "a b");
        assert_eq!(lines("قال الضابط\nok"), "الضابط قال\nok");
    }
}
