//! Plain stochastic gradient descent: `W ← W − η·∇`.

use nn_core::{Float, Param};
use serde::{Deserialize, Serialize};

use crate::parallel_pass::{each_element, split_across_threads};
use crate::{HyperParameters, Stepper, UpdateRule};

/// Hyper-parameters of [`Sgd`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SgdConfig {
    /// Learning rate η (default 0.01).
    pub lr: f64,
}

impl Default for SgdConfig {
    fn default() -> Self {
        Self { lr: 0.01 }
    }
}

impl HyperParameters for SgdConfig {
    const NAME: &'static str = "sgd";

    fn learning_rate_mut(&mut self) -> &mut f64 {
        &mut self.lr
    }
}

/// Plain gradient descent (study 001, equations 15–16): `W ← W − η·∇` for every parameter.
/// It keeps no state.
pub type Sgd<T> = Stepper<SgdConfig, T>;

impl<T: Float> UpdateRule<T> for SgdConfig {
    type State = ();
    /// The learning rate in `T`.
    type Step = T;

    fn begin_step(&self, _: u64) -> T {
        T::cast(self.lr)
    }

    fn update(&lr: &T, param: &mut Param<T>, (): ()) {
        let Param { value, grad, .. } = param;
        let slices = (value.as_mut_slice(), grad.as_slice());
        split_across_threads(slices, &|part| each_element(part, |w, g| *w -= lr * g));
    }
}
