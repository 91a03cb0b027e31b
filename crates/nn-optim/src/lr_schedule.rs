//! Learning-rate schedules: the learning rate as a function of the epoch.

use nn_core::Float;
use serde::{Deserialize, Serialize};

use crate::{OptimError, Optimizer, hyper_parameter};

/// How the learning rate changes from epoch to epoch (epochs count from 0; epoch 0 uses the
/// base rate).
///
/// Serialised with a `kind` tag, e.g. `{ "kind": "step_decay", "every": 10, "gamma": 0.5 }`.
///
/// ```
/// use nn_optim::LrSchedule;
///
/// let schedule = LrSchedule::StepDecay { every: 10, gamma: 0.5 };
/// assert_eq!(schedule.learning_rate(0.1, 9), 0.1);
/// assert_eq!(schedule.learning_rate(0.1, 10), 0.05);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum LrSchedule {
    /// The base rate at every epoch. The default.
    #[default]
    Constant,
    /// `lr · γ^⌊epoch / every⌋`: multiply by γ every `every` epochs.
    StepDecay {
        /// Number of epochs between decays (`>= 1`; 0 is refused by
        /// [`LrSchedule::validate`] and means "never decay" in [`LrSchedule::learning_rate`]).
        every: usize,
        /// Factor applied at each decay (`> 0`, a normal `f32`).
        gamma: f64,
    },
    /// `lr · γ^epoch`.
    Exponential {
        /// Factor applied every epoch (`> 0`, a normal `f32`).
        gamma: f64,
    },
    /// Cosine annealing from the base rate to `min_lr` over `epochs` epochs, then `min_lr`:
    /// `min_lr + (lr − min_lr)·(1 + cos(π·epoch / epochs)) / 2`.
    Cosine {
        /// The rate reached at epoch `epochs` and kept afterwards (finite in `f32`, `>= 0`).
        min_lr: f64,
        /// Length of the annealing in epochs (`>= 1`; with 0 the rate is `min_lr` from the
        /// start).
        epochs: usize,
    },
}

impl LrSchedule {
    /// The learning rate for `epoch` (counted from 0) given the base rate `base_lr`.
    pub fn learning_rate(&self, base_lr: f64, epoch: usize) -> f64 {
        match *self {
            Self::Constant => base_lr,
            Self::StepDecay { every, gamma } => {
                let decays = epoch.checked_div(every).unwrap_or(0);
                base_lr * gamma.powf(decays as f64)
            }
            Self::Exponential { gamma } => base_lr * gamma.powf(epoch as f64),
            Self::Cosine { min_lr, epochs } => {
                if epoch >= epochs {
                    min_lr
                } else {
                    let progress = epoch as f64 / epochs as f64;
                    min_lr
                        + (base_lr - min_lr) * 0.5 * (1.0 + (std::f64::consts::PI * progress).cos())
                }
            }
        }
    }

    /// Sets `optimizer`'s learning rate to this schedule's rate for `epoch`.
    pub fn apply<T: Float, O: Optimizer<T> + ?Sized>(
        &self,
        optimizer: &mut O,
        base_lr: f64,
        epoch: usize,
    ) {
        optimizer.set_learning_rate(self.learning_rate(base_lr, epoch));
    }

    /// Checks the schedule's parameters.
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] for a zero period, a non-positive or non-finite γ,
    /// or a negative or non-finite `min_lr`.
    pub fn validate(&self) -> Result<(), OptimError> {
        match *self {
            Self::Constant => Ok(()),
            Self::StepDecay { every, gamma } => {
                hyper_parameter::at_least_one("step_decay schedule", "every", every)?;
                hyper_parameter::positive("step_decay schedule", "gamma", gamma)
            }
            Self::Exponential { gamma } => {
                hyper_parameter::positive("exponential schedule", "gamma", gamma)
            }
            Self::Cosine { min_lr, epochs } => {
                hyper_parameter::non_negative("cosine schedule", "min_lr", min_lr)?;
                hyper_parameter::at_least_one("cosine schedule", "epochs", epochs)
            }
        }
    }
}
