//! Weight initialisers for dense layers.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Serialize};

use crate::{CoreError, Float, Matrix};

/// How the weights of a dense layer are drawn (biases always start at zero).
///
/// `fan_in` is the number of inputs and `fan_out` the number of outputs of the layer. Values are
/// drawn in `f64` in column-major order of `W` and then rounded to the scalar type, so an `f32`
/// and an `f64` network built from the same seed start from the same (rounded) weights.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Init {
    /// Glorot/Xavier uniform: `U(−l, l)` with `l = √(6 / (fan_in + fan_out))`.
    XavierUniform,
    /// Glorot/Xavier normal: `N(0, σ²)` with `σ = √(2 / (fan_in + fan_out))`.
    XavierNormal,
    /// He/Kaiming normal (for ReLU): `N(0, σ²)` with `σ = √(2 / fan_in)`.
    HeNormal,
    /// He/Kaiming uniform: `U(−l, l)` with `l = √(6 / fan_in)`.
    HeUniform,
    /// LeCun normal: `N(0, σ²)` with `σ = √(1 / fan_in)` (NumPy's `randn(n_in, n_out) / √n_in`).
    LeCunNormal,
    /// Plain normal with a given standard deviation (e.g. `randn * 0.01`).
    Normal {
        /// Standard deviation.
        std: f64,
    },
    /// Plain uniform on `[−limit, limit)`.
    Uniform {
        /// Half-width of the interval.
        limit: f64,
    },
    /// All weights zero (only useful for tests: hidden units stay symmetric).
    Zeros,
}

/// The largest custom `std` or `limit`: every weight drawn stays finite in `f32` (a normal
/// draw beyond 40 σ has a probability below 10⁻³⁴⁸).
const MAX_SPREAD: f64 = 1e30;

/// Checks a custom standard deviation or half-width, named `name` in the error.
fn check_spread(name: &'static str, value: f64) -> Result<f64, CoreError> {
    if (0.0..=MAX_SPREAD).contains(&value) {
        Ok(value)
    } else {
        Err(CoreError::InvalidHyperparameter {
            name,
            value,
            reason: "must be between 0 and 1e30",
        })
    }
}

enum Sampler {
    Normal(f64),
    Uniform(f64),
    Zero,
}

impl Init {
    fn sampler(self, fan_in: usize, fan_out: usize) -> Result<Sampler, CoreError> {
        let fi = fan_in as f64;
        let fo = fan_out as f64;
        let s = match self {
            Init::XavierUniform => Sampler::Uniform((6.0 / (fi + fo)).sqrt()),
            Init::XavierNormal => Sampler::Normal((2.0 / (fi + fo)).sqrt()),
            Init::HeNormal => Sampler::Normal((2.0 / fi).sqrt()),
            Init::HeUniform => Sampler::Uniform((6.0 / fi).sqrt()),
            Init::LeCunNormal => Sampler::Normal((1.0 / fi).sqrt()),
            Init::Normal { std } => Sampler::Normal(check_spread("init std", std)?),
            Init::Uniform { limit } => Sampler::Uniform(check_spread("init limit", limit)?),
            Init::Zeros => Sampler::Zero,
        };
        Ok(s)
    }

    /// Draws an `fan_out × fan_in` weight matrix from `rng` (an empty one, drawing nothing,
    /// when either size is 0).
    ///
    /// # Errors
    /// [`CoreError::InvalidHyperparameter`] if a custom `std`/`limit` is negative, not finite
    /// or above 10³⁰.
    pub fn weights<T: Float, R: Rng + ?Sized>(
        self,
        fan_in: usize,
        fan_out: usize,
        rng: &mut R,
    ) -> Result<Matrix<T>, CoreError> {
        let mut w = Matrix::<T>::zeros(fan_out, fan_in);
        let sampler = self.sampler(fan_in, fan_out)?;
        if w.is_empty() {
            // Nothing to draw (and a fan of 0 would make the He and LeCun spreads infinite).
            return Ok(w);
        }
        match sampler {
            Sampler::Zero => {}
            Sampler::Normal(std) => {
                if std > 0.0 {
                    // Invariant: std is > 0 and finite (fans ≥ 1, or checked by
                    // `check_spread`), so the distribution is valid.
                    let normal = Normal::new(0.0, std).expect("finite positive std");
                    w.iter_mut()
                        .for_each(|x| *x = T::cast(normal.sample(&mut *rng)));
                }
            }
            Sampler::Uniform(limit) => {
                if limit > 0.0 {
                    w.iter_mut()
                        .for_each(|x| *x = T::cast(rng.random_range(-limit..limit)));
                }
            }
        }
        Ok(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn stats(w: &Matrix<f64>) -> (f64, f64) {
        let n = w.len() as f64;
        let mean = w.iter().sum::<f64>() / n;
        let var = w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        (mean, var.sqrt())
    }

    #[test]
    fn he_normal_has_the_right_spread() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let w: Matrix<f64> = Init::HeNormal.weights(200, 300, &mut rng).unwrap();
        let (mean, std) = stats(&w);
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((std - (2.0f64 / 200.0).sqrt()).abs() < 0.003, "std {std}");
    }

    #[test]
    fn xavier_uniform_stays_within_limit() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let w: Matrix<f64> = Init::XavierUniform.weights(30, 20, &mut rng).unwrap();
        let limit = (6.0f64 / 50.0).sqrt();
        assert!(w.iter().all(|x| x.abs() <= limit));
        assert!(w.iter().any(|x| x.abs() > limit * 0.9));
    }

    #[test]
    fn same_seed_same_weights_and_f32_matches_f64() {
        let a: Matrix<f64> = Init::LeCunNormal
            .weights(5, 4, &mut ChaCha8Rng::seed_from_u64(9))
            .unwrap();
        let b: Matrix<f32> = Init::LeCunNormal
            .weights(5, 4, &mut ChaCha8Rng::seed_from_u64(9))
            .unwrap();
        for (x, y) in a.iter().zip(b.iter()) {
            assert_eq!(*x as f32, *y);
        }
    }

    #[test]
    fn spreads_that_are_negative_or_too_wide_for_f32_are_rejected() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        for spread in [-1.0, f64::NAN, f64::INFINITY, 1e31, 1e308] {
            for init in [
                Init::Normal { std: spread },
                Init::Uniform { limit: spread },
            ] {
                let r: Result<Matrix<f32>, _> = init.weights(3, 3, &mut rng);
                assert!(
                    matches!(r, Err(CoreError::InvalidHyperparameter { .. })),
                    "{init:?}"
                );
            }
        }
        for init in [Init::Normal { std: 1e30 }, Init::Uniform { limit: 1e30 }] {
            let w: Matrix<f32> = init.weights(30, 30, &mut rng).unwrap();
            assert!(w.iter().all(|v| v.is_finite()), "{init:?}");
        }
    }

    #[test]
    fn a_fan_of_zero_gives_an_empty_matrix() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for init in [
            Init::XavierUniform,
            Init::XavierNormal,
            Init::HeNormal,
            Init::HeUniform,
            Init::LeCunNormal,
        ] {
            for (fan_in, fan_out) in [(0, 5), (5, 0), (0, 0)] {
                let w: Matrix<f32> = init.weights(fan_in, fan_out, &mut rng).unwrap();
                assert_eq!(w.shape(), (fan_out, fan_in), "{init:?}");
            }
        }
    }
}
