//! Activation functions as layers (element-wise ones and the column-wise softmax).

use serde::{Deserialize, Serialize};

use crate::contiguous_split::split_across_threads;
use crate::layer::ensure_shape;
use crate::relu_pass::zero_where_nonpositive;
use crate::{CoreError, Float, Layer, Matrix, Mode, Param};

/// Which activation function an [`ActivationLayer`] applies.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Activation {
    /// `f(x) = x`.
    Identity,
    /// `f(x) = max(x, 0)`; derivative taken as 0 at `x = 0`.
    Relu,
    /// `f(x) = x` for `x > 0`, `alpha·x` otherwise (`alpha ≥ 0`).
    LeakyRelu {
        /// Slope for negative inputs.
        alpha: f64,
    },
    /// `f(x) = 1 / (1 + e^{−x})`, computed without overflow.
    Sigmoid,
    /// `f(x) = tanh(x)`.
    Tanh,
    /// Column-wise `softmax(z)_i = e^{z_i − max z} / Σ_j e^{z_j − max z}`, with its full
    /// Jacobian in `backward`.
    Softmax,
}

impl Activation {
    /// Short lower-case name, e.g. `relu` or `leaky_relu`.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Relu => "relu",
            Activation::LeakyRelu { .. } => "leaky_relu",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Softmax => "softmax",
        }
    }

    /// Checks the hyper-parameters (the LeakyReLU slope must be non-negative and finite, also
    /// once rounded to `f32`).
    ///
    /// # Errors
    /// [`CoreError::InvalidHyperparameter`] naming the bad value.
    pub fn validate(self) -> Result<(), CoreError> {
        if let Activation::LeakyRelu { alpha } = self
            && !(0.0..=f64::from(f32::MAX)).contains(&alpha)
        {
            return Err(CoreError::InvalidHyperparameter {
                name: "leaky_relu alpha",
                value: alpha,
                reason: "must be finite (in f32) and non-negative",
            });
        }
        Ok(())
    }

    /// Applies the activation to `input`, writing into `output`, which the callers (the
    /// activation layer and the losses' links) size as `input`.
    pub(crate) fn apply<T: Float>(self, input: &Matrix<T>, output: &mut Matrix<T>) {
        debug_assert_eq!(input.shape(), output.shape());
        let x = input.as_slice();
        let y = output.as_mut_slice();
        match self {
            Activation::Identity => y.copy_from_slice(x),
            Activation::Relu => zero_where_nonpositive(x, x, y),
            Activation::LeakyRelu { alpha } => {
                let zero = T::zero();
                let a = T::cast(alpha);
                y.iter_mut()
                    .zip(x)
                    .for_each(|(y, &x)| *y = if x > zero { x } else { a * x });
            }
            Activation::Sigmoid => map_across_threads(x, y, sigmoid),
            Activation::Tanh => map_across_threads(x, y, T::tanh),
            Activation::Softmax => {
                let rows = input.nrows();
                if rows > 0 {
                    for (yc, xc) in y.chunks_exact_mut(rows).zip(x.chunks_exact(rows)) {
                        softmax_column(xc, yc);
                    }
                }
            }
        }
    }
}

/// Buffers shorter than this are mapped through an exponential on one thread: at a few
/// nanoseconds per element, handing half of them to another thread pays from about here.
const PARALLEL_MIN_TRANSCENDENTALS: usize = 1 << 12;

/// `y[i] = f(x[i])` for a function that calls the system's exponential (scalar, a few
/// nanoseconds each), in one contiguous part per thread of the current pool. Every element is
/// computed alone, so the result is the same on any number of threads.
fn map_across_threads<T: Float>(x: &[T], y: &mut [T], f: impl Fn(T) -> T + Sync) {
    let map = |(y, x): (&mut [T], &[T])| y.iter_mut().zip(x).for_each(|(y, &x)| *y = f(x));
    split_across_threads((y, x), PARALLEL_MIN_TRANSCENDENTALS, &map);
}

/// The logistic function, evaluated so that neither branch overflows.
pub fn sigmoid<T: Float>(x: T) -> T {
    if x >= T::zero() {
        T::one() / (T::one() + (-x).exp())
    } else {
        let e = x.exp();
        e / (T::one() + e)
    }
}

/// Stable softmax of one column: subtracts the maximum before exponentiating.
pub(crate) fn softmax_column<T: Float>(x: &[T], y: &mut [T]) {
    let Some(&first) = x.first() else { return };
    let max = x.iter().copied().fold(first, |m, v| m.max(v));
    let mut sum = T::zero();
    for (y, &x) in y.iter_mut().zip(x) {
        *y = (x - max).exp();
        sum += *y;
    }
    let inv = T::one() / sum;
    y.iter_mut().for_each(|y| *y *= inv);
}

/// An activation function used as a layer. Its backward pass uses its own cached output.
#[derive(Clone, Debug)]
pub struct ActivationLayer<T: Float> {
    kind: Activation,
    output: Matrix<T>,
    grad_input: Matrix<T>,
}

impl<T: Float> ActivationLayer<T> {
    /// A layer applying `kind`.
    ///
    /// # Errors
    /// [`CoreError::InvalidHyperparameter`] if the activation's parameters are invalid.
    pub fn new(kind: Activation) -> Result<Self, CoreError> {
        kind.validate()?;
        Ok(Self {
            kind,
            output: Matrix::zeros(0, 0),
            grad_input: Matrix::zeros(0, 0),
        })
    }

    /// Which activation this layer applies.
    pub fn kind(&self) -> Activation {
        self.kind
    }

    /// The layer's output for `input` in a new matrix, leaving the layer's buffers alone:
    /// the same [`Activation::apply`] as [`Layer::forward`], so the same bits.
    pub(crate) fn infer(&self, input: &Matrix<T>) -> Matrix<T> {
        let mut output = Matrix::zeros(input.nrows(), input.ncols());
        self.kind.apply(input, &mut output);
        output
    }
}

impl<T: Float> Layer<T> for ActivationLayer<T> {
    fn name(&self) -> &'static str {
        self.kind.name()
    }

    fn required_input_size(&self) -> Option<usize> {
        None
    }

    fn output_size(&self, input_size: usize) -> usize {
        input_size
    }

    fn forward(&mut self, input: &Matrix<T>, _mode: Mode) -> &Matrix<T> {
        ensure_shape(&mut self.output, input.nrows(), input.ncols());
        self.kind.apply(input, &mut self.output);
        &self.output
    }

    fn output(&self) -> &Matrix<T> {
        &self.output
    }

    fn backward(&mut self, _input: &Matrix<T>, grad_output: &Matrix<T>) -> &Matrix<T> {
        debug_assert_eq!(grad_output.shape(), self.output.shape());
        let (rows, cols) = grad_output.shape();
        ensure_shape(&mut self.grad_input, rows, cols);
        let g = grad_output.as_slice();
        let y = self.output.as_slice();
        let dx = self.grad_input.as_mut_slice();
        let zero = T::zero();
        let one = T::one();
        match self.kind {
            Activation::Identity => dx.copy_from_slice(g),
            // The output is positive exactly where the input is (alpha ≥ 0), so the cached
            // output decides the branch; no copy of the input is kept.
            Activation::Relu => zero_where_nonpositive(y, g, dx),
            Activation::LeakyRelu { alpha } => {
                let a = T::cast(alpha);
                for ((d, &g), &y) in dx.iter_mut().zip(g).zip(y) {
                    *d = if y > zero { g } else { a * g };
                }
            }
            Activation::Sigmoid => {
                for ((d, &g), &y) in dx.iter_mut().zip(g).zip(y) {
                    *d = g * y * (one - y);
                }
            }
            Activation::Tanh => {
                for ((d, &g), &y) in dx.iter_mut().zip(g).zip(y) {
                    *d = g * (one - y * y);
                }
            }
            Activation::Softmax => {
                // Per column: dx = J·g with J = diag(y) − y·yᵀ, i.e. dx_i = y_i (g_i − g·y).
                if rows > 0 {
                    for ((dc, gc), yc) in dx
                        .chunks_exact_mut(rows)
                        .zip(g.chunks_exact(rows))
                        .zip(y.chunks_exact(rows))
                    {
                        let dot = gc.iter().zip(yc).fold(zero, |acc, (&g, &y)| acc + g * y);
                        for ((d, &g), &y) in dc.iter_mut().zip(gc).zip(yc) {
                            *d = y * (g - dot);
                        }
                    }
                }
            }
        }
        &self.grad_input
    }

    fn params(&self) -> &[Param<T>] {
        &[]
    }

    fn params_mut(&mut self) -> &mut [Param<T>] {
        &mut []
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmoid_is_stable_and_symmetric() {
        assert_eq!(sigmoid(0.0f64), 0.5);
        assert_eq!(sigmoid(-1000.0f64), 0.0);
        assert_eq!(sigmoid(1000.0f64), 1.0);
        assert!((sigmoid(2.0f64) + sigmoid(-2.0) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn softmax_columns_sum_to_one_even_for_huge_logits() {
        let x = Matrix::from_column_slice(3, 2, &[1000.0f64, -1000.0, 0.0, 1.0, 2.0, 3.0]);
        let mut y = Matrix::zeros(3, 2);
        Activation::Softmax.apply(&x, &mut y);
        assert!(y.iter().all(|v| v.is_finite()));
        assert!((y[(0, 0)] - 1.0).abs() < 1e-12);
        let e: Vec<f64> = [1.0f64, 2.0, 3.0].iter().map(|v| v.exp()).collect();
        let s: f64 = e.iter().sum();
        assert!((y[(2, 1)] - e[2] / s).abs() < 1e-15);
    }

    #[test]
    fn leaky_relu_rejects_negative_alpha() {
        assert!(ActivationLayer::<f32>::new(Activation::LeakyRelu { alpha: -0.1 }).is_err());
        assert!(ActivationLayer::<f32>::new(Activation::LeakyRelu { alpha: f64::NAN }).is_err());
        assert!(ActivationLayer::<f32>::new(Activation::LeakyRelu { alpha: 1e39 }).is_err());
    }

    #[test]
    fn relu_backward_masks_negative_inputs() {
        let mut l = ActivationLayer::<f64>::new(Activation::Relu).unwrap();
        let x = Matrix::from_column_slice(3, 1, &[-1.0, 2.0, 0.0]);
        l.forward(&x, Mode::Train);
        let g = Matrix::from_column_slice(3, 1, &[5.0, 6.0, 7.0]);
        let dx = l.backward(&x, &g);
        assert_eq!(dx.as_slice(), &[0.0, 6.0, 0.0]);
    }

    #[test]
    fn sigmoid_and_tanh_are_the_scalar_map_on_any_thread_count() {
        let special = [
            0.0,
            -0.0,
            1e-30,
            88.0,
            -104.0,
            f32::NAN,
            f32::INFINITY,
            -f32::INFINITY,
        ];
        let x = Matrix::from_fn(100, 101, |i, j| {
            let k = i * 101 + j;
            if k % 37 == 0 {
                special[k / 37 % special.len()]
            } else {
                ((k as f32) * 0.013).sin() * 30.0
            }
        });
        for (activation, f) in [
            (Activation::Sigmoid, sigmoid::<f32> as fn(f32) -> f32),
            (Activation::Tanh, f32::tanh),
        ] {
            let expected: Vec<u32> = x.iter().map(|&v| f(v).to_bits()).collect();
            for threads in [1, 2, 3] {
                let mut y = Matrix::zeros(100, 101);
                crate::threads::thread_pool(threads)
                    .unwrap()
                    .install(|| activation.apply(&x, &mut y));
                let bits: Vec<u32> = y.iter().map(|v| v.to_bits()).collect();
                assert!(bits == expected, "{activation:?} on {threads} thread(s)");
            }
        }
    }
}
