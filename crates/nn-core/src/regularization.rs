//! L2 weight regularisation, as in the course notes: `λ/(2m)·Σ‖W‖²` added to the loss and
//! `λ/m·W` added to each weight gradient, `m` being the batch size. Biases are not penalised.

use crate::{CoreError, Float, Param, ParamKind};

/// Checks that an L2 strength is finite and non-negative.
///
/// # Errors
/// [`CoreError::InvalidHyperparameter`] otherwise.
pub fn validate_l2(lambda: f64) -> Result<(), CoreError> {
    if lambda.is_finite() && lambda >= 0.0 {
        Ok(())
    } else {
        Err(CoreError::InvalidHyperparameter {
            name: "l2 lambda",
            value: lambda,
            reason: "must be finite and non-negative",
        })
    }
}

/// The penalty `λ/(2m)·Σ‖W‖²_F` over the weight parameters (accumulated in `f64`).
pub fn l2_penalty<'a, T: Float>(
    params: impl IntoIterator<Item = &'a Param<T>>,
    lambda: f64,
    batch: usize,
) -> f64 {
    let sum: f64 = params
        .into_iter()
        .filter(|p| p.kind == ParamKind::Weight)
        .map(|p| p.value.iter().map(|w| w.as_f64().powi(2)).sum::<f64>())
        .sum();
    lambda / (2.0 * batch as f64) * sum
}

/// Adds `λ/m·W` to the gradient of every weight parameter.
pub fn add_l2_gradient<'a, T: Float>(
    params: impl IntoIterator<Item = &'a mut Param<T>>,
    lambda: f64,
    batch: usize,
) {
    let k = T::cast(lambda / batch as f64);
    for p in params.into_iter().filter(|p| p.kind == ParamKind::Weight) {
        for (g, &w) in p.grad.iter_mut().zip(p.value.iter()) {
            *g += k * w;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Matrix;

    #[test]
    fn penalty_and_gradient_by_hand() {
        let w = Param::new(
            Matrix::from_row_slice(1, 2, &[3.0f64, 4.0]),
            ParamKind::Weight,
        );
        let b = Param::new(Matrix::from_row_slice(1, 1, &[10.0f64]), ParamKind::Bias);
        let mut ps = [w, b];
        // λ = 0.5, m = 5: 0.5/10 · 25 = 1.25 (bias ignored)
        assert_eq!(l2_penalty(ps.iter(), 0.5, 5), 1.25);
        add_l2_gradient(ps.iter_mut(), 0.5, 5);
        assert!((ps[0].grad[0] - 0.3).abs() < 1e-15 && (ps[0].grad[1] - 0.4).abs() < 1e-15);
        assert_eq!(ps[1].grad.as_slice(), &[0.0]);
        assert!(validate_l2(-1.0).is_err());
    }
}
