//! One batch size's training, an epoch at a time, so that the batch sizes' epochs can take
//! turns and each meets the machine in the same minutes.

use std::time::Instant;

use anyhow::Result;
use nn_core::{Loss, Sequential};
use nn_data::BatchSampler;
use nn_optim::{Adam, AdamConfig, Optimizer};
use nn_train::BatchPair;

use crate::{TrainData, build_network, process_cpu_seconds};

/// A network, its Adam, its seeded sampler and the batch buffers of one batch size.
pub(crate) struct EpochRunner {
    net: Sequential<f32>,
    adam: Adam<f32>,
    sampler: BatchSampler,
    buffers: BatchPair<f32>,
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
        Ok(Self {
            net: build_network(seed)?,
            adam: Adam::new(AdamConfig {
                lr: 1e-3,
                ..AdamConfig::default()
            })?,
            sampler: BatchSampler::new(data.x.ncols(), batch, seed)?,
            buffers: BatchPair::new(data.x.nrows(), data.y.nrows(), batch),
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
            buffers,
        } = self;
        let start_cpu = process_cpu_seconds();
        let start = Instant::now();
        let mut loss_sum = 0.0f64;
        let mut steps = 0usize;
        buffers.epoch(
            net,
            (&data.x, &data.y),
            sampler.epoch(),
            (Loss::CrossEntropy, None),
            |_, e| anyhow::Error::from(e),
            |net, _, _, loss| {
                net.with_params_mut(|p| adam.step(p))?;
                loss_sum += f64::from(loss);
                steps += 1;
                Ok(())
            },
        )?;
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
