//! Per-parameter state buffers (velocities, moments), sized on the first step and checked on
//! every later one.

use nn_core::{Float, Matrix, Param};
use serde::{Deserialize, Serialize};

use crate::OptimError;

/// One state matrix per parameter, in the order the parameters are passed to `step`.
///
/// Empty until the first step, which allocates zeros of each parameter's shape; from then on
/// [`ParamState::prepare`] only compares counts and shapes, so a step never allocates again.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub(crate) struct ParamState<T: Float> {
    buffers: Option<Vec<Matrix<T>>>,
}

impl<T: Float> ParamState<T> {
    /// Creates an empty state, sized by the first call to [`ParamState::prepare`].
    pub(crate) fn new() -> Self {
        Self { buffers: None }
    }

    /// Sizes the buffers on the first call; afterwards checks that `params` has the count and
    /// shapes the buffers were sized for. Returns the buffers, one per parameter.
    pub(crate) fn prepare(
        &mut self,
        optimizer: &'static str,
        params: &[&mut Param<T>],
    ) -> Result<&mut [Matrix<T>], OptimError> {
        if let Some(buffers) = &self.buffers {
            if buffers.len() != params.len() {
                return Err(OptimError::ParamCountMismatch {
                    optimizer,
                    expected: buffers.len(),
                    actual: params.len(),
                });
            }
            for (index, (buffer, param)) in buffers.iter().zip(params).enumerate() {
                if buffer.shape() != param.value.shape() {
                    return Err(OptimError::ParamShapeMismatch {
                        optimizer,
                        index,
                        expected: buffer.shape(),
                        actual: param.value.shape(),
                    });
                }
            }
        }
        let buffers = self.buffers.get_or_insert_with(|| {
            params
                .iter()
                .map(|p| Matrix::zeros(p.value.nrows(), p.value.ncols()))
                .collect()
        });
        Ok(buffers.as_mut_slice())
    }

    /// Forgets the buffers; the next [`ParamState::prepare`] sizes them afresh.
    pub(crate) fn clear(&mut self) {
        self.buffers = None;
    }
}

/// Checks that every parameter's gradient has the shape of its value, so the flat passes over
/// value and gradient slices line up element by element.
pub(crate) fn check_gradients<T: Float>(
    optimizer: &'static str,
    params: &[&mut Param<T>],
) -> Result<(), OptimError> {
    for (index, param) in params.iter().enumerate() {
        if param.grad.shape() != param.value.shape() {
            return Err(OptimError::GradShapeMismatch {
                optimizer,
                index,
                value: param.value.shape(),
                grad: param.grad.shape(),
            });
        }
    }
    Ok(())
}
