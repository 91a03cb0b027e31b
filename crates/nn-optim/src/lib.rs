//! nn-optim: the optimizers and learning-rate schedules of the engine.
//!
//! An [`Optimizer`] receives a network's parameters ([`nn_core::Param`]: value + gradient) in a
//! fixed order and updates them in place. It keeps its own state (velocities, moments) per
//! parameter index — layers never hold optimizer state — sizes that state on the first step and
//! refuses, with an [`OptimError`], a later step whose parameters differ in count or shape.
//!
//! | optimizer | update |
//! |---|---|
//! | [`Sgd`] | `W ← W − η·∇` |
//! | [`Momentum`] | classic `v ← μv − η∇, W ← W + v`; EMA `v ← βv + (1−β)∇, W ← W − αv`; optional Nesterov |
//! | [`RmsProp`] | `s ← ρs + (1−ρ)∇², W ← W − η∇/(√s + ε)` |
//! | [`Adam`] | bias-corrected moments, `W ← W − η·m̂/(√v̂ + ε)` |
//! | [`AdamW`] | Adam plus decoupled weight decay on weights only |
//!
//! Where ε goes (outside the square root as in Kingma & Ba, or inside as the studies write it)
//! is an [`EpsilonPlacement`] option of RMSprop and Adam. Configs are plain structs with
//! `Default`; [`OptimizerConfig`] chooses one by name from a spec, [`AnyOptimizer`] holds any
//! of them with its state for checkpoints (every optimizer is `Serialize + Deserialize`, and a
//! deserialised optimizer continues bit for bit). [`LrSchedule`] gives the learning rate of
//! each epoch.
//!
//! After the first step, a step allocates nothing: each parameter is updated in one pass over
//! its value, gradient and state slices.
//!
//! ```
//! use nn_core::{Matrix, Param, ParamKind};
//! use nn_optim::{Adam, AdamConfig, Optimizer};
//!
//! let mut w = Param::new(Matrix::from_column_slice(2, 1, &[1.0_f64, 2.0]), ParamKind::Weight);
//! w.grad = Matrix::from_column_slice(2, 1, &[0.5, -0.5]);
//!
//! let mut adam = Adam::new(AdamConfig { lr: 0.01, ..Default::default() })?;
//! adam.step(&mut [&mut w])?;
//!
//! // Adam's first bias-corrected step is η·g/(|g| + ε): about η against the gradient's sign.
//! assert!((w.value[0] - 0.99).abs() < 1e-9);
//! assert!((w.value[1] - 2.01).abs() < 1e-9);
//! assert_eq!(Optimizer::<f64>::steps_taken(&adam), 1);
//! # Ok::<(), nn_optim::OptimError>(())
//! ```

mod adam;
mod adam_moments;
mod adam_pass;
mod adamw;
mod any_optimizer;
mod epsilon_placement;
mod error;
mod hyper_parameter;
mod lr_schedule;
mod momentum;
mod optimizer;
mod optimizer_config;
mod parallel_pass;
mod param_state;
mod rmsprop;
mod sgd;
mod subnormal;

pub use adam::{Adam, AdamConfig};
pub use adamw::{AdamW, AdamWConfig};
pub use any_optimizer::AnyOptimizer;
pub use epsilon_placement::EpsilonPlacement;
pub use error::OptimError;
pub use lr_schedule::LrSchedule;
pub use momentum::{Momentum, MomentumConfig, MomentumForm};
pub use optimizer::Optimizer;
pub use optimizer_config::OptimizerConfig;
pub use rmsprop::{RmsProp, RmsPropConfig};
pub use sgd::{Sgd, SgdConfig};
