//! An epoch's training steps with each next batch gathered beside the current step.

use nn_core::{CoreError, Float, Loss, Matrix, Sequential};
use nn_data::{DataError, fill_batch};

/// Two pairs of batch buffers: the step trains on one while the next batch is gathered into
/// the other ([`Sequential::loss_and_backward_beside`]), then they swap. Reused across
/// epochs, so a warm epoch allocates nothing (a smaller last batch keeps the allocation).
#[derive(Debug)]
pub struct BatchPair<T: Float> {
    x: Matrix<T>,
    y: Matrix<T>,
    x_next: Matrix<T>,
    y_next: Matrix<T>,
}

impl<T: Float> BatchPair<T> {
    /// Buffers for batches of `batch` samples with `x_rows` features and `y_rows` targets.
    pub fn new(x_rows: usize, y_rows: usize, batch: usize) -> Self {
        Self {
            x: Matrix::zeros(x_rows, batch),
            y: Matrix::zeros(y_rows, batch),
            x_next: Matrix::zeros(x_rows, batch),
            y_next: Matrix::zeros(y_rows, batch),
        }
    }

    /// Runs `net.loss_and_backward_beside` on every batch of `batches` (column indices into
    /// `x` and `y`), gathering each next batch beside the step. After each step it calls
    /// `after_step(net, batch_number, indices, loss)` (the optimizer step and the loss
    /// bookkeeping); a failed step becomes `step_error(batch_number, error)`. Stops at the
    /// first error: the step's, then the gather's, then `after_step`'s.
    ///
    /// # Errors
    /// `step_error`'s value, a gather's [`DataError`] (an index out of range), or what
    /// `after_step` returns.
    pub fn epoch<'i, E: From<DataError>>(
        &mut self,
        net: &mut Sequential<T>,
        (x, y): (&Matrix<T>, &Matrix<T>),
        batches: impl Iterator<Item = &'i [usize]>,
        (loss, l2): (Loss, Option<f64>),
        step_error: impl Fn(usize, CoreError) -> E,
        mut after_step: impl FnMut(&mut Sequential<T>, usize, &[usize], T) -> Result<(), E>,
    ) -> Result<(), E> {
        let Self {
            x: xb,
            y: yb,
            x_next,
            y_next,
        } = self;
        let mut batches = batches.enumerate().peekable();
        if let Some(&(_, first)) = batches.peek() {
            fill_batch(x, first, xb)?;
            fill_batch(y, first, yb)?;
        }
        while let Some((batch, indices)) = batches.next() {
            let next = batches.peek().map(|&(_, next)| next);
            let (value, gathered) = net.loss_and_backward_beside(xb, yb, loss, l2, || match next {
                Some(next) => {
                    fill_batch(x, next, x_next).and_then(|()| fill_batch(y, next, y_next))
                }
                None => Ok(()),
            });
            let value = value.map_err(|e| step_error(batch, e))?;
            gathered?;
            after_step(net, batch, indices, value)?;
            if next.is_some() {
                std::mem::swap(xb, x_next);
                std::mem::swap(yb, y_next);
            }
        }
        Ok(())
    }
}
