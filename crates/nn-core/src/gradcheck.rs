//! Numerical verification of back-propagation: analytic gradients against central finite
//! differences (the five-point stencil), computed in `f64`.

use crate::regularization::{add_l2_gradient, l2_penalty, validate_l2};
use crate::{CoreError, Float, Layer, Loss, Matrix, Mode, Sequential};

/// How well one gradient tensor agrees with its finite-difference estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct TensorCheck {
    /// What the tensor is, e.g. `layer 0 (dense) weight` or `input`.
    pub label: String,
    /// `(rows, cols)` of the tensor.
    pub shape: (usize, usize),
    /// `max_i |aᵢ − nᵢ|` (analytic `a`, numeric `n`).
    pub max_abs_error: f64,
    /// `max_i |aᵢ − nᵢ| / max(max_i |aᵢ|, max_i |nᵢ|, 10⁻⁴·max(1, |L|))`: the worst element
    /// error relative to the tensor's scale (`L` is the objective). The floor keeps a tensor
    /// whose true gradient is zero — its numeric estimate is then pure rounding noise, about
    /// `ε·|L|/h ≈ 10⁻¹¹·|L|` — from reading as a 100 % error; a wrong gradient of size
    /// ≥ 10⁻⁵·max(1, |L|) still shows as ≥ 0.1.
    pub max_relative_error: f64,
}

/// The result of [`gradcheck`]: one entry per parameter tensor (in the network's fixed order)
/// and one for the input gradient.
#[derive(Clone, Debug, PartialEq)]
pub struct GradcheckReport {
    /// One entry per parameter tensor, in [`Sequential::params`] order.
    pub params: Vec<TensorCheck>,
    /// The gradient with respect to the input batch.
    pub input: TensorCheck,
}

impl GradcheckReport {
    /// The largest relative error over all tensors, the input included.
    pub fn worst_relative_error(&self) -> f64 {
        self.params
            .iter()
            .chain(std::iter::once(&self.input))
            .map(|t| t.max_relative_error)
            .fold(0.0, f64::max)
    }
}

/// Finite-difference step: relative to the value, so large weights are not under-resolved.
fn step(v: f64) -> f64 {
    1e-5 * v.abs().max(1.0)
}

/// `f′(v)` from `f(v + d)` at `d = ±h, ±2h` (the five-point central stencil): its truncation
/// error is `O(h⁴)`, where the three-point difference's `h²·f‴/6` reached a few `10⁻⁶` of a
/// small gradient, while the rounding noise stays about `ε·|f|/h`.
fn five_point(h: f64, mut f: impl FnMut(f64) -> Result<f64, CoreError>) -> Result<f64, CoreError> {
    let near = f(h)? - f(-h)?;
    let far = f(2.0 * h)? - f(-2.0 * h)?;
    Ok((8.0 * near - far) / (12.0 * h))
}

fn compare(
    label: String,
    analytic: &Matrix<f64>,
    numeric: &Matrix<f64>,
    objective: f64,
) -> TensorCheck {
    let max_abs_error = analytic
        .iter()
        .zip(numeric.iter())
        .map(|(a, n)| (a - n).abs())
        .fold(0.0, f64::max);
    let scale = analytic
        .iter()
        .chain(numeric.iter())
        .map(|v| v.abs())
        .fold(0.0, f64::max)
        .max(1e-4 * objective.abs().max(1.0));
    let max_relative_error = max_abs_error / scale;
    TensorCheck {
        label,
        shape: analytic.shape(),
        max_abs_error,
        max_relative_error,
    }
}

/// The training objective the analytic gradients differentiate: the loss of a
/// [`Mode::Train`] forward pass plus the optional L2 penalty.
fn objective(
    net: &mut Sequential<f64>,
    x: &Matrix<f64>,
    y: &Matrix<f64>,
    loss: Loss,
    l2: Option<f64>,
) -> Result<f64, CoreError> {
    let out = net.forward(x, Mode::Train)?;
    let mut v = loss.value(out, y)?;
    if let Some(lambda) = l2 {
        v += l2_penalty(net.params_iter(), lambda, x.ncols())?;
    }
    Ok(v)
}

/// Compares the analytic gradients of `net` under `loss` (plus `λ/(2m)·Σ‖W‖²` if `l2 =
/// Some(λ)`) on the batch `x`, `y` with central finite differences (five-point stencil), all
/// in `f64` (an `f32` network is cast first). Returns the worst errors per parameter tensor
/// and for the input.
///
/// Every parameter and input element costs four forward passes, so use small networks.
/// Dropout layers must have a fixed mask ([`crate::Dropout::fix_mask`]). ReLU-like
/// activations are not differentiable at 0: keep pre-activations away from it.
///
/// # Errors
/// [`CoreError::StochasticLayer`] for a dropout layer without a fixed mask, input/target shape
/// errors, an invalid `λ`, or [`CoreError::NonFinite`] for non-finite data or losses.
pub fn gradcheck<T: Float>(
    net: &Sequential<T>,
    x: &Matrix<T>,
    y: &Matrix<T>,
    loss: Loss,
    l2: Option<f64>,
) -> Result<GradcheckReport, CoreError> {
    if let Some((index, layer)) = net
        .layers()
        .iter()
        .enumerate()
        .find(|(_, l)| l.is_stochastic())
    {
        return Err(CoreError::StochasticLayer {
            index,
            layer: layer.name().to_string(),
        });
    }
    if let Some(lambda) = l2 {
        validate_l2(lambda)?;
    }
    let mut net: Sequential<f64> = net.cast();
    let mut x: Matrix<f64> = x.map(|v| v.as_f64());
    let y: Matrix<f64> = y.map(|v| v.as_f64());
    if x.iter().chain(y.iter()).any(|v| !v.is_finite()) {
        return Err(CoreError::NonFinite {
            what: "gradient-check data".into(),
        });
    }

    // Analytic gradients.
    let value = objective(&mut net, &x, &y, loss, l2)?;
    let out = net.forward(&x, Mode::Train)?.clone();
    let mut grad_out = Matrix::zeros(0, 0);
    loss.value_and_gradient(&out, &y, &mut grad_out)?;
    let analytic_input = net.backward_to_input(&grad_out)?;
    if let Some(lambda) = l2 {
        add_l2_gradient(net.params_iter_mut(), lambda, x.ncols())?;
    }
    let analytic: Vec<Matrix<f64>> = net.params_iter().map(|p| p.grad.clone()).collect();

    // Numeric gradients of every parameter tensor.
    let mut params = Vec::with_capacity(analytic.len());
    let labels: Vec<String> =
        net.layers()
            .iter()
            .enumerate()
            .flat_map(|(i, layer)| {
                layer.params().iter().map(move |p| {
                    format!("layer {i} ({}) {:?}", layer.name(), p.kind).to_lowercase()
                })
            })
            .collect();
    for (t, (a, label)) in analytic.iter().zip(labels).enumerate() {
        let mut numeric = Matrix::zeros(a.nrows(), a.ncols());
        for k in 0..a.len() {
            let original = net.params_iter().nth(t).map_or(0.0, |p| p.value[k]);
            let h = step(original);
            let at = |value: f64, net: &mut Sequential<f64>| -> Result<f64, CoreError> {
                if let Some(p) = net.params_iter_mut().nth(t) {
                    p.value[k] = value;
                }
                objective(net, &x, &y, loss, l2)
            };
            numeric[k] = five_point(h, |d| at(original + d, &mut net))?;
            at(original, &mut net)?;
        }
        params.push(compare(label, a, &numeric, value));
    }

    // Numeric input gradient.
    let mut numeric = Matrix::zeros(x.nrows(), x.ncols());
    for k in 0..x.len() {
        let original = x[k];
        let h = step(original);
        numeric[k] = five_point(h, |d| {
            x[k] = original + d;
            objective(&mut net, &x, &y, loss, l2)
        })?;
        x[k] = original;
    }
    let input = compare("input".into(), &analytic_input, &numeric, value);
    Ok(GradcheckReport { params, input })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Init;
    use rand::SeedableRng;

    #[test]
    fn a_correct_network_passes_and_a_wrong_gradient_is_caught() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let net = Sequential::<f64>::new(3)
            .dense(4, Init::XavierNormal, &mut rng)
            .unwrap()
            .tanh()
            .dense(2, Init::XavierNormal, &mut rng)
            .unwrap();
        let x = Matrix::from_fn(3, 5, |i, j| ((i * 5 + j) as f64).sin());
        let y = Matrix::from_fn(2, 5, |i, j| ((i + j) as f64).cos());
        let report = gradcheck(&net, &x, &y, Loss::Mse, Some(0.3)).unwrap();
        assert_eq!(report.params.len(), 4);
        assert_eq!(report.params[0].label, "layer 0 (dense) weight");
        assert!(report.worst_relative_error() < 1e-7, "{report:?}");

        // A deliberately wrong "analytic" gradient is flagged.
        let a = Matrix::from_element(2, 2, 1.0);
        let n = Matrix::from_element(2, 2, 1.1);
        assert!(compare("w".into(), &a, &n, 1.0).max_relative_error > 0.05);
        // A gradient that is zero up to rounding is not a failure; a tiny wrong one is.
        let zero = Matrix::zeros(2, 2);
        let noise = Matrix::from_element(2, 2, 1e-16);
        assert!(compare("w".into(), &zero, &noise, 3.0).max_relative_error < 1e-9);
        let small = Matrix::from_element(2, 2, 1e-5);
        assert!(compare("w".into(), &zero, &small, 1.0).max_relative_error >= 0.1);
    }

    #[test]
    fn unfixed_dropout_is_refused() {
        let net = Sequential::<f64>::new(2).dropout(0.5, 1).unwrap();
        let x = Matrix::zeros(2, 1);
        let err = gradcheck(&net, &x, &x, Loss::Mse, None).unwrap_err();
        assert!(matches!(err, CoreError::StochasticLayer { index: 0, .. }));
    }
}
