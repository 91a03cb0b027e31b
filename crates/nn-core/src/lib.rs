//! nn-core: the tensors, layers, activations, losses and networks of the engine.
//!
//! A batch is a matrix with one column per sample (features × batch). A dense layer computes
//! `Z = W·X + b` with `W` of shape (out × in). Layers own their parameters as [`Param`]
//! (value + gradient); optimizers live in `nn-optim` and never inside layers.

mod float;
mod param;

pub use float::Float;
pub use param::{Param, ParamKind};

/// The matrix type of the engine: a column-major, heap-allocated nalgebra matrix.
pub type Matrix<T> = nalgebra::DMatrix<T>;
