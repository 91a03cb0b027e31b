//! nn-optim: the optimizers and learning-rate schedules of the engine.
//!
//! An [`Optimizer`] receives a network's parameters ([`nn_core::Param`]: value + gradient) in a
//! fixed order and updates them in place. It keeps its own state (velocities, moments) per
//! parameter index — layers never hold optimizer state — sizes that state on the first step and
//! refuses, with an [`OptimError`], a later step whose parameters differ in count or shape.
//!
//! Every optimizer is a rule plus one adaptor. The rule is its configuration, a plain struct of
//! hyper-parameters with `Default` ([`HyperParameters`]: name, validation, learning rate) that
//! says how to update one parameter ([`UpdateRule`]: what a step computes once, such as Adam's
//! bias corrections, and the pass over one parameter and its state). The adaptor,
//! [`Stepper`], makes any rule an optimizer and owns all the rest: validation before each
//! step, gradient checks, state sizing and checks, the step count, reset and serialisation.
//!
//! | optimizer | is | update |
//! |---|---|---|
//! | [`Sgd`] | `Stepper<SgdConfig, T>` | `W ← W − η·∇` |
//! | [`Momentum`] | `Stepper<MomentumConfig, T>` | classic `v ← μv − η∇, W ← W + v`; EMA `v ← βv + (1−β)∇, W ← W − αv`; optional Nesterov |
//! | [`RmsProp`] | `Stepper<RmsPropConfig, T>` | `s ← ρs + (1−ρ)∇², W ← W − η∇/(√s + ε)` |
//! | [`Adam`] | `Stepper<AdamConfig, T>` | bias-corrected moments, `W ← W − η·m̂/(√v̂ + ε)` |
//! | [`AdamW`] | `Stepper<AdamWConfig, T>` | Adam plus decoupled weight decay on weights only |
//!
//! Where ε goes (outside the square root as in Kingma & Ba, or inside as the studies write it)
//! is an [`EpsilonPlacement`] option of RMSprop and Adam. [`OptimizerConfig`] chooses a
//! configuration by name from a spec; [`AnyOptimizer`] holds any of the optimizers with its
//! state for checkpoints (every optimizer converts into it, is `Serialize + Deserialize`, and a
//! deserialised optimizer continues bit for bit). [`LrSchedule`] gives the learning rate of
//! each epoch.
//!
//! After the first step, a step allocates nothing: each parameter is updated in one pass over
//! its value, gradient and state slices.
//!
//! ```
//! use nn_core::{Matrix, Param, ParamKind};
//! use nn_optim::{Adam, AdamConfig, AnyOptimizer, Optimizer};
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
//! assert_eq!(adam.steps_taken(), 1);
//!
//! // The defaults of the literature, wrapped with their state for a trainer's checkpoints.
//! let any: AnyOptimizer<f32> = Adam::default().into();
//! assert_eq!((any.name(), any.learning_rate()), ("adam", 1e-3));
//! # Ok::<(), nn_optim::OptimError>(())
//! ```

mod adam;
mod adam_pass;
mod adam_step;
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
mod rule;
mod sgd;
mod stepper;
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
pub use param_state::{ParamState, StateTensors};
pub use rmsprop::{RmsProp, RmsPropConfig};
pub use rule::{HyperParameters, UpdateRule};
pub use sgd::{Sgd, SgdConfig};
pub use stepper::Stepper;
