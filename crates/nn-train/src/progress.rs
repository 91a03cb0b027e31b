//! Showing a run's progress: a bar on a terminal, one log line per epoch otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::{EpochRecord, ProgressMode};

/// Where epoch summaries go during one call of the fit loop.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    lines: bool,
}

impl Progress {
    pub(crate) fn new(mode: ProgressMode, epochs: usize) -> Self {
        let terminal = std::io::stderr().is_terminal();
        match mode {
            ProgressMode::Silent => Self {
                bar: None,
                lines: false,
            },
            ProgressMode::Auto if terminal => {
                let bar = ProgressBar::new(epochs as u64);
                if let Ok(style) =
                    ProgressStyle::with_template("{bar:30} epoch {pos}/{len} {msg} [{elapsed}]")
                {
                    bar.set_style(style);
                }
                Self {
                    bar: Some(bar),
                    lines: false,
                }
            }
            ProgressMode::Auto | ProgressMode::Lines => Self {
                bar: None,
                lines: true,
            },
        }
    }

    pub(crate) fn resume_at(&self, epochs_done: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(epochs_done as u64);
        }
    }

    pub(crate) fn epoch(&self, record: &EpochRecord, metric: &str) {
        let summary = summary(record, metric);
        if let Some(bar) = &self.bar {
            bar.set_message(summary);
            bar.inc(1);
        } else if self.lines {
            log::info!("epoch {}: {summary}", record.epoch);
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn summary(r: &EpochRecord, metric: &str) -> String {
    let mut s = format!("loss {:.4}", r.train_loss);
    if let Some(m) = r.train_metric {
        s += &format!(" {metric} {m:.4}");
    }
    if let Some(l) = r.val_loss {
        s += &format!(" val_loss {l:.4}");
    }
    if let Some(m) = r.val_metric {
        s += &format!(" val_{metric} {m:.4}");
    }
    s + &format!(" lr {:.3e} ({:.2}s)", r.learning_rate, r.seconds)
}
