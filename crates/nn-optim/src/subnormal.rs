//! Floors that keep decaying optimizer state out of the subnormal range.
//!
//! A parameter whose gradient stays exactly zero (a dead ReLU unit, an always-zero input
//! pixel) has its velocity or moments multiplied by a decay rate every step until they fall
//! into the subnormal range, where every multiplication takes a micro-code assist on x86: a
//! training step then ran more than ten times slower. State below these floors is stored as
//! zero instead; the floors are far below anything that can move a weight.

use nn_core::Float;

/// The smallest positive normal number of `T`, as `f64` (`Float` is only `f32` or `f64`).
pub(crate) fn smallest_normal<T: Float>() -> f64 {
    if T::machine_epsilon().as_f64() == f64::from(f32::EPSILON) {
        f64::from(f32::MIN_POSITIVE)
    } else {
        f64::MIN_POSITIVE
    }
}

/// `2²⁰` times the smallest normal number (≈ 1.2·10⁻³² for `f32`): a velocity or first moment
/// below it moves a weight by less than that and is stored as zero.
pub(crate) fn state_floor<T: Float>() -> T {
    T::cast(smallest_normal::<T>() * 1_048_576.0)
}

/// The floor for a running mean of squares decaying by `beta`: below it `beta·s` would be
/// subnormal. `β ≥ 2⁻¹⁰` keeps it within a factor 1024 of the smallest normal number; for a
/// smaller β the product may still underflow, which is only slower.
pub(crate) fn square_floor<T: Float>(beta: f64) -> T {
    T::cast(smallest_normal::<T>() / beta.max(1.0 / 1024.0))
}

/// The smallest ε for which a second moment is floored: with ε ≥ 10⁻¹² the √s of a floored
/// `s` (< 10⁻¹⁸) is negligible next to ε; with a smaller ε nothing is flushed, since `g/√s`
/// could then be large for tiny `s`.
pub(crate) const MIN_EPSILON_FOR_FLUSH: f64 = 1e-12;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors_are_normal_and_tiny() {
        assert_eq!(smallest_normal::<f32>(), f64::from(f32::MIN_POSITIVE));
        assert_eq!(smallest_normal::<f64>(), f64::MIN_POSITIVE);
        let f: f32 = state_floor();
        assert!(f.is_normal() && f < 1e-31);
        let s: f32 = square_floor(0.999);
        assert!((0.999 * s).is_normal() && s < 1e-37);
    }
}
