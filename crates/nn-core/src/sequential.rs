//! A feedforward network: a stack of layers checked for matching sizes when it is built.

use rand::Rng;

use crate::loss::finite_as;
use crate::network_size::{MAX_PARAMETERS, dense_parameters};
use crate::regularization::{apply_l2, check_l2, l2_penalty};
use crate::{
    Activation, ActivationLayer, CoreError, Dense, Dropout, Float, Init, Layer, LayerNode, Link,
    Loss, Matrix, Mode, Param,
};

/// A feedforward network: layers applied one after the other to a batch (features × batch).
///
/// Built layer by layer from an input size; every layer's input size is checked against what
/// the network produces at that point, so a built network is always consistent. Data entering
/// the network is checked once (one comparison); inside the layers nothing is re-checked.
///
/// ```
/// use nn_core::{Init, Sequential};
/// use rand::SeedableRng;
///
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
/// let net = Sequential::<f32>::new(784)
///     .dense(128, Init::HeNormal, &mut rng)?
///     .relu()
///     .dense(64, Init::HeNormal, &mut rng)?
///     .relu()
///     .dense(10, Init::XavierUniform, &mut rng)?;
/// // 784·128 + 128 + 128·64 + 64 + 64·10 + 10
/// assert_eq!(net.param_count(), 109_386);
/// assert_eq!(net.output_size(), 10);
/// # Ok::<(), nn_core::CoreError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Sequential<T: Float> {
    input_size: usize,
    output_size: usize,
    layers: Vec<LayerNode<T>>,
    /// Copy of the last training-mode input, needed by the first layer's backward pass.
    input: Matrix<T>,
    /// Reusable buffer for ∂loss/∂output.
    loss_grad: Matrix<T>,
    /// Whether the layer caches and `input` come from a training-mode `forward`.
    ready_for_backward: bool,
}

/// Runs the layers forward; returns the last output (`None` if there are no layers).
fn run_forward<'a, T: Float>(
    layers: &'a mut [LayerNode<T>],
    x: &Matrix<T>,
    mode: Mode,
) -> Option<&'a Matrix<T>> {
    let (first, rest) = layers.split_first_mut()?;
    let mut current = first.forward(x, mode);
    for layer in rest {
        current = layer.forward(current, mode);
    }
    Some(current)
}

/// Runs the layers backward from `grad_output`; `x` is the input of the first layer. Returns
/// the input gradient if `need_input_grad`, skipping the first layer's (costly) `Wᵀ·δ` if not.
fn run_backward<'a, T: Float>(
    layers: &'a mut [LayerNode<T>],
    x: &Matrix<T>,
    grad_output: &'a Matrix<T>,
    need_input_grad: bool,
) -> Option<&'a Matrix<T>> {
    let mut rest = layers;
    let mut grad = grad_output;
    while let Some((current, before)) = std::mem::take(&mut rest).split_last_mut() {
        let input = before.last().map_or(x, |l| l.output());
        if before.is_empty() && !need_input_grad {
            current.backward_params_only(input, grad);
            return None;
        }
        grad = current.backward(input, grad);
        rest = before;
    }
    Some(grad)
}

/// One training pass: forward in [`Mode::Train`], the loss value (returned) with its
/// gradient in `loss_grad`, then backward without the input gradient.
fn train_pass<T: Float>(
    layers: &mut [LayerNode<T>],
    x: &Matrix<T>,
    y: &Matrix<T>,
    loss: Loss,
    loss_grad: &mut Matrix<T>,
) -> Result<f64, CoreError> {
    let output = run_forward(layers, x, Mode::Train).unwrap_or(x);
    let value = loss.value_and_gradient(output, y, loss_grad)?.as_f64();
    run_backward(layers, x, loss_grad, false);
    Ok(value)
}

/// [`train_pass`] with `side_job` on another thread while the layers after the first run.
/// The layers compute exactly what [`train_pass`] computes, in the same order.
///
/// Only when the first layer is large enough for the products to use the other threads
/// ([`first_layer_splits`]): for a smaller network the hand-over would cost more than the
/// side job, and no work at all reaching the other workers lets them nap (see
/// [`crate::threads::keep_workers_spinning`]). Then the side job runs after the step.
fn train_pass_beside<T: Float, R: Send>(
    layers: &mut [LayerNode<T>],
    x: &Matrix<T>,
    y: &Matrix<T>,
    loss: Loss,
    loss_grad: &mut Matrix<T>,
    side_job: impl FnOnce() -> R + Send,
) -> (Result<f64, CoreError>, R) {
    let parallel = rayon::current_num_threads() > 1;
    let Some((first, rest)) = layers
        .split_first_mut()
        .filter(|(first, rest)| parallel && !rest.is_empty() && first_layer_splits(first, x))
    else {
        let value = train_pass(layers, x, y, loss, loss_grad);
        return (value, side_job());
    };
    first.forward(x, Mode::Train);
    let first_output = first.output();
    let (middle, side) = nn_handover::join(
        move || {
            // `rest` is not empty, so there is an output and an input gradient.
            let output = run_forward(rest, first_output, Mode::Train).unwrap_or(first_output);
            let value = loss.value_and_gradient(output, y, loss_grad)?.as_f64();
            let grad = run_backward(rest, first_output, loss_grad, true).unwrap_or(loss_grad);
            Ok((value, grad))
        },
        side_job,
    );
    let value = middle.map(|(value, grad)| {
        first.backward_params_only(x, grad);
        value
    });
    (value, side)
}

/// Whether the first layer's products on input `x` are split across threads in training: a
/// weight of at least [`crate::threads::SPLIT_TENSORS_FROM`] values (inputs × outputs) and
/// products of at least 2¹⁸ multiply-adds (inputs × outputs × samples).
fn first_layer_splits<T: Float>(first: &LayerNode<T>, x: &Matrix<T>) -> bool {
    let inputs = x.nrows();
    let weights = inputs * first.output_size(inputs);
    weights >= crate::threads::SPLIT_TENSORS_FROM
        && weights * x.ncols() >= crate::product::PARALLEL_MIN_MULTIPLY_ADDS
}

/// A step's loss (with its L2 penalty when `l2` is set) as `T`, if finite.
fn finite_loss<T: Float>(value: f64, l2: Option<f64>) -> Result<T, CoreError> {
    let what = if l2.is_some() {
        "loss value with L2 penalty"
    } else {
        "loss value"
    };
    finite_as(value, what)
}

/// The error for a NaN or an infinity in column `col` of a network's input.
fn non_finite_input(col: usize) -> CoreError {
    CoreError::NonFinite {
        what: format!("input column {col} (sample {col} of the batch)"),
    }
}

/// The error for a non-finite value in column `col` of the first (dense) layer's output on
/// input `x`: the input's first non-finite column if it has one, else the layer named.
fn non_finite_first_layer_output<T: Float>(x: &Matrix<T>, col: usize) -> CoreError {
    match first_non_finite_column(x) {
        Some(input_col) => non_finite_input(input_col),
        None => CoreError::NonFinite {
            what: format!(
                "output of layer 0 (dense) for input column {col} (sample {col} of the \
                 batch; the input is finite: it overflows, or the weights are not finite)"
            ),
        },
    }
}

/// The first column of `x` (the first sample of a batch) holding a NaN or an infinity. Each
/// column is scanned without an early exit so the check vectorises, and a large matrix is
/// split across the current rayon pool's threads: it costs a few percent of a forward pass.
///
/// ```
/// use nn_core::{Matrix, first_non_finite_column};
///
/// let x = Matrix::from_column_slice(2, 3, &[0.0_f32, 1.0, 2.0, f32::NAN, 4.0, 5.0]);
/// assert_eq!(first_non_finite_column(&x), Some(1));
/// ```
pub fn first_non_finite_column<T: Float>(x: &Matrix<T>) -> Option<usize> {
    first_non_finite_in(x.as_slice(), x.nrows().max(1), rayon::current_num_threads())
}

/// [`first_non_finite_column`] over the columns (of `rows` values) in `values`, on `parts`
/// threads.
fn first_non_finite_in<T: Float>(values: &[T], rows: usize, parts: usize) -> Option<usize> {
    const PARALLEL_MIN_VALUES: usize = 1 << 18;
    let columns = values.len() / rows;
    if parts < 2 || values.len() < PARALLEL_MIN_VALUES || columns < 2 {
        return values
            .chunks(rows)
            .position(|column| !column.iter().fold(true, |ok, v| ok & v.is_finite_value()));
    }
    let mid = columns / 2;
    let (left, right) = values.split_at(mid * rows);
    let (in_left, in_right) = nn_handover::join(
        || first_non_finite_in(left, rows, parts / 2),
        || first_non_finite_in(right, rows, parts - parts / 2),
    );
    in_left.or(in_right.map(|column| column + mid))
}

impl<T: Float> Sequential<T> {
    /// An empty network taking `input_size` features per sample.
    pub fn new(input_size: usize) -> Self {
        Self {
            input_size,
            output_size: input_size,
            layers: Vec::new(),
            input: Matrix::zeros(0, 0),
            loss_grad: Matrix::zeros(0, 0),
            ready_for_backward: false,
        }
    }

    /// Builds a network from a list of layers, checking every size.
    ///
    /// # Errors
    /// [`CoreError::LayerDimension`] naming the first layer whose input size does not match.
    pub fn from_layers(
        input_size: usize,
        layers: impl IntoIterator<Item = LayerNode<T>>,
    ) -> Result<Self, CoreError> {
        let mut net = Self::new(input_size);
        for layer in layers {
            net.add(layer)?;
        }
        Ok(net)
    }

    /// Appends a layer in place.
    ///
    /// # Errors
    /// [`CoreError::LayerDimension`] if the layer's input size differs from the current
    /// output size; the message names the layer's index and both sizes.
    pub fn add(&mut self, layer: impl Into<LayerNode<T>>) -> Result<(), CoreError> {
        let layer = layer.into();
        if let Some(expected) = layer.required_input_size()
            && expected != self.output_size
        {
            return Err(CoreError::LayerDimension {
                index: self.layers.len(),
                layer: layer.name().to_string(),
                expected,
                got: self.output_size,
            });
        }
        self.output_size = layer.output_size(self.output_size);
        self.layers.push(layer);
        Ok(())
    }

    /// Appends a layer (builder style).
    ///
    /// # Errors
    /// As [`Sequential::add`].
    pub fn push(mut self, layer: impl Into<LayerNode<T>>) -> Result<Self, CoreError> {
        self.add(layer)?;
        Ok(self)
    }

    /// Appends a dense layer with `outputs` units fed by the current output, weights drawn by
    /// `init` from `rng` and zero biases.
    ///
    /// # Errors
    /// [`CoreError::InvalidHyperparameter`] if `outputs` is zero or the initialiser is invalid;
    /// [`CoreError::NetworkTooLarge`], before anything is allocated, if the network would have
    /// more than [`MAX_PARAMETERS`](crate::network_size::MAX_PARAMETERS) parameters;
    /// [`CoreError::NotEnoughMemory`] if its values and gradients would not fit the memory
    /// this process can still allocate.
    pub fn dense<R: Rng + ?Sized>(
        self,
        outputs: usize,
        init: Init,
        rng: &mut R,
    ) -> Result<Self, CoreError> {
        let parameters = self.param_count() as u128 + dense_parameters(self.output_size, outputs);
        if parameters > MAX_PARAMETERS {
            return Err(CoreError::NetworkTooLarge {
                index: self.layers.len(),
                inputs: self.output_size,
                outputs,
                parameters,
            });
        }
        let needed = parameters * crate::network_size::BUILT_BYTES_PER_PARAMETER;
        // Small networks need not ask the system (a read of two /proc files).
        if needed > 1 << 30
            && let Some(available) = crate::network_size::memory_budget()
            && needed > available
        {
            return Err(CoreError::NotEnoughMemory {
                index: self.layers.len(),
                inputs: self.output_size,
                outputs,
                parameters,
                needed,
                available,
            });
        }
        let layer = Dense::new(self.output_size, outputs, init, rng)?;
        self.push(layer)
    }

    /// Appends an activation layer.
    ///
    /// # Errors
    /// [`CoreError::InvalidHyperparameter`] if its parameters are invalid (LeakyReLU slope).
    pub fn activation(self, kind: Activation) -> Result<Self, CoreError> {
        let layer = ActivationLayer::new(kind)?;
        self.push(layer)
    }

    fn infallible_activation(mut self, kind: Activation) -> Self {
        // Invariant: parameter-free activations always validate and accept any input size.
        let layer = ActivationLayer::new(kind).expect("parameter-free activation");
        self.output_size = layer.output_size(self.output_size);
        self.layers.push(LayerNode::Activation(layer));
        self
    }

    /// Appends a ReLU layer.
    pub fn relu(self) -> Self {
        self.infallible_activation(Activation::Relu)
    }

    /// Appends a sigmoid layer.
    pub fn sigmoid(self) -> Self {
        self.infallible_activation(Activation::Sigmoid)
    }

    /// Appends a tanh layer.
    pub fn tanh(self) -> Self {
        self.infallible_activation(Activation::Tanh)
    }

    /// Appends a softmax layer (column-wise, with its full Jacobian in backward). For
    /// classification prefer raw logits with [`Loss::CrossEntropy`].
    pub fn softmax(self) -> Self {
        self.infallible_activation(Activation::Softmax)
    }

    /// Appends an identity layer.
    pub fn identity(self) -> Self {
        self.infallible_activation(Activation::Identity)
    }

    /// Appends a LeakyReLU layer with slope `alpha ≥ 0` for negative inputs.
    ///
    /// # Errors
    /// [`CoreError::InvalidHyperparameter`] if `alpha` is negative or not finite.
    pub fn leaky_relu(self, alpha: f64) -> Result<Self, CoreError> {
        self.activation(Activation::LeakyRelu { alpha })
    }

    /// Appends an inverted-dropout layer dropping with probability `p`, masks seeded by `seed`.
    ///
    /// # Errors
    /// [`CoreError::InvalidHyperparameter`] if `p` is not in `[0, 1)`.
    pub fn dropout(self, p: f64, seed: u64) -> Result<Self, CoreError> {
        let layer = Dropout::new(p, seed)?;
        self.push(layer)
    }

    /// Number of input features.
    pub fn input_size(&self) -> usize {
        self.input_size
    }

    /// Number of outputs per sample.
    pub fn output_size(&self) -> usize {
        self.output_size
    }

    /// The layers, first to last.
    pub fn layers(&self) -> &[LayerNode<T>] {
        &self.layers
    }

    /// Mutable access to one layer (e.g. to fix a dropout mask), or `None` past the end.
    /// Layers cannot be replaced through it, so sizes stay consistent.
    pub fn layer_mut(&mut self, index: usize) -> Option<LayerMut<'_, T>> {
        self.layers.get_mut(index).map(|layer| match layer {
            LayerNode::Dense(d) => LayerMut::Dense(d),
            LayerNode::Activation(a) => LayerMut::Activation(a),
            LayerNode::Dropout(d) => LayerMut::Dropout(d),
        })
    }

    /// Checks that `x` has one row per input feature (and matches fixed dropout masks).
    ///
    /// # Errors
    /// [`CoreError::InputShape`] or [`CoreError::ShapeMismatch`].
    pub fn check_input(&self, x: &Matrix<T>) -> Result<(), CoreError> {
        if x.nrows() != self.input_size {
            return Err(CoreError::InputShape {
                expected: self.input_size,
                rows: x.nrows(),
                cols: x.ncols(),
            });
        }
        let mut rows = self.input_size;
        for (index, layer) in self.layers.iter().enumerate() {
            if let LayerNode::Dropout(d) = layer
                && let Some(shape) = d.fixed_mask_shape()
                && shape != (rows, x.ncols())
            {
                return Err(CoreError::ShapeMismatch {
                    what: format!("fixed dropout mask of layer {index}"),
                    expected: (rows, x.ncols()),
                    got: shape,
                });
            }
            rows = layer.output_size(rows);
        }
        Ok(())
    }

    /// Runs the network on `x` (input_size × batch) and returns the raw output (logits for the
    /// classification losses). In [`Mode::Train`] the input is kept for [`Sequential::backward`].
    ///
    /// # Errors
    /// [`CoreError::InputShape`] if `x` does not have `input_size` rows.
    pub fn forward(&mut self, x: &Matrix<T>, mode: Mode) -> Result<&Matrix<T>, CoreError> {
        self.check_input(x)?;
        if mode == Mode::Train || self.layers.is_empty() {
            // Reuses the buffer, even across a change of batch size.
            crate::layer::ensure_shape(&mut self.input, x.nrows(), x.ncols());
            self.input.copy_from(x);
        }
        self.ready_for_backward = mode == Mode::Train;
        Ok(run_forward(&mut self.layers, x, mode).unwrap_or(&self.input))
    }

    fn check_grad_output(&self, grad_output: &Matrix<T>) -> Result<(), CoreError> {
        if !self.ready_for_backward {
            return Err(CoreError::BackwardWithoutForward);
        }
        let expected = (self.output_size, self.input.ncols());
        if grad_output.shape() != expected {
            return Err(CoreError::ShapeMismatch {
                what: "output gradient (after the last training forward pass)".into(),
                expected,
                got: grad_output.shape(),
            });
        }
        Ok(())
    }

    /// Back-propagates ∂loss/∂output through the network after a [`Mode::Train`] forward pass,
    /// overwriting every parameter gradient.
    ///
    /// # Errors
    /// [`CoreError::BackwardWithoutForward`] unless the last pass through the network was
    /// [`Sequential::forward`] in [`Mode::Train`]; [`CoreError::ShapeMismatch`] if
    /// `grad_output` is not output_size × batch of that pass.
    pub fn backward(&mut self, grad_output: &Matrix<T>) -> Result<(), CoreError> {
        self.check_grad_output(grad_output)?;
        run_backward(&mut self.layers, &self.input, grad_output, false);
        Ok(())
    }

    /// Like [`Sequential::backward`] but also returns ∂loss/∂input (input_size × batch).
    ///
    /// # Errors
    /// As [`Sequential::backward`].
    pub fn backward_to_input(&mut self, grad_output: &Matrix<T>) -> Result<Matrix<T>, CoreError> {
        self.check_grad_output(grad_output)?;
        let grad = run_backward(&mut self.layers, &self.input, grad_output, true);
        // Invariant: with need_input_grad = true, run_backward always returns the gradient.
        Ok(grad.expect("input gradient requested").clone())
    }

    fn check_targets(&self, x: &Matrix<T>, y: &Matrix<T>) -> Result<(), CoreError> {
        self.check_input(x)?;
        if y.shape() != (self.output_size, x.ncols()) {
            return Err(CoreError::TargetShape {
                rows: self.output_size,
                cols: x.ncols(),
                target_rows: y.nrows(),
                target_cols: y.ncols(),
            });
        }
        if x.ncols() == 0 {
            return Err(CoreError::EmptyBatch {
                context: "a training step",
            });
        }
        Ok(())
    }

    /// One training step's forward and backward pass: runs `x` in [`Mode::Train`], computes
    /// `loss` against `y` (plus the L2 penalty `λ/(2m)·Σ‖W‖²` if `l2 = Some(λ)`), fills every
    /// parameter gradient (plus `λ/m·W` on weights) and returns the loss value.
    ///
    /// Does not allocate once the batch size is stable.
    ///
    /// # Errors
    /// Input/target shape errors, an invalid `λ` or target, or [`CoreError::NonFinite`] if the
    /// loss is NaN or infinite. When the loss itself is not finite the gradients are left
    /// unchanged. When it is, but adding the L2 penalty makes the total non-finite (in `f64`,
    /// or once rounded to `T`), the gradients have already been written, the `λ/m·W` term
    /// included: it is added in the same pass that sums the penalty.
    pub fn loss_and_backward(
        &mut self,
        x: &Matrix<T>,
        y: &Matrix<T>,
        loss: Loss,
        l2: Option<f64>,
    ) -> Result<T, CoreError> {
        self.check_step(x, y, l2)?;
        let value = train_pass(&mut self.layers, x, y, loss, &mut self.loss_grad)?;
        self.finish_step(value, l2, x.ncols())
    }

    /// [`Sequential::loss_and_backward`], with `side_job` run meanwhile on another thread of
    /// the current rayon pool: while the layers after the first compute their forward pass,
    /// the loss and their backward pass, the part of a step too small to keep two cores busy.
    /// Meant for work the step does not depend on, such as gathering the next batch. The
    /// network's results are those of `loss_and_backward`, bit for bit. On one thread, for a
    /// network of a single layer, or when the first layer is too small for its product to be
    /// split across threads (under 2¹⁸ multiply-adds), the side job runs after the step. It
    /// runs exactly once, even when the step fails; its result comes back beside the step's.
    ///
    /// ```
    /// use nn_core::{Init, Loss, Matrix, Sequential};
    /// use rand::SeedableRng;
    ///
    /// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    /// let mut net = Sequential::<f64>::new(2).dense(3, Init::HeNormal, &mut rng)?.relu().dense(1, Init::XavierUniform, &mut rng)?;
    /// let x = Matrix::from_column_slice(2, 2, &[0.0, 1.0, 1.0, 0.0]);
    /// let y = Matrix::from_column_slice(1, 2, &[1.0, 0.0]);
    /// let mut next = Matrix::zeros(2, 2);
    /// let (value, ()) = net.loss_and_backward_beside(&x, &y, Loss::Mse, None, || {
    ///     next.copy_from(&x); // e.g. the next batch
    /// });
    /// assert!(value?.is_finite());
    /// assert_eq!(next, x);
    /// # Ok::<(), nn_core::CoreError>(())
    /// ```
    ///
    /// # Errors
    /// As [`Sequential::loss_and_backward`], in the first element.
    pub fn loss_and_backward_beside<R: Send>(
        &mut self,
        x: &Matrix<T>,
        y: &Matrix<T>,
        loss: Loss,
        l2: Option<f64>,
        side_job: impl FnOnce() -> R + Send,
    ) -> (Result<T, CoreError>, R) {
        if let Err(e) = self.check_step(x, y, l2) {
            return (Err(e), side_job());
        }
        let (value, side) =
            train_pass_beside(&mut self.layers, x, y, loss, &mut self.loss_grad, side_job);
        (
            value.and_then(|value| self.finish_step(value, l2, x.ncols())),
            side,
        )
    }

    /// The checks of a training step, before anything is computed; then marks the layer
    /// caches as no longer those of a [`Sequential::forward`] in training mode.
    fn check_step(
        &mut self,
        x: &Matrix<T>,
        y: &Matrix<T>,
        l2: Option<f64>,
    ) -> Result<(), CoreError> {
        self.check_targets(x, y)?;
        if let Some(lambda) = l2 {
            check_l2(lambda, x.ncols())?;
        }
        self.ready_for_backward = false;
        Ok(())
    }

    /// Adds the L2 penalty (if any) to a step's loss `value` and to the weight gradients.
    fn finish_step(
        &mut self,
        mut value: f64,
        l2: Option<f64>,
        batch: usize,
    ) -> Result<T, CoreError> {
        if let Some(lambda) = l2 {
            value += apply_l2(
                self.layers.iter_mut().flat_map(|l| l.params_mut()),
                lambda,
                batch,
            )?;
        }
        finite_loss(value, l2)
    }

    /// The loss (plus optional L2 penalty) of the network on `x`, `y` in [`Mode::Eval`],
    /// without touching gradients (e.g. a validation loss).
    ///
    /// # Errors
    /// As [`Sequential::loss_and_backward`].
    pub fn evaluate_loss(
        &mut self,
        x: &Matrix<T>,
        y: &Matrix<T>,
        loss: Loss,
        l2: Option<f64>,
    ) -> Result<T, CoreError> {
        self.check_targets(x, y)?;
        self.ready_for_backward = false;
        let output = run_forward(&mut self.layers, x, Mode::Eval).unwrap_or(x);
        let mut value = loss.value(output, y)?.as_f64();
        if let Some(lambda) = l2 {
            value += l2_penalty(self.params_iter(), lambda, x.ncols())?;
        }
        finite_loss(value, l2)
    }

    /// Predictions for `x` in [`Mode::Eval`]: the raw output passed through `link`
    /// (use `loss.link()`), i.e. probabilities for classification, values for regression.
    ///
    /// When the first layer is dense, the check for non-finite values reads its output rather
    /// than the input: every output of a dense layer multiplies every input, so a NaN or an
    /// infinity anywhere in a sample's column makes that sample's whole output column
    /// non-finite (and the output is far smaller than the input, and still in cache). The input
    /// is scanned only to name the culprit once something was found.
    ///
    /// # Errors
    /// [`CoreError::InputShape`], or [`CoreError::NonFinite`] naming the first non-finite
    /// input column, or, for finite inputs so large that the first dense layer overflows, that
    /// layer and the column.
    pub fn predict(&mut self, x: &Matrix<T>, link: Link) -> Result<Matrix<T>, CoreError> {
        self.check_input(x)?;
        let screened_by_first_layer = matches!(self.layers.first(), Some(LayerNode::Dense(_)));
        if !screened_by_first_layer && let Some(col) = first_non_finite_column(x) {
            return Err(non_finite_input(col));
        }
        self.ready_for_backward = false;
        run_forward(&mut self.layers, x, Mode::Eval);
        if screened_by_first_layer
            && let Some(col) = first_non_finite_column(self.layers[0].output())
        {
            return Err(non_finite_first_layer_output(x, col));
        }
        let output = self.layers.last().map_or(x, |l| l.output());
        Ok(link.apply(output))
    }

    /// [`Sequential::predict`] through a shared reference: the same checks, errors and
    /// results, bit for bit, but each layer's output goes into a new matrix, so the network's
    /// buffers are left alone (and several threads may predict with one network at once).
    /// It allocates every layer's output on each call; a loop that predicts batch after
    /// batch with a network of its own is faster with `predict`.
    ///
    /// ```
    /// use nn_core::{Init, Link, Matrix, Sequential};
    /// use rand::SeedableRng;
    ///
    /// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    /// let mut net = Sequential::<f32>::new(2).dense(4, Init::HeNormal, &mut rng)?.relu().dense(3, Init::XavierUniform, &mut rng)?;
    /// let x = Matrix::from_column_slice(2, 2, &[0.5, -1.0, 2.0, 0.25]);
    /// let shared = &net;
    /// let probabilities = shared.infer(&x, Link::Softmax)?;
    /// assert_eq!(probabilities, net.predict(&x, Link::Softmax)?);
    /// # Ok::<(), nn_core::CoreError>(())
    /// ```
    ///
    /// # Errors
    /// As [`Sequential::predict`].
    pub fn infer(&self, x: &Matrix<T>, link: Link) -> Result<Matrix<T>, CoreError> {
        self.check_input(x)?;
        let screened_by_first_layer = matches!(self.layers.first(), Some(LayerNode::Dense(_)));
        if !screened_by_first_layer && let Some(col) = first_non_finite_column(x) {
            return Err(non_finite_input(col));
        }
        let Some((first, rest)) = self.layers.split_first() else {
            return Ok(link.apply(x));
        };
        let mut output = first.infer(x);
        if screened_by_first_layer && let Some(col) = first_non_finite_column(&output) {
            return Err(non_finite_first_layer_output(x, col));
        }
        for layer in rest {
            output = layer.infer(&output);
        }
        Ok(link.apply(&output))
    }

    /// All parameters in a fixed order (layer by layer; weight before bias).
    pub fn params(&self) -> Vec<&Param<T>> {
        self.params_iter().collect()
    }

    /// Mutable access to all parameters, in the order of [`Sequential::params`].
    pub fn params_mut(&mut self) -> Vec<&mut Param<T>> {
        self.params_iter_mut().collect()
    }

    /// Calls `f` with mutable access to all parameters as a slice, in the order of
    /// [`Sequential::params`], without allocating for networks of up to 16 parameter tensors
    /// (the slice then lives on the stack). Use it for an optimizer step in a training loop:
    /// `net.with_params_mut(|p| optimizer.step(p))`.
    pub fn with_params_mut<R>(&mut self, f: impl FnOnce(&mut [&mut Param<T>]) -> R) -> R {
        let count = self.param_tensor_count();
        let mut iter = self.params_iter_mut();
        macro_rules! on_stack {
            ($($n:literal)*) => {
                match count {
                    $($n => {
                        // Invariant: the iterator yields exactly `count` parameters.
                        let mut refs: [&mut Param<T>; $n] =
                            std::array::from_fn(|_| iter.next().expect("counted parameters"));
                        return f(&mut refs);
                    })*
                    _ => {}
                }
            };
        }
        on_stack!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);
        let mut refs: Vec<&mut Param<T>> = iter.collect();
        f(&mut refs)
    }

    /// Iterator over all parameters in the fixed order (no allocation).
    pub fn params_iter(&self) -> impl Iterator<Item = &Param<T>> {
        self.layers.iter().flat_map(|l| l.params())
    }

    /// Mutable iterator over all parameters in the fixed order (no allocation).
    pub fn params_iter_mut(&mut self) -> impl Iterator<Item = &mut Param<T>> {
        self.layers.iter_mut().flat_map(|l| l.params_mut())
    }

    /// Number of parameter tensors.
    pub fn param_tensor_count(&self) -> usize {
        self.params_iter().count()
    }

    /// Total number of trainable scalars.
    pub fn param_count(&self) -> usize {
        self.params_iter().map(Param::len).sum()
    }

    /// Checks, before training, that a batch of `batch` samples fits through the network:
    /// the input and every layer's output, `batch` columns each, at most
    /// [`MAX_BATCH_VALUES`](crate::network_size::MAX_BATCH_VALUES) values. Not called by
    /// `forward`: the trainer calls it once per fit.
    ///
    /// # Errors
    /// [`CoreError::BatchTooLarge`] with the values and the memory they would need.
    pub fn check_batch_memory(&self, batch: usize) -> Result<(), CoreError> {
        let mut size = self.input_size;
        let mut rows = size as u128;
        for layer in &self.layers {
            size = layer.output_size(size);
            rows += size as u128;
        }
        let values = rows * batch as u128;
        if values > crate::network_size::MAX_BATCH_VALUES {
            return Err(CoreError::BatchTooLarge { batch, values });
        }
        Ok(())
    }

    /// Sets every parameter gradient to zero.
    pub fn zero_grad(&mut self) {
        self.params_iter_mut().for_each(Param::zero_grad);
    }
}

/// Mutable access to one layer of a [`Sequential`] network, by kind.
#[derive(Debug)]
pub enum LayerMut<'a, T: Float> {
    /// A dense layer.
    Dense(&'a mut Dense<T>),
    /// An activation layer.
    Activation(&'a mut ActivationLayer<T>),
    /// A dropout layer (e.g. to fix its mask or restore its random stream).
    Dropout(&'a mut Dropout<T>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_non_finite_column_is_found_on_any_number_of_threads() {
        let mut x = Matrix::<f32>::from_element(300, 1000, 0.5);
        for parts in [1, 2, 3] {
            assert_eq!(first_non_finite_in(x.as_slice(), 300, parts), None);
        }
        x[(299, 700)] = f32::INFINITY;
        x[(0, 701)] = f32::NAN;
        for parts in [1, 2, 3] {
            assert_eq!(first_non_finite_in(x.as_slice(), 300, parts), Some(700));
        }
        x[(5, 100)] = f32::NAN;
        for parts in [1, 2, 3] {
            assert_eq!(first_non_finite_in(x.as_slice(), 300, parts), Some(100));
        }
    }
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn mlp(sizes: &[usize]) -> Sequential<f32> {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let mut net = Sequential::new(sizes[0]);
        for (i, &s) in sizes[1..].iter().enumerate() {
            net = net.dense(s, Init::HeNormal, &mut rng).unwrap();
            if i + 2 < sizes.len() {
                net = net.relu();
            }
        }
        net
    }

    #[test]
    fn a_batch_whose_activations_would_not_fit_is_refused() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        // 4 → 1000 → 3: 1007 values a sample with the activation layer's 1000.
        let net = Sequential::<f32>::new(4)
            .dense(1000, Init::HeNormal, &mut rng)
            .unwrap()
            .relu()
            .dense(3, Init::HeNormal, &mut rng)
            .unwrap();
        let per_sample = 4 + 1000 + 1000 + 3;
        net.check_batch_memory(32).unwrap();
        let fits = (crate::network_size::MAX_BATCH_VALUES / per_sample) as usize;
        net.check_batch_memory(fits).unwrap();
        let err = net.check_batch_memory(fits + 1).unwrap_err();
        assert!(
            matches!(err, CoreError::BatchTooLarge { batch, values } if batch == fits + 1 && values == per_sample * (fits as u128 + 1)),
            "{err:?}"
        );
        assert!(
            err.to_string().contains("use a smaller batch size"),
            "{err}"
        );
        assert!(net.check_batch_memory(usize::MAX).is_err());
    }

    #[test]
    fn a_network_past_the_parameter_limit_is_refused_before_allocating() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let err = Sequential::<f32>::new(784)
            .dense(1_000_000_000_000, Init::HeNormal, &mut rng)
            .unwrap_err();
        assert!(
            matches!(
                err,
                CoreError::NetworkTooLarge {
                    index: 0,
                    inputs: 784,
                    outputs: 1_000_000_000_000,
                    ..
                }
            ),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains("layer 0 (dense 784 → 1000000000000)"),
            "{message}"
        );
        assert!(message.contains("about 12.6 PB to train"), "{message}");
        // No overflow at the largest sizes.
        let err = Sequential::<f32>::new(usize::MAX)
            .dense(usize::MAX, Init::HeNormal, &mut rng)
            .unwrap_err();
        assert!(matches!(err, CoreError::NetworkTooLarge { .. }), "{err:?}");
        assert!(matches!(
            Dense::<f32>::new(usize::MAX, 2, Init::HeNormal, &mut rng),
            Err(CoreError::NetworkTooLarge { .. })
        ));
        // The whole network counts: a layer of exactly the limit (1 → 2^29 is 2^30
        // parameters) is refused after a layer of 2 parameters, before it is allocated.
        let err = Sequential::<f32>::new(1)
            .dense(1, Init::HeNormal, &mut rng)
            .unwrap()
            .relu()
            .dense(1 << 29, Init::HeNormal, &mut rng)
            .unwrap_err();
        assert!(
            matches!(err, CoreError::NetworkTooLarge { index: 2, parameters, .. } if parameters == MAX_PARAMETERS + 2),
            "{err:?}"
        );
    }

    #[test]
    fn parameter_counts_of_the_mnist_networks() {
        // Study 003 prints 109,578 for 784-128-64-10, but its own weight sum is mis-added
        // (128·784 + 64·128 + 10·64 = 109,184, not 109,376); with 202 biases the true count is
        // 109,386.
        assert_eq!(mlp(&[784, 128, 64, 10]).param_count(), 109_386);
        assert_eq!(mlp(&[784, 128, 10]).param_count(), 101_770);
        assert_eq!(mlp(&[784, 128, 64, 10]).param_tensor_count(), 6);
    }

    #[test]
    fn dimension_mismatch_names_the_layer() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let wrong = Dense::<f32>::new(32, 10, Init::HeNormal, &mut rng).unwrap();
        let err = mlp(&[4, 16]).relu().push(wrong).unwrap_err();
        match &err {
            CoreError::LayerDimension {
                index,
                expected,
                got,
                ..
            } => assert_eq!((*index, *expected, *got), (2, 32, 16)),
            other => panic!("unexpected {other:?}"),
        }
        let msg = err.to_string();
        assert!(
            msg.contains("layer 2") && msg.contains("32") && msg.contains("16"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_input_rows_are_refused() {
        let mut net = mlp(&[4, 3]);
        let err = net.forward(&Matrix::zeros(5, 2), Mode::Eval).unwrap_err();
        assert!(matches!(
            err,
            CoreError::InputShape {
                expected: 4,
                rows: 5,
                cols: 2
            }
        ));
        let err = net
            .loss_and_backward(&Matrix::zeros(4, 2), &Matrix::zeros(2, 2), Loss::Mse, None)
            .unwrap_err();
        assert!(matches!(err, CoreError::TargetShape { .. }));
    }

    #[test]
    fn backward_and_loss_and_backward_agree() {
        let mut a = mlp(&[6, 7, 8, 3]);
        let mut b = a.clone();
        let x = Matrix::from_fn(6, 9, |i, j| ((i * 9 + j) as f32 * 0.37).sin());
        let y = Matrix::from_fn(3, 9, |i, j| ((i + j) % 3 == 0) as u8 as f32);
        let v = a
            .loss_and_backward(&x, &y, Loss::CrossEntropy, Some(0.1))
            .unwrap();
        let out = b.forward(&x, Mode::Train).unwrap().clone();
        let mut g = Matrix::zeros(0, 0);
        let v2 = Loss::CrossEntropy
            .value_and_gradient(&out, &y, &mut g)
            .unwrap();
        b.backward(&g).unwrap();
        crate::regularization::add_l2_gradient(b.params_iter_mut(), 0.1, 9).unwrap();
        let pen = l2_penalty(b.params_iter(), 0.1, 9).unwrap() as f32;
        assert!((v - (v2 + pen)).abs() < 1e-6);
        for (p, q) in a.params_iter().zip(b.params_iter()) {
            assert_eq!(p.grad, q.grad);
        }
        let e = b
            .evaluate_loss(&x, &y, Loss::CrossEntropy, Some(0.1))
            .unwrap();
        assert!((e - v).abs() < 1e-6);
    }

    #[test]
    fn a_side_job_leaves_the_step_bit_for_bit_and_runs_once() {
        // A first layer of 64 · 512 · 9 ≥ 2¹⁸ multiply-adds, so on two or three threads the
        // side job runs beside the later layers. Dropout after the first layer: its mask is
        // drawn in the part beside the side job. A small network runs it after the step.
        let reference = mlp(&[64, 512, 8, 3]);
        let mut with_dropout = Sequential::<f32>::new(64);
        for layer in reference.layers.iter().take(2) {
            with_dropout.layers.push(layer.clone());
        }
        with_dropout.output_size = 512;
        let with_dropout = with_dropout.dropout(0.3, 5).unwrap();
        let one_layer = mlp(&[64, 3]);
        let small = mlp(&[64, 7, 3]);
        let x = Matrix::from_fn(64, 9, |i, j| ((i * 9 + j) as f32 * 0.37).sin());
        assert!(first_layer_splits(&reference.layers[0], &x));
        assert!(!first_layer_splits(&small.layers[0], &x));
        // 64 · 128 weights are under the limit however large the batch.
        let wide = Matrix::from_fn(64, 4096, |i, j| ((i + j) as f32 * 0.1).sin());
        assert!(!first_layer_splits(&mlp(&[64, 128, 3]).layers[0], &wide));
        for net in [reference, with_dropout, one_layer, small] {
            let y = Matrix::from_fn(net.output_size, 9, |i, j| ((i + j) % 3 == 0) as u8 as f32);
            let mut plain = net.clone();
            let v = plain
                .loss_and_backward(&x, &y, Loss::Mse, Some(0.1))
                .unwrap();
            for threads in [1, 2, 3] {
                let pool = crate::threads::thread_pool(threads).unwrap();
                let mut beside = net.clone();
                let mut runs = 0;
                let (w, copied) = pool.install(|| {
                    beside.loss_and_backward_beside(&x, &y, Loss::Mse, Some(0.1), || {
                        runs += 1;
                        x.clone()
                    })
                });
                assert_eq!(w.unwrap().to_bits(), v.to_bits(), "{threads} threads");
                assert_eq!((runs, &copied), (1, &x));
                for (p, q) in plain.params_iter().zip(beside.params_iter()) {
                    assert_eq!(p.grad, q.grad, "{threads} threads");
                }
                // The next step starts from the same state (e.g. dropout's generator).
                let next = plain.clone().loss_and_backward(&x, &y, Loss::Mse, None);
                let next_beside = beside.loss_and_backward(&x, &y, Loss::Mse, None);
                assert_eq!(next.unwrap().to_bits(), next_beside.unwrap().to_bits());
            }
        }
        // A failing step still runs the side job once (here beside the later layers).
        let mut net = mlp(&[64, 512, 3]);
        let pool = crate::threads::thread_pool(2).unwrap();
        // Overflows to ±∞ in the first layer, then to NaN logits.
        let bad = Matrix::from_fn(64, 9, |i, _| if i % 2 == 0 { f32::MAX } else { -f32::MAX });
        assert!(first_layer_splits(&net.layers[0], &bad));
        let y = Matrix::zeros(3, 9);
        let mut runs = 0;
        let (value, ()) = pool.install(|| {
            net.loss_and_backward_beside(&bad, &y, Loss::CrossEntropy, None, || runs += 1)
        });
        assert!(
            matches!(value, Err(CoreError::NonFinite { .. })),
            "{value:?}"
        );
        assert_eq!(runs, 1);
        let (value, ()) =
            net.loss_and_backward_beside(&x, &Matrix::zeros(2, 9), Loss::Mse, None, || runs += 1);
        assert!(matches!(value, Err(CoreError::TargetShape { .. })));
        assert_eq!(runs, 2);
    }

    #[test]
    fn a_small_step_runs_its_side_job_on_the_calling_thread() {
        let mut net = mlp(&[64, 7, 3]);
        let x = Matrix::from_fn(64, 9, |i, j| ((i * 9 + j) as f32 * 0.37).sin());
        let y = Matrix::from_fn(3, 9, |i, j| ((i + j) % 3 == 0) as u8 as f32);
        let pool = crate::threads::thread_pool(2).unwrap();
        // With the other worker polling for work, a side job handed over would mostly run
        // there; twenty steps all keep it on the caller.
        let (caller, sides) = pool.install(|| {
            crate::threads::keep_workers_spinning(|| {
                let caller = rayon::current_thread_index();
                let sides: Vec<_> = (0..20)
                    .map(|_| {
                        let (value, side) = net.loss_and_backward_beside(
                            &x,
                            &y,
                            Loss::Mse,
                            None,
                            rayon::current_thread_index,
                        );
                        assert!(value.is_ok());
                        side
                    })
                    .collect();
                (caller, sides)
            })
        });
        assert!(
            sides.iter().all(|&side| side == caller),
            "{caller:?} {sides:?}"
        );
    }

    #[test]
    fn a_nan_input_is_an_error_of_the_step_not_nan_gradients() {
        // ReLU passes the NaN on, so the loss is NaN: without that, ReLU would zero the NaN
        // column, the loss would be finite and ∂W of the first layer (δ·Xᵀ) NaN.
        let mut net = mlp(&[3, 4, 2]);
        let x = Matrix::from_fn(3, 5, |i, j| (i + j) as f32 * 0.1);
        let y = Matrix::from_fn(2, 5, |i, j| ((i + j) % 2) as f32);
        net.loss_and_backward(&x, &y, Loss::CrossEntropy, None)
            .unwrap();
        let grads: Vec<Matrix<f32>> = net.params_iter().map(|p| p.grad.clone()).collect();
        let mut bad = x.clone();
        bad[(1, 3)] = f32::NAN;
        for loss in [Loss::CrossEntropy, Loss::Mse] {
            let step = net.loss_and_backward(&bad, &y, loss, None);
            assert!(matches!(step, Err(CoreError::NonFinite { .. })), "{step:?}");
            let eval = net.evaluate_loss(&bad, &y, loss, None);
            assert!(matches!(eval, Err(CoreError::NonFinite { .. })), "{eval:?}");
        }
        let after: Vec<Matrix<f32>> = net.params_iter().map(|p| p.grad.clone()).collect();
        assert_eq!(after, grads, "gradients are left unchanged");
    }

    #[test]
    fn predict_applies_the_link_and_rejects_nan() {
        let mut net = mlp(&[3, 4]);
        let x = Matrix::from_fn(3, 5, |i, j| (i + j) as f32);
        let p = net.predict(&x, Link::Softmax).unwrap();
        for c in p.column_iter() {
            assert!((c.sum() - 1.0).abs() < 1e-5);
        }
        let mut bad = x.clone();
        bad[(1, 3)] = f32::NAN;
        let err = net.predict(&bad, Link::Identity).unwrap_err();
        assert!(err.to_string().contains("column 3"), "{err}");
    }

    #[test]
    fn predict_finds_every_non_finite_input_through_the_first_dense_layer() {
        // Zero weights too: an infinite input times a zero weight is NaN, not zero.
        for zero_weights in [false, true] {
            let mut net = mlp(&[3, 4, 2]);
            if zero_weights {
                net.params_iter_mut().for_each(|p| p.value.fill(0.0));
            }
            for (value, col) in [(f32::NAN, 0), (f32::INFINITY, 4), (f32::NEG_INFINITY, 2)] {
                let mut x = Matrix::from_fn(3, 5, |i, j| (i + j) as f32 * 0.1);
                x[(2, col)] = value;
                x[(0, 4)] = if col == 4 { value } else { 1.0 };
                let err = net.predict(&x, Link::Identity).unwrap_err();
                let expected = format!("input column {col}");
                assert!(err.to_string().contains(&expected), "{err}");
            }
        }
    }

    #[test]
    fn predict_reports_a_first_layer_that_overflows_on_finite_input() {
        let mut net = mlp(&[3, 4]);
        net.params_iter_mut().for_each(|p| p.value.fill(1.0));
        let mut x = Matrix::from_element(3, 3, 1.0f32);
        x.column_mut(1).fill(f32::MAX);
        let err = net.predict(&x, Link::Identity).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("layer 0") && message.contains("column 1"),
            "{message}"
        );
    }

    #[test]
    fn predict_scans_the_input_when_the_first_layer_is_not_dense() {
        // ReLU first: a network that does not start with a dense layer scans its input.
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut net = Sequential::<f32>::new(3)
            .relu()
            .dense(2, Init::HeNormal, &mut rng)
            .unwrap();
        let mut x = Matrix::from_element(3, 4, 0.5f32);
        x[(1, 2)] = f32::NAN;
        let err = net.predict(&x, Link::Identity).unwrap_err();
        assert!(err.to_string().contains("input column 2"), "{err}");
    }

    #[test]
    fn zero_grad_clears_and_clone_is_independent() {
        let mut net = mlp(&[3, 4, 2]);
        let x = Matrix::from_element(3, 2, 1.0f32);
        let y = Matrix::from_element(2, 2, 0.5f32);
        net.loss_and_backward(&x, &y, Loss::Mse, None).unwrap();
        assert!(net.params_iter().any(|p| p.grad.iter().any(|&g| g != 0.0)));
        let snapshot = net.clone();
        net.zero_grad();
        assert!(net.params_iter().all(|p| p.grad.iter().all(|&g| g == 0.0)));
        assert!(
            snapshot
                .params_iter()
                .any(|p| p.grad.iter().any(|&g| g != 0.0))
        );
    }

    #[test]
    fn backward_needs_a_training_forward() {
        let mut net = mlp(&[3, 2]);
        let x = Matrix::from_element(3, 4, 1.0f32);
        let g = Matrix::from_element(2, 4, 1.0f32);
        assert!(matches!(
            net.backward(&g),
            Err(CoreError::BackwardWithoutForward)
        ));
        net.forward(&x, Mode::Train).unwrap();
        net.backward(&g).unwrap();
        net.predict(&x, Link::Identity).unwrap();
        assert!(matches!(
            net.backward(&g),
            Err(CoreError::BackwardWithoutForward)
        ));
        net.forward(&x, Mode::Train).unwrap();
        let wrong = Matrix::from_element(2, 3, 1.0f32);
        assert!(matches!(
            net.backward(&wrong),
            Err(CoreError::ShapeMismatch { .. })
        ));
    }

    #[test]
    fn with_params_mut_sees_every_parameter_in_order() {
        for sizes in [
            &[3, 4][..],
            &[784, 128, 64, 10],
            &[2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1],
        ] {
            let mut net = mlp(sizes);
            let expected: Vec<(usize, usize)> = net.params_iter().map(Param::shape).collect();
            let seen = net.with_params_mut(|p| {
                p.iter_mut().for_each(|p| p.grad.fill(1.0));
                p.iter().map(|p| p.shape()).collect::<Vec<_>>()
            });
            assert_eq!(seen, expected);
            assert!(net.params_iter().all(|p| p.grad.iter().all(|&g| g == 1.0)));
        }
    }

    #[test]
    fn network_is_send() {
        fn assert_send<S: Send + Sync>() {}
        assert_send::<Sequential<f32>>();
    }
}
