//! One batch size's training, an epoch at a time, so that the batch sizes' epochs can take
//! turns and each meets the machine in the same minutes.

use std::time::Instant;

use anyhow::Result;
use nn_core::{Loss, Matrix, Sequential};
use nn_data::{BatchSampler, fill_batch};
use nn_optim::{Adam, AdamConfig, Optimizer};

use crate::{TrainData, build_network, process_cpu_seconds};

/// A network, its Adam, its seeded sampler and the batch buffers of one batch size.
pub(crate) struct EpochRunner {
    net: Sequential<f32>,
    adam: Adam<f32>,
    sampler: BatchSampler,
    xb: Matrix<f32>,
    yb: Matrix<f32>,
    x_next: Matrix<f32>,
    y_next: Matrix<f32>,
}

/// What one epoch took, and its mean loss.
pub(crate) struct EpochTime {
    /// Wall-clock seconds.
    pub(crate) seconds: f64,
    /// CPU seconds of the whole process, where the platform tells.
    pub(crate) cpu_seconds: Option<f64>,
    /// Mean loss over the epoch's steps.
    pub(crate) mean_loss: f64,
}

impl EpochRunner {
    /// The reference network built from `seed`, Adam lr 1e-3, batches of `batch` shuffled
    /// from `seed`.
    pub(crate) fn new(data: &TrainData, batch: usize, seed: u64) -> Result<Self> {
        let xb = Matrix::<f32>::zeros(data.x.nrows(), batch);
        let yb = Matrix::<f32>::zeros(data.y.nrows(), batch);
        Ok(Self {
            net: build_network(seed)?,
            adam: Adam::new(AdamConfig {
                lr: 1e-3,
                ..AdamConfig::default()
            })?,
            sampler: BatchSampler::new(data.x.ncols(), batch, seed)?,
            x_next: xb.clone(),
            y_next: yb.clone(),
            xb,
            yb,
        })
    }

    /// The network as trained so far.
    pub(crate) fn into_network(self) -> Sequential<f32> {
        self.net
    }

    /// Trains one epoch as the trainer does: the next batch is gathered beside each step.
    pub(crate) fn epoch(&mut self, data: &TrainData) -> Result<EpochTime> {
        let Self {
            net,
            adam,
            sampler,
            xb,
            yb,
            x_next,
            y_next,
        } = self;
        let start_cpu = process_cpu_seconds();
        let start = Instant::now();
        let mut loss_sum = 0.0f64;
        let mut steps = 0usize;
        let mut batches = sampler.epoch().peekable();
        if let Some(&first) = batches.peek() {
            fill_batch(&data.x, first, xb)?;
            fill_batch(&data.y, first, yb)?;
        }
        while batches.next().is_some() {
            let next = batches.peek().copied();
            let (loss, gathered) =
                net.loss_and_backward_beside(xb, yb, Loss::CrossEntropy, None, || match next {
                    Some(next) => fill_batch(&data.x, next, x_next)
                        .and_then(|()| fill_batch(&data.y, next, y_next)),
                    None => Ok(()),
                });
            let loss = loss?;
            gathered?;
            net.with_params_mut(|p| adam.step(p))?;
            loss_sum += f64::from(loss);
            steps += 1;
            if next.is_some() {
                std::mem::swap(xb, x_next);
                std::mem::swap(yb, y_next);
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        let cpu_seconds = start_cpu
            .zip(process_cpu_seconds())
            .map(|(start, end)| end - start);
        Ok(EpochTime {
            seconds,
            cpu_seconds,
            mean_loss: loss_sum / steps.max(1) as f64,
        })
    }
}
