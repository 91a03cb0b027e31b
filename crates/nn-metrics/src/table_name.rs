//! Class names as they appear in a printed table: names any length in the data, at most
//! [`MAX_TABLE_NAME_CHARS`] characters on screen.
//!
//! Class names come from users' files. `std::fmt` refuses a width above 65,535 (it panics
//! with "Formatting argument out of range"), and a column hundreds of characters wide is
//! unreadable anyway, so the tables elide a longer name in its middle with `…`. The results
//! themselves (`NamedClassScores::name`, JSON) keep the whole name.

use std::borrow::Cow;

/// The widest a class name is printed in a table, in characters; a longer name keeps its
/// first and last characters around a `…`.
pub const MAX_TABLE_NAME_CHARS: usize = 60;

/// `name` if it fits [`MAX_TABLE_NAME_CHARS`], otherwise its head, `…` and its tail, exactly
/// [`MAX_TABLE_NAME_CHARS`] characters in all.
pub(crate) fn table_name(name: &str) -> Cow<'_, str> {
    let chars = name.chars().count();
    if chars <= MAX_TABLE_NAME_CHARS {
        return Cow::Borrowed(name);
    }
    let kept = MAX_TABLE_NAME_CHARS - 1;
    let head = kept.div_ceil(2);
    let tail = kept - head;
    let mut short: String = name.chars().take(head).collect();
    short.push('…');
    short.extend(name.chars().skip(chars - tail));
    Cow::Owned(short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_kept_and_long_ones_elided_in_the_middle() {
        assert_eq!(table_name("setosa"), "setosa");
        let exact = "x".repeat(MAX_TABLE_NAME_CHARS);
        assert_eq!(table_name(&exact), exact);
        let long = format!("{}{}", "a".repeat(100), "z".repeat(100));
        let short = table_name(&long);
        assert_eq!(short.chars().count(), MAX_TABLE_NAME_CHARS);
        assert!(short.starts_with("aaa") && short.ends_with("zzz") && short.contains('…'));
        // Multi-byte characters are counted and cut as characters, never inside one.
        let wide = "é".repeat(70_000);
        assert_eq!(table_name(&wide).chars().count(), MAX_TABLE_NAME_CHARS);
    }
}
