//! The interface every layer implements, and the train/eval mode switch.

use serde::{Deserialize, Serialize};

use crate::{Float, Matrix, Param};

/// Whether a forward pass is part of training (dropout active) or of evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mode {
    /// Training: stochastic layers (dropout) are active and caches for `backward` are kept.
    Train,
    /// Evaluation / inference: stochastic layers are the identity.
    Eval,
}

/// One stage of a feedforward network acting on a batch (one column per sample).
///
/// A layer owns its output and input-gradient buffers; they are resized only when the batch
/// size changes, so a steady-state training step does not allocate. Shapes are validated once
/// where data enters a network; inside `forward`/`backward` they are `debug_assert!`ed only.
pub trait Layer<T: Float> {
    /// Short lower-case name of the layer kind, e.g. `dense` or `relu`.
    fn name(&self) -> &'static str;

    /// Number of input features the layer requires, or `None` if it accepts any size
    /// (element-wise layers).
    fn required_input_size(&self) -> Option<usize>;

    /// Number of output features produced from `input_size` input features.
    fn output_size(&self, input_size: usize) -> usize;

    /// Computes the output for `input` (features × batch), caches what `backward` needs and
    /// returns a reference to the internal output buffer.
    fn forward(&mut self, input: &Matrix<T>, mode: Mode) -> &Matrix<T>;

    /// The output of the last `forward` call.
    fn output(&self) -> &Matrix<T>;

    /// Back-propagates `grad_output` (∂loss/∂output, same shape as the output): overwrites the
    /// parameter gradients and returns ∂loss/∂input (same shape as `input`).
    ///
    /// `input` must be the matrix given to the last `forward` call.
    fn backward(&mut self, input: &Matrix<T>, grad_output: &Matrix<T>) -> &Matrix<T>;

    /// Like [`Layer::backward`] but without computing the input gradient (used for the first
    /// layer of a network, where it is never needed). Parameter gradients are overwritten.
    fn backward_params_only(&mut self, input: &Matrix<T>, grad_output: &Matrix<T>) {
        self.backward(input, grad_output);
    }

    /// The trainable parameters, in a fixed order (for a dense layer: weight, then bias).
    fn params(&self) -> &[Param<T>];

    /// Mutable access to the trainable parameters, in the same order as [`Layer::params`].
    fn params_mut(&mut self) -> &mut [Param<T>];

    /// Whether the forward pass in [`Mode::Train`] is random (dropout without a fixed mask).
    fn is_stochastic(&self) -> bool {
        false
    }
}

/// Gives `buffer` the shape `rows × cols`, zero-filled, only if its shape differs. The
/// allocation is kept: a smaller shape (an epoch's last, partial batch) and the return to the
/// former one both fit in it, so a training loop allocates when a buffer first reaches its
/// largest size, not every epoch.
pub(crate) fn ensure_shape<T: Float>(buffer: &mut Matrix<T>, rows: usize, cols: usize) {
    if buffer.shape() != (rows, cols) {
        // An empty matrix holds no allocation, so the swap costs nothing.
        let mut data: Vec<T> = std::mem::replace(buffer, Matrix::zeros(0, 0)).data.into();
        data.clear();
        data.resize(rows * cols, T::zero());
        *buffer = Matrix::from_vec(rows, cols, data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffer_changes_shape_in_its_own_allocation_and_comes_back_zeroed() {
        let mut buffer = Matrix::<f32>::from_element(4, 64, 1.5);
        let start = buffer.as_ptr();
        ensure_shape(&mut buffer, 4, 32);
        assert_eq!(buffer.shape(), (4, 32));
        assert!(buffer.iter().all(|&v| v == 0.0));
        buffer.fill(2.0);
        ensure_shape(&mut buffer, 4, 64);
        assert_eq!(buffer.shape(), (4, 64));
        assert!(buffer.iter().all(|&v| v == 0.0));
        assert_eq!(buffer.as_ptr(), start, "no new allocation");
        // An unchanged shape keeps the contents.
        buffer.fill(3.0);
        ensure_shape(&mut buffer, 4, 64);
        assert!(buffer.iter().all(|&v| v == 3.0));
    }
}
