//! The scalar type the engine is generic over.

use std::fmt::{Debug, Display};

use serde::{Serialize, de::DeserializeOwned};

mod sealed {
    /// Sealing also gives every `Float` the SIMD kernels of `crate::product`.
    pub trait Sealed: crate::product::Element {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A floating-point scalar the engine computes in: `f32` (training) or `f64` (gradient checks).
///
/// A thin bound over [`nalgebra::RealField`] plus what serialisation and threading need. The
/// trait is sealed: only `f32` and `f64` implement it, so kernels may specialise on both.
pub trait Float:
    nalgebra::RealField
    + Copy
    + Default
    + Debug
    + Display
    + Serialize
    + DeserializeOwned
    + Send
    + Sync
    + sealed::Sealed
    + 'static
{
    /// Converts from `f64`, rounding to the nearest representable value.
    fn cast(x: f64) -> Self;
    /// Converts to `f64` exactly.
    fn as_f64(self) -> f64;
    /// Converts from a `usize` count (exact below 2²⁴ for `f32`).
    fn from_count(n: usize) -> Self {
        <Self as Float>::cast(n as f64)
    }
    /// Machine epsilon of the type.
    fn machine_epsilon() -> Self;
    /// Whether the value is neither NaN nor infinite.
    fn is_finite_value(self) -> bool {
        Float::as_f64(self).is_finite()
    }
}

impl Float for f32 {
    fn cast(x: f64) -> Self {
        x as f32
    }
    fn as_f64(self) -> f64 {
        f64::from(self)
    }
    fn machine_epsilon() -> Self {
        f32::EPSILON
    }
    fn is_finite_value(self) -> bool {
        self.is_finite()
    }
}

impl Float for f64 {
    fn cast(x: f64) -> Self {
        x
    }
    fn as_f64(self) -> f64 {
        self
    }
    fn machine_epsilon() -> Self {
        f64::EPSILON
    }
    fn is_finite_value(self) -> bool {
        self.is_finite()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_trip() {
        assert_eq!(<f32 as Float>::cast(0.5).as_f64(), 0.5);
        assert_eq!(<f64 as Float>::from_count(7), 7.0);
        assert!(!<f32 as Float>::cast(f64::NAN).is_finite_value());
    }
}
