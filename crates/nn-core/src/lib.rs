//! nn-core: the tensors, layers, activations, losses and networks of the engine.
//!
//! A batch is a matrix with one column per sample (features × batch). A dense layer computes
//! `Z = W·X + b` with `W` of shape (out × in). Layers own their parameters as [`Param`]
//! (value + gradient); optimizers live in `nn-optim` and never inside layers.
//!
//! * [`Sequential`] is built layer by layer with size checks; [`Sequential::forward`] returns
//!   raw outputs, [`Sequential::loss_and_backward`] runs one training step's passes and
//!   [`Sequential::predict`] applies the loss's [`Link`] ([`Sequential::infer`] does the
//!   same through a shared reference, bit for bit).
//! * [`Loss`] pairs each loss with its link; classification losses work on logits and are
//!   stable for huge values.
//! * Steady-state training steps do not allocate: layers own their buffers, and products run
//!   through the engine's own SIMD kernel (AVX-512/AVX2 chosen at run time), which packs
//!   nothing.
//! * Large products split across the threads of the current rayon pool ([`threads`]) without
//!   changing a single bit of the result.
//! * [`gradcheck`] compares any network's back-propagation with central finite differences
//!   (in `f64`); the test suite runs it on random networks for every layer and loss.
//! * [`model_file`] saves and loads networks (with an opaque extra payload) in a checked
//!   binary format: a bad file is a typed [`CoreError`], never a panic.
//! * The initialisers ([`Init`]) and dropout masks are seeded (`ChaCha8Rng`), so a seeded
//!   run is reproducible bit for bit.
//!
//! ```
//! use nn_core::{Init, Loss, Matrix, Mode, Sequential};
//! use rand::SeedableRng;
//!
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
//! let mut net = Sequential::<f32>::new(4)
//!     .dense(8, Init::HeNormal, &mut rng)?
//!     .relu()
//!     .dense(3, Init::XavierUniform, &mut rng)?;
//!
//! // Two samples, one per column; one-hot targets.
//! let x = Matrix::from_column_slice(4, 2, &[0.1, 0.2, 0.3, 0.4, -1.0, 0.5, 0.0, 2.0]);
//! let y = Matrix::from_column_slice(3, 2, &[1.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
//!
//! let logits = net.forward(&x, Mode::Eval)?;
//! assert_eq!(logits.shape(), (3, 2));
//! let loss = Loss::CrossEntropy.value(logits, &y)?;
//! assert!(loss > 0.0 && loss.is_finite());
//!
//! // A training step's passes: fills every parameter gradient and returns the loss.
//! let step_loss = net.loss_and_backward(&x, &y, Loss::CrossEntropy, None)?;
//! assert!((step_loss - loss).abs() < 1e-6);
//! let probabilities = net.predict(&x, Loss::CrossEntropy.link())?;
//! assert!((probabilities.column(0).sum() - 1.0).abs() < 1e-6);
//! # Ok::<(), nn_core::CoreError>(())
//! ```

mod activation;
pub mod atomic_write;
mod cast;
pub mod contiguous_split;
mod dense;
mod dropout;
mod error;
mod float;
mod gradcheck;
mod init;
mod layer;
mod layer_node;
mod loss;
pub mod model_file;
pub mod network_size;
pub mod output_path;
mod param;
mod product;
pub mod regularization;
mod relu_pass;
mod sequential;
mod summary;
pub mod threads;

pub use activation::{Activation, ActivationLayer, sigmoid};
pub use dense::Dense;
pub use dropout::{Dropout, DropoutState};
pub use error::CoreError;
pub use float::Float;
pub use gradcheck::{GradcheckReport, TensorCheck, gradcheck};
pub use init::Init;
pub use layer::{Layer, Mode};
pub use layer_node::LayerNode;
pub use loss::{Link, Loss};
pub use param::{Param, ParamKind};
pub use sequential::{LayerMut, Sequential, first_non_finite_column};

/// The matrix type of the engine: a column-major, heap-allocated nalgebra matrix.
pub type Matrix<T> = nalgebra::DMatrix<T>;
