//! Per-parameter state buffers (velocities, moments), sized on the first step and checked on
//! every later one.

use std::fmt::Debug;

use nn_core::{Float, Matrix, Param};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};

use crate::OptimError;

/// One state matrix per parameter, in the order the parameters are passed to `step`.
///
/// Empty until the first step, which allocates zeros of each parameter's shape; from then on
/// [`StateTensors::prepare`] only compares counts and shapes, so a step never allocates again.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct ParamState<T: Float> {
    #[serde(deserialize_with = "checked_buffers")]
    buffers: Option<Vec<Matrix<T>>>,
}

/// Reads the buffers in nalgebra's layout (each matrix as its column-major values, rows and
/// columns) with each shape checked without overflow: nalgebra's own reader multiplies the
/// stored sizes unchecked, so a damaged checkpoint claiming huge ones panicked (or, wrapping,
/// passed as a matrix without its values).
fn checked_buffers<'de, D: Deserializer<'de>, T: Float>(
    deserializer: D,
) -> Result<Option<Vec<Matrix<T>>>, D::Error> {
    let stored: Option<Vec<(Vec<T>, usize, usize)>> = Deserialize::deserialize(deserializer)?;
    stored
        .map(|buffers| {
            buffers
                .into_iter()
                .map(|(values, rows, cols)| {
                    if rows.checked_mul(cols) != Some(values.len()) {
                        return Err(D::Error::custom(format!(
                            "a {rows}×{cols} state matrix stored with {} values",
                            values.len()
                        )));
                    }
                    Ok(Matrix::from_vec(rows, cols, values))
                })
                .collect()
        })
        .transpose()
}

/// The state an [`crate::UpdateRule`] keeps: `()` (none), one [`ParamState`] or a pair of them.
///
/// Serialised as its buffers one after the other, so a binary checkpoint holds exactly the
/// optimizer's configuration, its buffers and its step count.
pub trait StateTensors<T: Float>:
    Clone + Debug + Default + PartialEq + Serialize + DeserializeOwned + Send
{
    /// What the update of one parameter receives: `()`, `&mut Matrix<T>` or a pair of them.
    type OfParam<'a>
    where
        Self: 'a;

    /// Sizes the buffers on the first call; afterwards checks that `params` has the count and
    /// shapes the buffers were sized for.
    ///
    /// # Errors
    ///
    /// [`OptimError::ParamCountMismatch`] or [`OptimError::ParamShapeMismatch`], naming
    /// `optimizer`; the state is then unchanged.
    fn prepare(
        &mut self,
        optimizer: &'static str,
        params: &[&mut Param<T>],
    ) -> Result<(), OptimError>;

    /// The state of each parameter, in order (after [`StateTensors::prepare`]).
    fn of_params(&mut self) -> impl Iterator<Item = Self::OfParam<'_>>;

    /// Forgets the buffers; the next [`StateTensors::prepare`] sizes them afresh.
    fn clear(&mut self);
}

/// No state (plain gradient descent): nothing to size, nothing to check.
impl<T: Float> StateTensors<T> for () {
    type OfParam<'a> = ();

    fn prepare(&mut self, _: &'static str, _: &[&mut Param<T>]) -> Result<(), OptimError> {
        Ok(())
    }

    fn of_params(&mut self) -> impl Iterator<Item = ()> {
        std::iter::repeat(())
    }

    fn clear(&mut self) {}
}

impl<T: Float> StateTensors<T> for ParamState<T> {
    type OfParam<'a> = &'a mut Matrix<T>;

    fn prepare(
        &mut self,
        optimizer: &'static str,
        params: &[&mut Param<T>],
    ) -> Result<(), OptimError> {
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
        self.buffers.get_or_insert_with(|| {
            params
                .iter()
                .map(|p| Matrix::zeros(p.value.nrows(), p.value.ncols()))
                .collect()
        });
        Ok(())
    }

    fn of_params(&mut self) -> impl Iterator<Item = &mut Matrix<T>> {
        self.buffers.iter_mut().flatten()
    }

    fn clear(&mut self) {
        self.buffers = None;
    }
}

/// Two buffers per parameter (Adam's first and second moments), checked one after the other.
impl<T: Float> StateTensors<T> for (ParamState<T>, ParamState<T>) {
    type OfParam<'a> = (&'a mut Matrix<T>, &'a mut Matrix<T>);

    fn prepare(
        &mut self,
        optimizer: &'static str,
        params: &[&mut Param<T>],
    ) -> Result<(), OptimError> {
        // Both were sized by the same step, so the second is never sized when the first fails.
        self.0.prepare(optimizer, params)?;
        self.1.prepare(optimizer, params)
    }

    fn of_params(&mut self) -> impl Iterator<Item = Self::OfParam<'_>> {
        self.0.of_params().zip(self.1.of_params())
    }

    fn clear(&mut self) {
        self.0.clear();
        self.1.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nn_core::ParamKind;

    fn param(rows: usize, cols: usize) -> Param<f32> {
        Param::new(Matrix::zeros(rows, cols), ParamKind::Weight)
    }

    #[test]
    fn stored_buffers_read_back_and_a_shape_that_overflows_is_an_error() {
        let mut state = ParamState::<f32>::default();
        let (mut w, mut b) = (param(3, 2), param(3, 1));
        state.prepare("test", &[&mut w, &mut b]).unwrap();
        let config = bincode::config::standard();
        let bytes = bincode::serde::encode_to_vec(&state, config).unwrap();
        let (back, _): (ParamState<f32>, usize) =
            bincode::serde::decode_from_slice(&bytes, config).unwrap();
        assert_eq!(back, state);
        // 2^33 × 2^31 wraps to 0 values in 64 bits: nalgebra's reader took it.
        let damaged = Some(vec![(Vec::<f32>::new(), 1usize << 33, 1usize << 31)]);
        let bytes = bincode::serde::encode_to_vec(&damaged, config).unwrap();
        let err = bincode::serde::decode_from_slice::<ParamState<f32>, _>(&bytes, config)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("8589934592×2147483648 state matrix stored with 0 values"),
            "{err}"
        );
    }

    #[test]
    fn the_first_prepare_sizes_and_later_ones_check() {
        let mut state = ParamState::<f32>::default();
        assert_eq!(state.of_params().count(), 0);
        let (mut w, mut b) = (param(3, 2), param(3, 1));
        state.prepare("test", &[&mut w, &mut b]).unwrap();
        let shapes: Vec<_> = state.of_params().map(|m| m.shape()).collect();
        assert_eq!(shapes, [(3, 2), (3, 1)]);
        assert_eq!(
            state.prepare("test", &[&mut w]),
            Err(OptimError::ParamCountMismatch {
                optimizer: "test",
                expected: 2,
                actual: 1
            })
        );
        let mut wide = param(3, 4);
        assert_eq!(
            state.prepare("test", &[&mut wide, &mut b]),
            Err(OptimError::ParamShapeMismatch {
                optimizer: "test",
                index: 0,
                expected: (3, 2),
                actual: (3, 4)
            })
        );
        state.clear();
        state.prepare("test", &[&mut wide]).unwrap();
        assert_eq!(state.of_params().count(), 1);
    }

    #[test]
    fn a_pair_hands_out_both_buffers_of_each_parameter() {
        let mut pair = <(ParamState<f32>, ParamState<f32>)>::default();
        let (mut w, mut b) = (param(2, 2), param(2, 1));
        pair.prepare("test", &[&mut w, &mut b]).unwrap();
        let shapes: Vec<_> = pair
            .of_params()
            .map(|(m, v)| (m.shape(), v.shape()))
            .collect();
        assert_eq!(shapes, [((2, 2), (2, 2)), ((2, 1), (2, 1))]);
    }
}
