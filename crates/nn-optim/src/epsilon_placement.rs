//! Where the stabilising epsilon of RMSprop and Adam goes: outside or inside the square root.

use serde::{Deserialize, Serialize};

/// Where ε enters the denominator of RMSprop and Adam.
///
/// The two forms differ noticeably only while the second-moment estimate is tiny (of the
/// order of ε or ε²): with ε = 1e-8, `√s + ε` bounds the step by `η·g/ε`, while `√(s + ε)`
/// bounds it by `η·g/10⁻⁴`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EpsilonPlacement {
    /// `η·g / (√s + ε)`: Kingma & Ba (2015) for Adam, Hinton's lecture notes and most
    /// libraries for RMSprop. The default.
    #[default]
    OutsideSqrt,
    /// `η·g / √(s + ε)`: the form written in the studies this engine reproduces (study 001's
    /// equations 20 and 25, study 003's Adam update).
    InsideSqrt,
}
