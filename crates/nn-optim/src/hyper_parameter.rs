//! Range checks for hyper-parameters, shared by every optimizer and schedule.
//!
//! Settings are given in `f64` but a step computes in the network's scalar type, usually
//! `f32`, so the ranges are those that keep their meaning once rounded to `f32`: an ε of
//! 10⁻⁴⁶ would become 0 (and `0/0` a NaN weight), a learning rate of 10³⁹ infinity.

use crate::OptimError;

/// The largest `f32`, as `f64`.
const F32_MAX: f64 = f32::MAX as f64;
/// The smallest positive normal `f32`, as `f64`.
const F32_MIN_POSITIVE: f64 = f32::MIN_POSITIVE as f64;

/// Requires `0 <= value <= f32::MAX` (learning rates, weight decay).
pub(crate) fn non_negative(
    optimizer: &'static str,
    name: &'static str,
    value: f64,
) -> Result<(), OptimError> {
    if (0.0..=F32_MAX).contains(&value) {
        Ok(())
    } else {
        Err(invalid(
            optimizer,
            name,
            value,
            ">= 0 and at most about 3.4e38 (the largest f32)",
        ))
    }
}

/// Requires `f32::MIN_POSITIVE <= value <= f32::MAX`: positive and a normal `f32` (epsilons,
/// decay factors).
pub(crate) fn positive(
    optimizer: &'static str,
    name: &'static str,
    value: f64,
) -> Result<(), OptimError> {
    if (F32_MIN_POSITIVE..=F32_MAX).contains(&value) {
        Ok(())
    } else {
        Err(invalid(
            optimizer,
            name,
            value,
            "finite and > 0, at least 1.2e-38 (the smallest normal f32)",
        ))
    }
}

/// Requires a count of at least 1 (periods, epochs).
pub(crate) fn at_least_one(
    optimizer: &'static str,
    name: &'static str,
    value: usize,
) -> Result<(), OptimError> {
    if value >= 1 {
        Ok(())
    } else {
        Err(invalid(optimizer, name, value as f64, "at least 1"))
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
