//! Labels of a binary problem: `bool` or an integer that is 0 or 1.

use crate::MetricError;

/// A label of a binary classification problem.
///
/// `true` / `1` is the positive class and `false` / `0` the negative class, as in
/// scikit-learn's default `pos_label=1`. Any other integer is refused with
/// [`MetricError::NotBinaryLabel`].
pub trait BinaryLabel: Copy + core::fmt::Debug {
    /// `Some(true)` for the positive class, `Some(false)` for the negative class, `None` when
    /// the value is not a binary label.
    fn is_positive(self) -> Option<bool>;
}

impl BinaryLabel for bool {
    fn is_positive(self) -> Option<bool> {
        Some(self)
    }
}

macro_rules! integer_binary_label {
    ($($t:ty),*) => {$(
        impl BinaryLabel for $t {
            fn is_positive(self) -> Option<bool> {
                match self {
                    0 => Some(false),
                    1 => Some(true),
                    _ => None,
                }
            }
        }
    )*};
}

integer_binary_label!(u8, u16, u32, u64, usize, i32, i64);

/// Converts binary labels to `bool`s (true = positive), refusing anything but 0/1.
pub(crate) fn positives<L: BinaryLabel>(
    argument: &'static str,
    labels: &[L],
) -> Result<Vec<bool>, MetricError> {
    labels
        .iter()
        .enumerate()
        .map(|(index, label)| {
            label
                .is_positive()
                .ok_or_else(|| MetricError::NotBinaryLabel {
                    argument,
                    index,
                    value: format!("{label:?}"),
                })
        })
        .collect()
}
