//! The floating-point types the metrics accept.

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A floating-point type the metrics accept: `f32` or `f64`.
///
/// Every metric widens its inputs to `f64` and computes in `f64`. The type's own machine
/// epsilon is kept because scikit-learn uses it: `log_loss` clips probabilities to
/// `[ε, 1 − ε]` where ε is the epsilon of the input's dtype.
///
/// The trait is sealed; it is implemented for `f32` and `f64` only.
pub trait Real: Copy + core::fmt::Debug + sealed::Sealed {
    /// The type's machine epsilon (`f32::EPSILON` or `f64::EPSILON`), widened to `f64`.
    const EPSILON: f64;

    /// Widens the value to `f64` (exactly: every `f32` is an `f64`).
    fn to_f64(self) -> f64;
}

impl Real for f32 {
    const EPSILON: f64 = f32::EPSILON as f64;

    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Real for f64 {
    const EPSILON: f64 = f64::EPSILON;

    fn to_f64(self) -> f64 {
        self
    }
}

/// Widens `values` to `f64`, refusing NaN and infinities with an error naming `argument`.
pub(crate) fn finite_values<T: Real>(
    argument: &'static str,
    values: &[T],
) -> Result<Vec<f64>, crate::MetricError> {
    values
        .iter()
        .enumerate()
        .map(|(index, v)| {
            let value = v.to_f64();
            if value.is_finite() {
                Ok(value)
            } else {
                Err(crate::MetricError::NonFinite {
                    argument,
                    index,
                    value,
                })
            }
        })
        .collect()
}
