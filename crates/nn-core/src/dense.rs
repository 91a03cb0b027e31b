//! The fully connected layer `Z = W·X + b`.

use rand::Rng;

use crate::layer::ensure_shape;
use crate::network_size::{MAX_PARAMETERS, dense_parameters};
use crate::product::{
    ColumnCut, HalvesSplit, Operand, PARALLEL_MIN_INPUT_GRADIENT, PARALLEL_MIN_MULTIPLY_ADDS,
    Update, gemm_cut, gemm_in_two_halves, gemm_split_from, transpose_into,
};
use crate::{CoreError, Float, Init, Layer, Matrix, Mode, Param, ParamKind};

/// A fully connected layer: `Z = W·X + b` with `W` of shape (out × in), `b` of shape (out × 1)
/// and one column of `X` per sample.
///
/// All products run through the engine's SIMD kernel into preallocated buffers. `δ·Xᵀ` reads
/// `X` through a zero-copy transposed view; `Wᵀ·δ` multiplies by a copy of `Wᵀ` the layer
/// refreshes on each backward pass (the kernel wants contiguous rows; the copy costs one pass
/// over `W`, a fraction of the product).
///
/// # Summation order
///
/// Each output `z = b + Σ_p w_p·x_p` is a chain of fused multiply-adds over the inputs in
/// order, starting from the bias. A layer with at least [`Dense::SPLIT_INPUTS_FROM`] inputs
/// (MNIST's 784) sums in two halves instead, `(b + Σ_{p<h} w_p·x_p) + Σ_{p≥h} w_p·x_p`, with
/// `h` about half the inputs (a multiple of 4): on two threads each core then reads only
/// the half of `W` whose gradient it computes and the optimizer updates on it, instead of
/// fetching the other core's half on every step. Either way the result is the same for any
/// number of threads, in training and in inference.
#[derive(Clone, Debug)]
pub struct Dense<T: Float> {
    /// `[weight, bias]`, in this order.
    params: [Param<T>; 2],
    output: Matrix<T>,
    grad_input: Matrix<T>,
    /// Workspace: `Wᵀ` for the input gradient.
    weight_t: Matrix<T>,
    /// Workspace: the second half's sums of a layer with split inputs.
    second_half: Matrix<T>,
    /// Where the weight gradient's columns are cut between two threads.
    gradient_cut: ColumnCut,
}

impl<T: Float> Dense<T> {
    /// Layers with at least this many inputs sum their outputs in two halves of the inputs
    /// (see "Summation order").
    pub const SPLIT_INPUTS_FROM: usize = 256;

    /// The multiply-adds from which this layer's products in `mode` split across threads,
    /// `usual` for most. In training a weight under [`crate::threads::SPLIT_TENSORS_FROM`]
    /// values stays on one core (its gradient is then computed by the core that updates it,
    /// see [`crate::regularization`] and the optimizers' splits); in inference the weight is
    /// only read and any large product splits by columns.
    fn parallel_min(&self, mode: Mode, usual: usize) -> usize {
        parallel_min(&self.params[0], mode, usual)
    }

    /// A layer with `inputs` inputs and `outputs` outputs, weights drawn by `init` from `rng`
    /// and zero biases.
    ///
    /// # Errors
    /// [`CoreError::InvalidHyperparameter`] if a size is zero or the initialiser is invalid;
    /// [`CoreError::NetworkTooLarge`] (as layer 0) if the layer alone has more than
    /// [`MAX_PARAMETERS`](crate::network_size::MAX_PARAMETERS) parameters.
    pub fn new<R: Rng + ?Sized>(
        inputs: usize,
        outputs: usize,
        init: Init,
        rng: &mut R,
    ) -> Result<Self, CoreError> {
        for (name, v) in [("dense inputs", inputs), ("dense outputs", outputs)] {
            if v == 0 {
                return Err(CoreError::InvalidHyperparameter {
                    name,
                    value: 0.0,
                    reason: "a dense layer needs at least one input and one output",
                });
            }
        }
        let parameters = dense_parameters(inputs, outputs);
        if parameters > MAX_PARAMETERS {
            return Err(CoreError::NetworkTooLarge {
                index: 0,
                inputs,
                outputs,
                parameters,
            });
        }
        let w = init.weights(inputs, outputs, rng)?;
        Ok(Self::from_parts(w, Matrix::zeros(outputs, 1)))
    }

    /// A layer with the given weight (out × in) and bias (out × 1).
    ///
    /// # Errors
    /// [`CoreError::ShapeMismatch`] if the bias is not a column of `W.nrows()` entries, or
    /// [`CoreError::InvalidHyperparameter`] if `W` is empty.
    pub fn from_weights(weight: Matrix<T>, bias: Matrix<T>) -> Result<Self, CoreError> {
        if weight.is_empty() {
            return Err(CoreError::InvalidHyperparameter {
                name: "dense weight size",
                value: 0.0,
                reason: "a dense layer needs at least one input and one output",
            });
        }
        if bias.shape() != (weight.nrows(), 1) {
            return Err(CoreError::ShapeMismatch {
                what: "dense bias".into(),
                expected: (weight.nrows(), 1),
                got: bias.shape(),
            });
        }
        Ok(Self::from_parts(weight, bias))
    }

    fn from_parts(weight: Matrix<T>, bias: Matrix<T>) -> Self {
        Self {
            params: [
                Param::new(weight, ParamKind::Weight),
                Param::new(bias, ParamKind::Bias),
            ],
            output: Matrix::zeros(0, 0),
            grad_input: Matrix::zeros(0, 0),
            weight_t: Matrix::zeros(0, 0),
            second_half: Matrix::zeros(0, 0),
            gradient_cut: ColumnCut::default(),
        }
    }

    /// Number of inputs (columns of `W`).
    pub fn inputs(&self) -> usize {
        self.params[0].value.ncols()
    }

    /// Number of outputs (rows of `W`).
    pub fn outputs(&self) -> usize {
        self.params[0].value.nrows()
    }

    /// The weight parameter `W` (out × in).
    pub fn weight(&self) -> &Param<T> {
        &self.params[0]
    }

    /// The bias parameter `b` (out × 1).
    pub fn bias(&self) -> &Param<T> {
        &self.params[1]
    }

    fn accumulate_bias_grad(bias_grad: &mut Matrix<T>, grad_output: &Matrix<T>) {
        bias_grad.fill(T::zero());
        let g = bias_grad.as_mut_slice();
        for column in grad_output.as_slice().chunks_exact(g.len()) {
            for (acc, &d) in g.iter_mut().zip(column) {
                *acc += d;
            }
        }
    }

    /// The layer's output for `input` in [`Mode::Eval`], in a new matrix: the layer's own
    /// buffers are left alone, and the result is bit for bit that of
    /// [`Layer::forward`] in evaluation mode (both run [`forward_into`]).
    pub(crate) fn infer(&self, input: &Matrix<T>) -> Matrix<T> {
        let (mut output, mut second_half) = (Matrix::zeros(0, 0), Matrix::zeros(0, 0));
        forward_into(
            &self.params,
            input,
            Mode::Eval,
            &mut output,
            &mut second_half,
        );
        output
    }
}

/// [`Dense::parallel_min`] for a layer of weight `weight`.
fn parallel_min<T: Float>(weight: &Param<T>, mode: Mode, usual: usize) -> usize {
    let small = weight.value.len() < crate::threads::SPLIT_TENSORS_FROM;
    if mode == Mode::Train && small {
        usize::MAX
    } else {
        usual
    }
}

/// `Z = W·X + b` for `params = [W, b]` and `input = X`, written into `output` (reshaped to
/// outputs × batch as needed), `second_half` the workspace of a layer with split inputs.
/// Shared by [`Layer::forward`] (the layer's own buffers) and [`Dense::infer`] (new ones), so
/// training, buffered prediction and prediction through a shared network compute alike.
fn forward_into<T: Float>(
    params: &[Param<T>; 2],
    input: &Matrix<T>,
    mode: Mode,
    output: &mut Matrix<T>,
    second_half: &mut Matrix<T>,
) {
    let [weight, bias] = params;
    let inputs = weight.value.ncols();
    debug_assert_eq!(input.nrows(), inputs, "dense input rows");
    let batch = input.ncols();
    ensure_shape(output, weight.value.nrows(), batch);
    // Bias fused into the product: fill every column with b, then Z += W·X (each sum
    // starts from its bias).
    let b = bias.value.as_slice();
    for column in output.as_mut_slice().chunks_exact_mut(b.len()) {
        column.copy_from_slice(b);
    }
    let parallel_min = parallel_min(weight, mode, PARALLEL_MIN_MULTIPLY_ADDS);
    let (weight, x) = (Operand::of(&weight.value), Operand::of(input));
    if inputs >= Dense::<T>::SPLIT_INPUTS_FROM {
        // In training each core keeps to the half of W it differentiates and updates; in
        // inference W is only read, and each core takes whole columns.
        let split = match mode {
            Mode::Train => HalvesSplit::ByInputs,
            Mode::Eval => HalvesSplit::ByColumns,
        };
        gemm_in_two_halves(output, second_half, weight, x, split, parallel_min);
    } else {
        gemm_split_from(output, weight, x, Update::Accumulate, parallel_min);
    }
}

impl<T: Float> Layer<T> for Dense<T> {
    fn name(&self) -> &'static str {
        "dense"
    }

    fn required_input_size(&self) -> Option<usize> {
        Some(self.inputs())
    }

    fn output_size(&self, _input_size: usize) -> usize {
        self.outputs()
    }

    fn forward(&mut self, input: &Matrix<T>, mode: Mode) -> &Matrix<T> {
        let (output, second_half) = (&mut self.output, &mut self.second_half);
        forward_into(&self.params, input, mode, output, second_half);
        &self.output
    }

    fn output(&self) -> &Matrix<T> {
        &self.output
    }

    fn backward(&mut self, input: &Matrix<T>, grad_output: &Matrix<T>) -> &Matrix<T> {
        self.backward_params_only(input, grad_output);
        ensure_shape(&mut self.grad_input, input.nrows(), input.ncols());
        // ∂L/∂X = Wᵀ·δ.
        transpose_into(&self.params[0].value, &mut self.weight_t);
        let parallel_min = self.parallel_min(Mode::Train, PARALLEL_MIN_INPUT_GRADIENT);
        gemm_split_from(
            &mut self.grad_input,
            Operand::of(&self.weight_t),
            Operand::of(grad_output),
            Update::Overwrite,
            parallel_min,
        );
        &self.grad_input
    }

    fn backward_params_only(&mut self, input: &Matrix<T>, grad_output: &Matrix<T>) {
        debug_assert_eq!(grad_output.shape(), (self.outputs(), input.ncols()));
        debug_assert_eq!(input.nrows(), self.inputs());
        let parallel_min = self.parallel_min(Mode::Train, PARALLEL_MIN_MULTIPLY_ADDS);
        let [weight, bias] = &mut self.params;
        // ∂L/∂W = δ·Xᵀ through a transposed view (no copy of X).
        gemm_cut(
            &mut weight.grad,
            Operand::of(grad_output),
            Operand::transposed(input),
            Update::Overwrite,
            parallel_min,
            Some(&mut self.gradient_cut),
        );
        Self::accumulate_bias_grad(&mut bias.grad, grad_output);
    }

    fn params(&self) -> &[Param<T>] {
        &self.params
    }

    fn params_mut(&mut self) -> &mut [Param<T>] {
        &mut self.params
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer() -> Dense<f64> {
        let w = Matrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, -1.0, 0.5, 0.0]);
        let b = Matrix::from_column_slice(2, 1, &[0.1, -0.2]);
        Dense::from_weights(w, b).unwrap()
    }

    #[test]
    fn only_large_weights_split_their_training_products() {
        let sized = |outputs: usize, inputs: usize| {
            Dense::<f32>::from_weights(Matrix::zeros(outputs, inputs), Matrix::zeros(outputs, 1))
                .unwrap()
        };
        let usual = PARALLEL_MIN_MULTIPLY_ADDS;
        // MNIST's second layer (8,192 weights) stays on one core in training...
        let small = sized(64, 128);
        assert_eq!(small.parallel_min(Mode::Train, usual), usize::MAX);
        // ...but not in inference, where W is only read.
        assert_eq!(small.parallel_min(Mode::Eval, usual), usual);
        // Its first layer (100,352 weights) splits from the usual size.
        let large = sized(128, 784);
        assert_eq!(large.parallel_min(Mode::Train, usual), usual);
        let at_limit = sized(1, crate::threads::SPLIT_TENSORS_FROM);
        assert_eq!(at_limit.parallel_min(Mode::Train, usual), usual);
    }

    #[test]
    fn forward_matches_hand_computation() {
        let mut d = layer();
        let x = Matrix::from_column_slice(3, 2, &[1.0, 0.0, 2.0, -1.0, 1.0, 1.0]);
        let z = d.forward(&x, Mode::Eval).clone();
        // column 0: [1+6+0.1, -1+0-0.2] ; column 1: [-1+2+3+0.1, 1+0.5-0.2]
        let expected = Matrix::from_column_slice(2, 2, &[7.1, -1.2, 4.1, 1.3]);
        assert!((z - expected).abs().max() < 1e-12);
    }

    #[test]
    fn backward_matches_explicit_transposes_on_large_shapes() {
        // Shapes above nalgebra's small-matrix threshold so the GEMM kernel is exercised.
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(3);
        let mut d: Dense<f64> = Dense::new(13, 9, Init::XavierNormal, &mut rng).unwrap();
        let x = Init::Normal { std: 1.0 }
            .weights::<f64, _>(7, 13, &mut rng)
            .unwrap();
        let g = Init::Normal { std: 1.0 }
            .weights::<f64, _>(7, 9, &mut rng)
            .unwrap();
        d.forward(&x, Mode::Train);
        let dx = d.backward(&x, &g).clone();
        let w = d.weight().value.clone();
        assert!((dx - w.transpose() * &g).abs().max() < 1e-12);
        assert!((&d.weight().grad - &g * x.transpose()).abs().max() < 1e-12);
        let db = g.column_sum();
        assert!(
            d.bias()
                .grad
                .iter()
                .zip(db.iter())
                .all(|(a, b)| (a - b).abs() < 1e-12)
        );
    }

    #[test]
    fn a_wide_layer_sums_in_two_halves_the_same_way_in_every_mode_and_pool() {
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(5);
        let inputs = Dense::<f32>::SPLIT_INPUTS_FROM + 44;
        let mut d: Dense<f32> = Dense::new(inputs, 70, Init::XavierNormal, &mut rng).unwrap();
        d.params[1].value = Matrix::from_fn(70, 1, |i, _| i as f32 * 0.01 - 0.3);
        let x = Init::Normal { std: 1.0 }
            .weights::<f32, _>(64, inputs, &mut rng)
            .unwrap();
        let exact = (d.weight().value.map(f64::from) * x.map(f64::from)).map(|z| z as f32)
            + Matrix::from_fn(70, 64, |i, _| d.bias().value[i]);
        let run = |d: &mut Dense<f32>, threads: usize, mode: Mode| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| d.forward(&x, mode).clone())
        };
        let z = run(&mut d, 1, Mode::Train);
        assert!((&z - &exact).abs().max() < 1e-4);
        for threads in [1, 2, 3] {
            for mode in [Mode::Train, Mode::Eval] {
                assert_eq!(run(&mut d, threads, mode), z, "{threads} threads, {mode:?}");
            }
        }
    }

    #[test]
    fn mismatched_bias_is_rejected() {
        let r = Dense::<f32>::from_weights(Matrix::zeros(2, 3), Matrix::zeros(3, 1));
        assert!(matches!(r, Err(CoreError::ShapeMismatch { .. })));
    }
}
