//! What several test files share.

use nn_optim::{
    AdamConfig, AdamWConfig, EpsilonPlacement, MomentumConfig, MomentumForm, OptimizerConfig,
    RmsPropConfig, SgdConfig,
};

/// Every optimizer, with every form of momentum and both placements of ε.
pub fn all_configs() -> Vec<OptimizerConfig> {
    let momentum = |form, nesterov| {
        OptimizerConfig::Momentum(MomentumConfig {
            lr: 0.05,
            momentum: 0.8,
            form,
            nesterov,
        })
    };
    let rmsprop = |epsilon_placement| {
        OptimizerConfig::RmsProp(RmsPropConfig {
            epsilon_placement,
            ..Default::default()
        })
    };
    let adam = |epsilon_placement| {
        OptimizerConfig::Adam(AdamConfig {
            epsilon_placement,
            ..Default::default()
        })
    };
    vec![
        OptimizerConfig::Sgd(SgdConfig { lr: 0.05 }),
        momentum(MomentumForm::Classic, false),
        momentum(MomentumForm::Classic, true),
        momentum(MomentumForm::Ema, false),
        momentum(MomentumForm::Ema, true),
        rmsprop(EpsilonPlacement::OutsideSqrt),
        rmsprop(EpsilonPlacement::InsideSqrt),
        adam(EpsilonPlacement::OutsideSqrt),
        adam(EpsilonPlacement::InsideSqrt),
        OptimizerConfig::AdamW(AdamWConfig::default()),
    ]
}
