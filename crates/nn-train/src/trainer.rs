//! The fit loop: epochs of shuffled mini-batches, validation, early stopping, schedules,
//! checkpoints.

use std::sync::Arc;
use std::time::Instant;

use nn_core::{Float, Loss, Matrix, Sequential};
use nn_data::BatchSampler;
use nn_optim::{AnyOptimizer, Optimizer};
use serde::{Deserialize, Serialize};

use crate::{
    BatchPair, EarlyStopping, EpochRecord, History, Monitor, Progress, TrainConfig, TrainError,
    evaluation::metric_value,
};

/// What [`Trainer::fit_with`] calls at the end of each epoch, given the number of epochs
/// done (from 1) and the network, its error already converted.
type AfterEpoch<'a, T> = dyn FnMut(usize, &mut Sequential<T>) -> Result<(), TrainError> + Send + 'a;

/// The data of a run: training features and targets (one column per sample, targets already
/// encoded for the loss: one-hot for cross-entropy, 0/1 for binary cross-entropy), and an
/// optional validation set.
#[derive(Clone, Copy, Debug)]
pub struct TrainData<'a, T: Float> {
    /// Training features (features × samples).
    pub x: &'a Matrix<T>,
    /// Training targets (outputs × samples).
    pub y: &'a Matrix<T>,
    /// Validation features and targets.
    pub validation: Option<(&'a Matrix<T>, &'a Matrix<T>)>,
}

impl<'a, T: Float> TrainData<'a, T> {
    /// Training data without a validation set.
    pub fn new(x: &'a Matrix<T>, y: &'a Matrix<T>) -> Self {
        Self {
            x,
            y,
            validation: None,
        }
    }

    /// Adds a validation set.
    pub fn with_validation(mut self, x: &'a Matrix<T>, y: &'a Matrix<T>) -> Self {
        self.validation = Some((x, y));
        self
    }

    fn check(&self, net: &Sequential<T>) -> Result<(), TrainError> {
        let check_pair = |name: &str, x: &Matrix<T>, y: &Matrix<T>| {
            net.check_input(x)?;
            if y.nrows() != net.output_size() || y.ncols() != x.ncols() {
                return Err(TrainError::Data(format!(
                    "{name} targets are {}×{} but the network gives {} outputs for {} samples",
                    y.nrows(),
                    y.ncols(),
                    net.output_size(),
                    x.ncols()
                )));
            }
            if x.ncols() == 0 {
                return Err(TrainError::Data(format!("{name} set has no samples")));
            }
            for (what, m) in [("features", x), ("targets", y)] {
                if let Some(sample) = nn_core::first_non_finite_column(m) {
                    return Err(TrainError::Data(format!(
                        "{name} {what} contain a NaN or infinite value (sample {sample})"
                    )));
                }
            }
            Ok(())
        };
        check_pair("training", self.x, self.y)?;
        if let Some((x, y)) = self.validation {
            check_pair("validation", x, y)?;
        }
        Ok(())
    }
}

/// The resumable part of a run: where it is and what it has seen.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct RunState {
    /// Epochs completed.
    pub(crate) epochs_done: usize,
    /// The optimizer's learning rate before any schedule.
    pub(crate) base_lr: f64,
    /// Early-stopping tracker.
    pub(crate) stopper: Option<EarlyStopping>,
    /// Whether the run has ended (all epochs done or stopped early).
    pub(crate) finished: bool,
    /// The history so far.
    pub(crate) history: History,
}

/// Trains a [`Sequential`] network with an optimizer and a loss.
///
/// The same seed gives the same numbers: initialisation is the caller's (seeded) business, and
/// every epoch's shuffle is derived from `config.seed` and the epoch number.
#[derive(Debug)]
pub struct Trainer<T: Float> {
    pub(crate) network: Sequential<T>,
    pub(crate) optimizer: AnyOptimizer<T>,
    pub(crate) loss: Loss,
    pub(crate) config: TrainConfig,
    pub(crate) state: RunState,
    /// The network at the best epoch so far (when early stopping restores the best weights).
    pub(crate) best: Option<Sequential<T>>,
    /// The worker threads of the run, started by the first `fit`.
    pub(crate) pool: Option<Arc<rayon::ThreadPool>>,
    /// What set up the run, saved in checkpoints (see [`Trainer::with_origin`]).
    pub(crate) origin: Option<String>,
}

/// Derives the shuffle seed of one epoch from the run seed (SplitMix64 finaliser, so nearby
/// seeds and epochs give unrelated streams).
pub(crate) fn epoch_seed(seed: u64, epoch: usize) -> u64 {
    let mut z = seed ^ (epoch as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl<T: Float> Trainer<T> {
    /// A trainer for `network`, starting at epoch 0, with any of nn-optim's optimizers (an
    /// [`nn_optim::Adam`], an [`AnyOptimizer`] built from a spec, …), which it keeps with its
    /// state as an [`AnyOptimizer`] for checkpoints.
    ///
    /// ```
    /// use nn_core::{Init, Loss, Sequential};
    /// use nn_optim::{Adam, Optimizer};
    /// use nn_train::{TrainConfig, Trainer};
    /// use rand::SeedableRng;
    ///
    /// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    /// let net = Sequential::<f32>::new(4).dense(3, Init::HeNormal, &mut rng)?;
    /// let trainer = Trainer::new(net, Adam::default(), Loss::CrossEntropy, TrainConfig::default())?;
    /// assert_eq!(trainer.optimizer().name(), "adam");
    /// assert_eq!(trainer.optimizer().learning_rate(), 1e-3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`TrainError::InvalidConfig`] naming the first invalid setting.
    pub fn new(
        network: Sequential<T>,
        optimizer: impl Into<AnyOptimizer<T>>,
        loss: Loss,
        config: TrainConfig,
    ) -> Result<Self, TrainError> {
        config.validate()?;
        let optimizer = optimizer.into();
        let stopper = config.early_stopping.as_ref().map(EarlyStopping::new);
        let base_lr = optimizer.learning_rate();
        let metric_name = config.metric.name().to_owned();
        Ok(Self {
            network,
            optimizer,
            loss,
            config,
            state: RunState {
                epochs_done: 0,
                base_lr,
                stopper,
                finished: false,
                history: History {
                    metric_name,
                    ..History::default()
                },
            },
            best: None,
            pool: None,
            origin: None,
        })
    }

    /// Records what set up this run (a program's description of its inputs: the `nn` command
    /// stores its spec here). Checkpoints keep it, so whoever resumes a run can check that it
    /// continues with the same inputs; the trainer itself never reads it.
    pub fn with_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// What set up this run, if it was recorded with [`Trainer::with_origin`].
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// Takes from `config` the settings that change no number: `checkpoint_every`,
    /// `checkpoint_dir`, `progress` and `threads`. A run resumed from a checkpoint otherwise
    /// keeps those of the run that wrote it, and would write its checkpoints there.
    ///
    /// # Errors
    /// [`TrainError::InvalidConfig`] if the settings are invalid (e.g. `checkpoint_every`
    /// without `checkpoint_dir`); the trainer is then unchanged.
    pub fn set_output_settings(&mut self, config: &TrainConfig) -> Result<(), TrainError> {
        let updated = TrainConfig {
            checkpoint_every: config.checkpoint_every,
            checkpoint_dir: config.checkpoint_dir.clone(),
            progress: config.progress,
            threads: config.threads,
            ..self.config.clone()
        };
        updated.validate()?;
        if updated.threads != self.config.threads {
            self.pool = None;
        }
        self.config = updated;
        Ok(())
    }

    /// The network being trained.
    pub fn network(&self) -> &Sequential<T> {
        &self.network
    }

    /// Mutable access to the network (e.g. to predict between runs).
    pub fn network_mut(&mut self) -> &mut Sequential<T> {
        &mut self.network
    }

    /// Ends the run and returns the trained network.
    pub fn into_network(self) -> Sequential<T> {
        self.network
    }

    /// The optimizer and its state.
    pub fn optimizer(&self) -> &AnyOptimizer<T> {
        &self.optimizer
    }

    /// The loss being minimised.
    pub fn loss(&self) -> Loss {
        self.loss
    }

    /// The run's settings.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The per-epoch history so far.
    pub fn history(&self) -> &History {
        &self.state.history
    }

    /// Epochs completed so far.
    pub fn epochs_done(&self) -> usize {
        self.state.epochs_done
    }

    /// Whether the run has ended (all epochs done, or early stopping fired).
    pub fn is_finished(&self) -> bool {
        self.state.finished
    }

    /// Trains until the configured number of epochs is reached or early stopping fires.
    ///
    /// # Errors
    /// Data that does not fit the network, a NaN/infinite loss (naming epoch and batch), an
    /// optimizer state mismatch, or a checkpoint that cannot be written.
    pub fn fit(&mut self, data: &TrainData<'_, T>) -> Result<&History, TrainError> {
        self.fit_epochs(data, usize::MAX)
    }

    /// Trains at most `max_epochs` more epochs (stopping earlier at the configured total or
    /// when early stopping fires). Calling it again continues the same run.
    ///
    /// # Errors
    /// As [`Trainer::fit`].
    pub fn fit_epochs(
        &mut self,
        data: &TrainData<'_, T>,
        max_epochs: usize,
    ) -> Result<&History, TrainError> {
        self.train_in_pool(data, max_epochs, &mut |_, _| Ok(()))
    }

    /// [`Trainer::fit`], calling `after_epoch` with the network at the end of every epoch
    /// (after validation, early stopping and any checkpoint; after the best weights are put
    /// back when that epoch ends the run). It runs in the trainer's thread pool, so what it
    /// computes uses the run's threads: to evaluate a test set after every epoch, say. Unlike
    /// a loop over `fit_epochs(data, 1)`, which checks the whole data set for NaN on every
    /// call, the data is checked once.
    ///
    /// # Errors
    /// As [`Trainer::fit`], and [`TrainError::AfterEpoch`] with the error `after_epoch`
    /// returned, which ends the run at that epoch.
    pub fn fit_with<E>(
        &mut self,
        data: &TrainData<'_, T>,
        mut after_epoch: impl FnMut(&mut Sequential<T>) -> Result<(), E> + Send,
    ) -> Result<&History, TrainError>
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.train_in_pool(data, usize::MAX, &mut |epoch, network| {
            after_epoch(network).map_err(|e| TrainError::AfterEpoch {
                epoch,
                source: e.into(),
            })
        })
    }

    /// Enters the trainer's thread pool, keeps its workers spinning, and runs
    /// [`Trainer::epoch_loop`] there: the one way into training for every `fit` method.
    fn train_in_pool(
        &mut self,
        data: &TrainData<'_, T>,
        max_epochs: usize,
        after_epoch: &mut AfterEpoch<'_, T>,
    ) -> Result<&History, TrainError> {
        let pool = self.thread_pool()?;
        pool.install(|| {
            nn_core::threads::keep_workers_spinning(|| {
                self.epoch_loop(data, max_epochs, after_epoch)
            })
        })?;
        Ok(&self.state.history)
    }

    /// Worker threads this run computes with: `config.threads`, else `NN_THREADS`, else the
    /// physical cores.
    ///
    /// # Errors
    /// An invalid `NN_THREADS`, or threads the system refuses to start.
    pub fn threads(&mut self) -> Result<usize, TrainError> {
        Ok(self.thread_pool()?.current_num_threads())
    }

    fn thread_pool(&mut self) -> Result<Arc<rayon::ThreadPool>, TrainError> {
        if let Some(pool) = &self.pool {
            return Ok(Arc::clone(pool));
        }
        let threads = match self.config.threads {
            Some(n) => n,
            None => nn_core::threads::default_threads()?,
        };
        let pool = Arc::new(nn_core::threads::thread_pool(threads)?);
        self.pool = Some(Arc::clone(&pool));
        Ok(pool)
    }

    /// At most `max_epochs` more epochs, `after_epoch` after each, on the calling thread,
    /// which is one of the pool's workers.
    fn epoch_loop(
        &mut self,
        data: &TrainData<'_, T>,
        max_epochs: usize,
        after_epoch: &mut AfterEpoch<'_, T>,
    ) -> Result<(), TrainError> {
        data.check(&self.network)?;
        self.check_targets(data)?;
        self.check_monitor_has_data(data)?;
        self.network
            .check_batch_memory(self.config.batch_size.min(data.x.ncols()))?;
        let last = self
            .config
            .epochs
            .min(self.state.epochs_done.saturating_add(max_epochs));
        let progress = Progress::new(self.config.progress, self.config.epochs);
        progress.resume_at(self.state.epochs_done);
        let n = data.x.ncols();
        let mut buffers = BatchPair::new(
            data.x.nrows(),
            data.y.nrows(),
            self.config.batch_size.min(n),
        );
        while !self.state.finished && self.state.epochs_done < last {
            let epoch = self.state.epochs_done;
            let started = Instant::now();
            let lr = self
                .config
                .schedule
                .learning_rate(self.state.base_lr, epoch);
            self.optimizer.set_learning_rate(lr);

            let mut sampler = BatchSampler::new(
                n,
                self.config.batch_size,
                epoch_seed(self.config.seed, epoch),
            )?;
            if !self.config.shuffle {
                sampler = sampler.sequential();
            }
            let mut loss_sum = 0.0;
            let optimizer = &mut self.optimizer;
            buffers.epoch(
                &mut self.network,
                (data.x, data.y),
                sampler.epoch(),
                (self.loss, self.config.l2),
                |batch, e| match e {
                    nn_core::CoreError::NonFinite { .. } => TrainError::NonFiniteLoss {
                        epoch: epoch + 1,
                        batch: batch + 1,
                    },
                    other => TrainError::Core(other),
                },
                |network, _, indices, loss| {
                    loss_sum += loss.as_f64() * indices.len() as f64;
                    network.with_params_mut(|params| optimizer.step(params))?;
                    Ok(())
                },
            )?;
            let record = self.end_of_epoch(data, epoch, loss_sum / n as f64, lr, started)?;
            progress.epoch(&record, &self.state.history.metric_name);
            self.state.history.epochs.push(record);
            self.state.epochs_done += 1;
            if self.state.epochs_done >= self.config.epochs {
                self.state.finished = true;
            }
            self.maybe_checkpoint()?;
            if self.state.finished {
                self.restore_best_weights();
            }
            after_epoch(self.state.epochs_done, &mut self.network)?;
        }
        progress.finish();
        Ok(())
    }

    /// Validation, metrics and early stopping at the end of `epoch`.
    fn end_of_epoch(
        &mut self,
        data: &TrainData<'_, T>,
        epoch: usize,
        train_loss: f64,
        lr: f64,
        started: Instant,
    ) -> Result<EpochRecord, TrainError> {
        let link = self.loss.link();
        let train_metric = if self.config.train_metric {
            let pred = self.network.predict(data.x, link)?;
            metric_value(self.config.metric, &pred, data.y)?
        } else {
            None
        };
        let (val_loss, val_metric) = match data.validation {
            Some((x, y)) => {
                let loss = self
                    .network
                    .evaluate_loss(x, y, self.loss, self.config.l2)
                    .map_err(|e| match e {
                        nn_core::CoreError::NonFinite { .. } => {
                            TrainError::NonFiniteValidation { epoch: epoch + 1 }
                        }
                        other => TrainError::Core(other),
                    })?
                    .as_f64();
                let pred = self.network.predict(x, link)?;
                (Some(loss), metric_value(self.config.metric, &pred, y)?)
            }
            None => (None, None),
        };
        let restore_best = self.restores_best();
        if let Some(stopper) = &mut self.state.stopper {
            // The early-stopping config exists whenever the stopper does.
            let monitor = self
                .config
                .early_stopping
                .as_ref()
                .map_or(Monitor::ValLoss, |c| c.monitor);
            let value = match monitor {
                Monitor::ValLoss => val_loss.unwrap_or(train_loss),
                Monitor::TrainLoss => train_loss,
                // `check_monitor_has_data` and `TrainConfig::validate` make sure a
                // validation set and a metric exist; NaN (never an improvement) otherwise.
                Monitor::ValMetric => val_metric.unwrap_or(f64::NAN),
            };
            if stopper.record(epoch + 1, value) {
                self.state.history.best_epoch = Some(epoch + 1);
                if restore_best {
                    self.best = Some(self.network.clone());
                }
            }
            if stopper.should_stop() {
                self.state.history.stopped_early = true;
                self.state.finished = true;
            }
        }
        Ok(EpochRecord {
            epoch: epoch + 1,
            train_loss,
            train_metric,
            val_loss,
            val_metric,
            learning_rate: lr,
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// Checks every target against the loss once, before training, so that a target the
    /// loss is not defined for is named by its sample in the data, not in a shuffled batch.
    fn check_targets(&self, data: &TrainData<'_, T>) -> Result<(), TrainError> {
        let parts = std::iter::once(("training", data.y))
            .chain(data.validation.map(|(_, y)| ("validation", y)));
        for (part, y) in parts {
            self.loss
                .check_targets(y)
                .map_err(|e| TrainError::Data(format!("{part} {e}")))?;
        }
        Ok(())
    }

    /// Early stopping on the validation metric needs validation data: without it there is
    /// nothing to watch (falling back to a loss would maximise the loss).
    fn check_monitor_has_data(&self, data: &TrainData<'_, T>) -> Result<(), TrainError> {
        let watches_val_metric = self
            .config
            .early_stopping
            .as_ref()
            .is_some_and(|c| c.monitor == Monitor::ValMetric);
        if watches_val_metric && data.validation.is_none() {
            return Err(TrainError::InvalidConfig {
                name: "early_stopping.monitor",
                reason: "`val_metric` needs validation data; add a validation set or \
                         monitor `val_loss` or `train_loss`"
                    .to_owned(),
            });
        }
        Ok(())
    }

    fn restores_best(&self) -> bool {
        self.config
            .early_stopping
            .as_ref()
            .is_some_and(|c| c.restore_best)
    }

    /// Puts back the best epoch's weights when the run has finished and early stopping is set
    /// to restore them (the fit loop calls it when the run ends). Returns whether it did.
    pub fn restore_best_weights(&mut self) -> bool {
        if self.state.finished
            && self.restores_best()
            && let Some(best) = self.best.take()
        {
            self.network = best;
            return true;
        }
        false
    }

    fn maybe_checkpoint(&self) -> Result<(), TrainError> {
        let (Some(every), Some(dir)) = (self.config.checkpoint_every, &self.config.checkpoint_dir)
        else {
            return Ok(());
        };
        if self.state.epochs_done.is_multiple_of(every) || self.state.finished {
            std::fs::create_dir_all(dir).map_err(|source| TrainError::Io {
                operation: "create the directory",
                path: dir.clone(),
                source,
            })?;
            self.save_checkpoint(&dir.join(format!("epoch-{:04}.ckpt", self.state.epochs_done)))?;
            self.save_checkpoint(&dir.join("last.ckpt"))?;
        }
        Ok(())
    }
}
