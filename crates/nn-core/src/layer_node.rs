//! The closed set of layers a [`crate::Sequential`] network holds.

use crate::{ActivationLayer, Dense, Dropout, Float, Layer, Matrix, Mode, Param};

/// One layer of a [`crate::Sequential`] network.
///
/// An enum rather than a trait object so networks are `Clone`, `Send` and serialisable and
/// dispatch is a jump table; every variant implements [`Layer`] and so does the enum.
#[derive(Clone, Debug)]
pub enum LayerNode<T: Float> {
    /// A fully connected layer.
    Dense(Dense<T>),
    /// An activation function.
    Activation(ActivationLayer<T>),
    /// Inverted dropout.
    Dropout(Dropout<T>),
}

impl<T: Float> From<Dense<T>> for LayerNode<T> {
    fn from(layer: Dense<T>) -> Self {
        LayerNode::Dense(layer)
    }
}

impl<T: Float> From<ActivationLayer<T>> for LayerNode<T> {
    fn from(layer: ActivationLayer<T>) -> Self {
        LayerNode::Activation(layer)
    }
}

impl<T: Float> From<Dropout<T>> for LayerNode<T> {
    fn from(layer: Dropout<T>) -> Self {
        LayerNode::Dropout(layer)
    }
}

macro_rules! delegate {
    ($self:expr, $layer:ident => $body:expr) => {
        match $self {
            LayerNode::Dense($layer) => $body,
            LayerNode::Activation($layer) => $body,
            LayerNode::Dropout($layer) => $body,
        }
    };
}

impl<T: Float> LayerNode<T> {
    /// The layer's output for `input` in [`Mode::Eval`], in a new matrix, through a shared
    /// reference: bit for bit what [`Layer::forward`] computes in that mode.
    pub(crate) fn infer(&self, input: &Matrix<T>) -> Matrix<T> {
        delegate!(self, l => l.infer(input))
    }
}

impl<T: Float> Layer<T> for LayerNode<T> {
    fn name(&self) -> &'static str {
        delegate!(self, l => l.name())
    }

    fn required_input_size(&self) -> Option<usize> {
        delegate!(self, l => l.required_input_size())
    }

    fn output_size(&self, input_size: usize) -> usize {
        delegate!(self, l => l.output_size(input_size))
    }

    fn forward(&mut self, input: &Matrix<T>, mode: Mode) -> &Matrix<T> {
        delegate!(self, l => l.forward(input, mode))
    }

    fn output(&self) -> &Matrix<T> {
        delegate!(self, l => l.output())
    }

    fn backward(&mut self, input: &Matrix<T>, grad_output: &Matrix<T>) -> &Matrix<T> {
        delegate!(self, l => l.backward(input, grad_output))
    }

    fn backward_params_only(&mut self, input: &Matrix<T>, grad_output: &Matrix<T>) {
        delegate!(self, l => l.backward_params_only(input, grad_output))
    }

    fn params(&self) -> &[Param<T>] {
        delegate!(self, l => l.params())
    }

    fn params_mut(&mut self) -> &mut [Param<T>] {
        delegate!(self, l => l.params_mut())
    }

    fn is_stochastic(&self) -> bool {
        delegate!(self, l => l.is_stochastic())
    }
}
