//! Range checks for hyper-parameters, shared by every optimizer and schedule.

use crate::OptimError;

/// Requires `value` finite and `>= 0` (learning rates, weight decay).
pub(crate) fn non_negative(
    optimizer: &'static str,
    name: &'static str,
    value: f64,
) -> Result<(), OptimError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(invalid(optimizer, name, value, "finite and >= 0"))
    }
}

/// Requires `value` finite and `> 0` (epsilons, decay factors).
pub(crate) fn positive(
    optimizer: &'static str,
    name: &'static str,
    value: f64,
) -> Result<(), OptimError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(invalid(optimizer, name, value, "finite and > 0"))
    }
}

/// Requires `0 <= value < 1` (momentum coefficients, decay rates of moving averages).
pub(crate) fn unit_interval(
    optimizer: &'static str,
    name: &'static str,
    value: f64,
) -> Result<(), OptimError> {
    if (0.0..1.0).contains(&value) {
        Ok(())
    } else {
        Err(invalid(optimizer, name, value, "in [0, 1)"))
    }
}

fn invalid(
    optimizer: &'static str,
    name: &'static str,
    value: f64,
    requirement: &'static str,
) -> OptimError {
    OptimError::InvalidHyperParameter {
        optimizer,
        name,
        value,
        requirement,
    }
}
