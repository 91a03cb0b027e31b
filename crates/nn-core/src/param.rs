//! Trainable parameters: a value and the gradient of the loss with respect to it.

use serde::{Deserialize, Serialize};

use crate::{Float, Matrix};

/// What a parameter is, so regularisers and decoupled weight decay can treat weights and
/// biases differently (L2 and AdamW touch weights only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParamKind {
    /// A weight matrix (`W`, shape out × in).
    Weight,
    /// A bias vector (`b`, shape out × 1).
    Bias,
}

/// A trainable tensor owned by a layer: its `value` and, after `backward`, the `grad` of the
/// loss with respect to it (same shape).
///
/// Layers own their parameters; optimizers receive them in a fixed order and keep their own
/// state (velocities, moments) by position, so a layer never holds optimizer state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Param<T: Float> {
    /// The current value.
    pub value: Matrix<T>,
    /// The gradient of the loss with respect to `value`, filled by `backward`.
    pub grad: Matrix<T>,
    /// Whether this is a weight or a bias.
    pub kind: ParamKind,
}

impl<T: Float> Param<T> {
    /// Wraps a value with a zero gradient of the same shape.
    pub fn new(value: Matrix<T>, kind: ParamKind) -> Self {
        let grad = Matrix::zeros(value.nrows(), value.ncols());
        Self { value, grad, kind }
    }

    /// Number of scalars in the parameter.
    pub fn len(&self) -> usize {
        self.value.len()
    }

    /// Whether the parameter holds no scalars.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// `(rows, columns)` of the value (and of the gradient).
    pub fn shape(&self) -> (usize, usize) {
        self.value.shape()
    }

    /// Sets the gradient to zero.
    pub fn zero_grad(&mut self) {
        self.grad.fill(T::zero());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_param_has_zero_grad_of_same_shape() {
        let p = Param::new(Matrix::<f64>::from_element(3, 2, 1.5), ParamKind::Weight);
        assert_eq!(p.grad.shape(), (3, 2));
        assert!(p.grad.iter().all(|&g| g == 0.0));
        assert_eq!(p.len(), 6);
    }
}
