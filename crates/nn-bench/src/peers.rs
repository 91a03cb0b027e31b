//! The peers: the same workload run by PyTorch and by a NumPy implementation in the studies'
//! style (`crates/nn-bench/peers/*.py`), when a Python with those packages is found. Each script prints
//! one JSON line per thread count and batch size.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::Timing;

/// Python used for the peers when `$NN_PEERS_PYTHON` is not set.
const DEFAULT_PEERS_PYTHON: &str = "/opt/peers/bin/python";

/// Environment variable naming the Python interpreter of the peers.
const PEERS_PYTHON_ENV: &str = "NN_PEERS_PYTHON";

/// One peer measurement, as printed by the peer scripts.
#[derive(Debug, Clone)]
pub(crate) struct PeerResult {
    pub(crate) peer: String,
    pub(crate) threads: usize,
    pub(crate) batch: usize,
    pub(crate) timing: Timing,
}

/// What the peer scripts print, one JSON object per line.
#[derive(Debug, serde::Deserialize)]
struct PeerLine {
    peer: String,
    threads: usize,
    batch: usize,
    epoch_seconds: Vec<f64>,
    #[serde(default)]
    cpu_seconds: Vec<f64>,
}

/// The workspace root, from this crate's manifest directory (`crates/nn-experiments`).
fn peer_scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("peers")
}

/// The peers' Python, if it exists.
fn peers_python() -> Option<PathBuf> {
    let path = match std::env::var_os(PEERS_PYTHON_ENV) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(DEFAULT_PEERS_PYTHON),
    };
    path.exists().then_some(path)
}

/// Whether `python` can import `module`.
fn has_module(python: &Path, module: &str) -> bool {
    Command::new(python)
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Runs one peer script and parses its JSON lines.
fn run_peer(
    python: &Path,
    script: &str,
    mnist_dir: &Path,
    batches: &[usize],
    epochs: usize,
    threads: usize,
) -> Result<Vec<PeerResult>> {
    let script_path = peer_scripts_dir().join(script);
    let mut cmd = Command::new(python);
    cmd.arg(&script_path)
        .arg(mnist_dir)
        .args(["--epochs", &epochs.to_string()])
        .args(["--threads", &threads.to_string()]);
    for b in batches {
        cmd.args(["--batch", &b.to_string()]);
    }
    let output = cmd
        .output()
        .with_context(|| format!("could not start {}", python.display()))?;
    if !output.status.success() {
        bail!(
            "{} failed ({}):\n{}",
            script_path.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| l.trim_start().starts_with('{'))
        .map(|line| {
            let p: PeerLine = serde_json::from_str(line)
                .with_context(|| format!("unexpected line from {script}: {line}"))?;
            Ok(PeerResult {
                peer: p.peer,
                threads: p.threads,
                batch: p.batch,
                timing: Timing::new(p.epoch_seconds).with_cpu(p.cpu_seconds),
            })
        })
        .collect()
}

/// Runs every available peer; prints a note for each one that is skipped.
pub(crate) fn run_peers(
    batches: &[usize],
    peer_epochs: usize,
    mnist_dir: &Path,
    physical_cores: usize,
) -> Vec<PeerResult> {
    let Some(python) = peers_python() else {
        println!(
            "peers: skipped (no Python at ${PEERS_PYTHON_ENV} or {DEFAULT_PEERS_PYTHON}; \
             install torch and numpy there to compare)"
        );
        return Vec::new();
    };
    let mut results = Vec::new();
    let mut run = |script: &str, threads: usize| {
        eprintln!("running {script} with {threads} thread(s)...");
        match run_peer(&python, script, mnist_dir, batches, peer_epochs, threads) {
            Ok(r) => results.extend(r),
            Err(e) => println!("peer {script} ({threads} threads) failed: {e:#}"),
        }
    };
    let thread_counts: Vec<usize> = if physical_cores > 1 {
        vec![1, physical_cores]
    } else {
        vec![1]
    };
    if has_module(&python, "torch") {
        for &t in &thread_counts {
            run("pytorch_epoch.py", t);
        }
    } else {
        println!(
            "peers: PyTorch skipped (torch is not importable by {})",
            python.display()
        );
    }
    if has_module(&python, "numpy") && has_module(&python, "threadpoolctl") {
        run("numpy_epoch.py", 1);
    } else {
        println!(
            "peers: NumPy skipped (numpy and threadpoolctl are not importable by {})",
            python.display()
        );
    }
    results
}

/// The fastest (lowest median) peer result of `peer` at `batch`, over thread counts.
pub(crate) fn best_peer<'a>(
    peers: &'a [PeerResult],
    peer: &str,
    batch: usize,
) -> Option<&'a PeerResult> {
    peers
        .iter()
        .filter(|p| p.peer == peer && p.batch == batch)
        .min_by(|a, b| a.timing.median().total_cmp(&b.timing.median()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peer_lines_parse_with_and_without_cpu_times() {
        let with: PeerLine = serde_json::from_str(
            r#"{"peer": "pytorch", "threads": 2, "batch": 64, "epoch_seconds": [2.0, 1.0],
                "cpu_seconds": [3.5, 3.0], "last_loss": 0.1}"#,
        )
        .expect("valid line");
        assert_eq!(
            (with.peer.as_str(), with.threads, with.batch),
            ("pytorch", 2, 64)
        );
        let timing = Timing::new(with.epoch_seconds).with_cpu(with.cpu_seconds);
        assert_eq!(timing.median(), 1.5);
        assert_eq!(timing.cpu_note(), ", CPU 3.250 s");
        let without: PeerLine = serde_json::from_str(
            r#"{"peer": "numpy", "threads": 1, "batch": 32, "epoch_seconds": [4.0]}"#,
        )
        .expect("valid line");
        assert!(without.cpu_seconds.is_empty());
        assert_eq!(Timing::new(without.epoch_seconds).cpu_note(), "");
    }

    #[test]
    fn best_peer_takes_the_lowest_median_of_that_peer_and_batch() {
        let result = |peer: &str, threads, batch, secs: f64| PeerResult {
            peer: peer.to_owned(),
            threads,
            batch,
            timing: Timing::new(vec![secs]),
        };
        let peers = vec![
            result("pytorch", 1, 64, 3.0),
            result("pytorch", 2, 64, 2.0),
            result("pytorch", 2, 32, 1.0),
            result("numpy", 1, 64, 0.5),
        ];
        let best = best_peer(&peers, "pytorch", 64).expect("two candidates");
        assert_eq!((best.threads, best.timing.median()), (2, 2.0));
        assert!(best_peer(&peers, "pytorch", 128).is_none());
    }

    #[test]
    fn peer_scripts_are_found_beside_the_crate() {
        for script in ["pytorch_epoch.py", "numpy_epoch.py", "mnist_idx.py"] {
            let path = peer_scripts_dir().join(script);
            assert!(path.is_file(), "{} is missing", path.display());
        }
    }
}
