//! Hostile input against the real `nn` binary: outputs that alias inputs, links, devices and
//! folders; two runs into one folder; and the bad files users and attackers give. Each case
//! asserts the exit status (1 for an error, 2 for a bad command line; never a signal, an abort
//! or a panic), the message's key words, and that every file the user had is unchanged.
//!
//! Every run is bounded: at most [`TIME_LIMIT`] of wall time and [`MEMORY_LIMIT_KB`] of
//! address space, so a regression that reads `/dev/zero` forever or allocates without limit
//! fails its test instead of hanging the suite or exhausting the machine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NN: &str = env!("CARGO_BIN_EXE_nn");

/// The longest any run may take.
const TIME_LIMIT: Duration = Duration::from_secs(10);

/// The address space a run may reserve (`ulimit -v`, in KiB): far above what these small
/// inputs need, far below what an unchecked allocation reaches.
const MEMORY_LIMIT_KB: u64 = 4 * 1024 * 1024;

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("nn-hostile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a run of `nn` gave.
struct Run {
    /// The exit code; `None` when a signal ended it.
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `nn args` in `dir` with the time and memory bounds; kills it and fails the test when
/// it runs past [`TIME_LIMIT`].
fn nn_in(dir: &TempDir, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let out = dir.path(".stdout");
    let err = dir.path(".stderr");
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_LIMIT_KB}; exec \"$0\" \"$@\""))
        .arg(NN)
        .args(args)
        .current_dir(&dir.0)
        .env("RUST_LOG", "warn")
        .env("NN_THREADS", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"));
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("run nn");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for nn") {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nn {args:?} ran past {TIME_LIMIT:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let run = Run {
        code: status.code(),
        stdout: read(&out),
        stderr: read(&err),
    };
    let _ = std::fs::remove_file(&out);
    let _ = std::fs::remove_file(&err);
    run
}

/// Runs `nn args` in `dir`, asserting success.
fn ok(dir: &TempDir, args: &[&str]) -> Run {
    let run = nn_in(dir, args, &[]);
    assert_eq!(run.code, Some(0), "nn {args:?} failed:\n{}", run.stderr);
    run
}

/// Asserts a clean refusal: exit 1 (not a signal, an abort or a panic), one `error:` message
/// holding every key word.
fn assert_refused(run: &Run, keys: &[&str]) {
    let err = &run.stderr;
    assert!(!err.contains("panicked"), "a panic:\n{err}");
    assert!(!err.contains("memory allocation"), "an abort:\n{err}");
    assert_eq!(run.code, Some(1), "exit status (None: a signal):\n{err}");
    assert!(err.contains("error: "), "{err}");
    for key in keys {
        assert!(err.contains(key), "`{key}` missing from:\n{err}");
    }
}

/// Runs `nn args` in `dir` and asserts a clean refusal naming every key word.
fn refused(dir: &TempDir, args: &[&str], keys: &[&str]) -> Run {
    let run = nn_in(dir, args, &[]);
    assert_refused(&run, keys);
    run
}

/// What a user has in a folder: each file's bytes, or where each link points.
#[derive(Debug, PartialEq, Eq)]
enum Entry {
    File(Vec<u8>),
    Link(PathBuf),
    Other(String),
}

/// Every entry under `dir` (recursively), by path.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Entry> {
    let mut entries = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("read dir") {
            let path = entry.expect("entry").path();
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            let kind = if meta.is_symlink() {
                Entry::Link(std::fs::read_link(&path).expect("link"))
            } else if meta.is_file() {
                Entry::File(std::fs::read(&path).expect("read"))
            } else if meta.is_dir() {
                pending.push(path.clone());
                Entry::Other("directory".into())
            } else {
                Entry::Other(format!("{:?}", meta.file_type()))
            };
            entries.insert(path, kind);
        }
    }
    entries
}

/// Asserts that every entry of `before` is still there, unchanged (new files may exist).
fn assert_intact(before: &BTreeMap<PathBuf, Entry>, dir: &Path) {
    let now = snapshot(dir);
    for (path, entry) in before {
        assert_eq!(now.get(path), Some(entry), "{} changed", path.display());
    }
}

fn classification_csv() -> String {
    let mut s = String::from("x1,x2,label\n");
    for i in 0..30 {
        let class = i % 3;
        let jitter = ((i * 37) % 11) as f64 / 20.0;
        s.push_str(&format!(
            "{},{},{}\n",
            class as f64 + jitter,
            jitter - class as f64,
            ["cat", "dog", "fox"][class]
        ));
    }
    s
}

fn spec(csv: &str, hidden: &str, training_extra: &str) -> String {
    format!(
        r#"name = "hostile"
seed = 3

[data]
csv = "{csv}"
target = "label"
task = "classification"

[split]
test_ratio = 0.2

[model]
hidden = {hidden}
activation = "tanh"
init = "xavier_uniform"
loss = "cross_entropy"

[training]
epochs = 3
batch_size = 8
optimizer = {{ kind = "adam", lr = 0.05 }}
{training_extra}
"#
    )
}

/// A folder with `train.csv`, `spec.toml` and a model trained from them in `run/`.
fn trained(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    dir.write("train.csv", classification_csv());
    dir.write("spec.toml", spec("train.csv", "[4]", ""));
    ok(&dir, &["train", "spec.toml", "--out", "run", "--quiet"]);
    dir
}

#[test]
fn predict_never_writes_over_its_data_file() {
    let dir = trained("predict-data");
    let before = snapshot(&dir.0);
    let aliases = ["train.csv", "./train.csv", "run/../train.csv"];
    for output in aliases {
        refused(
            &dir,
            &["predict", "run/model.nn", "train.csv", "--output", output],
            &[
                output,
                "same file as the data file",
                "choose another output path",
            ],
        );
    }
    std::fs::hard_link(dir.path("train.csv"), dir.path("hard.csv")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("train.csv", dir.path("soft.csv")).unwrap();
    let before_links = snapshot(&dir.0);
    for output in ["hard.csv", "soft.csv"] {
        if dir.path(output).exists() {
            refused(
                &dir,
                &["predict", "run/model.nn", "train.csv", "--output", output],
                &["same file as the data file", "train.csv"],
            );
        }
    }
    assert_intact(&before, &dir.0);
    assert_intact(&before_links, &dir.0);
    assert!(!dir.path("train.csv.partial").exists());
}

#[test]
fn predict_and_export_never_write_over_the_model() {
    let dir = trained("model-output");
    let before = snapshot(&dir.0);
    refused(
        &dir,
        &[
            "predict",
            "run/model.nn",
            "train.csv",
            "--output",
            "run/model.nn",
        ],
        &["same file as the model", "run/model.nn"],
    );
    refused(
        &dir,
        &["export", "run/model.nn", "--safetensors", "run/model.nn"],
        &["same file as the model", "choose another output path"],
    );
    refused(
        &dir,
        &[
            "export",
            "run/model.nn",
            "--safetensors",
            "./run/./model.nn",
        ],
        &["same file as the model"],
    );
    assert_intact(&before, &dir.0);
    // The model still works, and export to a new file does.
    ok(
        &dir,
        &["export", "run/model.nn", "--safetensors", "m.safetensors"],
    );
    ok(&dir, &["summary", "run/model.nn"]);
}

#[cfg(unix)]
#[test]
fn an_output_link_is_written_through_and_stays_a_link() {
    let dir = trained("links");
    dir.write("kept.csv", "old predictions\n");
    std::os::unix::fs::symlink("kept.csv", dir.path("latest.csv")).unwrap();
    ok(
        &dir,
        &[
            "predict",
            "run/model.nn",
            "train.csv",
            "--output",
            "latest.csv",
        ],
    );
    let link = std::fs::symlink_metadata(dir.path("latest.csv")).unwrap();
    assert!(link.is_symlink(), "the link was replaced by a file");
    let written = std::fs::read_to_string(dir.path("kept.csv")).unwrap();
    assert!(written.starts_with("prediction,"), "{written}");
    assert_eq!(written.lines().count(), 31);
    // A link to nothing is refused, and stays as it was.
    std::os::unix::fs::symlink("absent.csv", dir.path("dangling.csv")).unwrap();
    let before = snapshot(&dir.0);
    refused(
        &dir,
        &[
            "predict",
            "run/model.nn",
            "train.csv",
            "--output",
            "dangling.csv",
        ],
        &["dangling.csv", "symbolic link", "does not exist"],
    );
    assert_intact(&before, &dir.0);
    assert!(!dir.path("absent.csv").exists());
}

#[test]
fn outputs_that_are_not_regular_files_are_refused() {
    let dir = trained("special");
    std::fs::create_dir(dir.path("folder")).unwrap();
    let before = snapshot(&dir.0);
    refused(
        &dir,
        &["predict", "run/model.nn", "train.csv", "--output", "folder"],
        &[
            "cannot write folder: it is a directory",
            "give the path of a file",
        ],
    );
    refused(
        &dir,
        &["export", "run/model.nn", "--safetensors", "folder"],
        &["cannot write folder: it is a directory"],
    );
    assert_intact(&before, &dir.0);
    if Path::new("/dev/null").exists() {
        refused(
            &dir,
            &[
                "predict",
                "run/model.nn",
                "train.csv",
                "--output",
                "/dev/null",
            ],
            &[
                "cannot write /dev/null: it is a character device",
                "not a regular file",
            ],
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let kind = std::fs::symlink_metadata("/dev/null").unwrap().file_type();
            assert!(kind.is_char_device(), "/dev/null was replaced");
        }
    }
    // A FIFO is refused without being opened (opening it would block).
    if Command::new("mkfifo")
        .arg(dir.path("pipe"))
        .status()
        .is_ok_and(|s| s.success())
    {
        refused(
            &dir,
            &["export", "run/model.nn", "--safetensors", "pipe"],
            &["cannot write pipe: it is a FIFO"],
        );
    }
}

#[test]
fn train_never_writes_over_its_spec_or_data() {
    let dir = TempDir::new("train-aliases");
    dir.write("train.csv", classification_csv());
    dir.write("spec.toml", spec("train.csv", "[4]", ""));
    std::fs::create_dir(dir.path("run")).unwrap();
    std::fs::hard_link(dir.path("train.csv"), dir.path("run/history.csv")).unwrap();
    let before = snapshot(&dir.0);
    refused(
        &dir,
        &["train", "spec.toml", "--out", "run", "--quiet"],
        &[
            "run/history.csv",
            "same file as the training data",
            "train.csv",
        ],
    );
    assert_intact(&before, &dir.0);
    assert!(
        !dir.path("run/model.nn").exists(),
        "refused before any work"
    );
    // The spec as the model's path: refused too.
    std::fs::remove_file(dir.path("run/history.csv")).unwrap();
    std::fs::hard_link(dir.path("spec.toml"), dir.path("run/model.nn")).unwrap();
    let before = snapshot(&dir.0);
    refused(
        &dir,
        &["train", "spec.toml", "--out", "run", "--quiet"],
        &["run/model.nn", "same file as the spec"],
    );
    assert_intact(&before, &dir.0);
}

#[test]
fn a_folder_another_run_writes_is_refused_and_a_stale_lock_taken_over() {
    let dir = TempDir::new("lock");
    dir.write("train.csv", classification_csv());
    dir.write("spec.toml", spec("train.csv", "[4]", ""));
    ok(&dir, &["train", "spec.toml", "--out", "run", "--quiet"]);
    assert!(!dir.path("run/.nn-train.lock").exists(), "released on exit");
    let before = snapshot(&dir.0);
    {
        // This process plays the other run, holding the folder's lock.
        let _lock = nn_cli::run_lock::RunLock::acquire(&dir.path("run")).unwrap();
        refused(
            &dir,
            &["train", "spec.toml", "--out", "run", "--quiet"],
            &[
                "run is being written by another `nn train` run",
                &format!("pid {}", std::process::id()),
                "another --out",
            ],
        );
        let mut with_lock = before;
        with_lock.insert(
            dir.path("run/.nn-train.lock"),
            Entry::File(format!("pid {}\n", std::process::id()).into_bytes()),
        );
        assert_intact(&with_lock, &dir.0);
    }
    // A lock file left by a run killed with -9: taken over with a note, then removed.
    dir.write("run/.nn-train.lock", "pid 4000000\n");
    let run = ok(&dir, &["train", "spec.toml", "--out", "run", "--quiet"]);
    assert!(run.stderr.contains("pid 4000000"), "{}", run.stderr);
    assert!(
        run.stderr.contains("takes the folder over"),
        "{}",
        run.stderr
    );
    assert!(!dir.path("run/.nn-train.lock").exists());
    // A failed run releases the lock too.
    dir.write("bad.toml", spec("missing.csv", "[4]", ""));
    refused(
        &dir,
        &["train", "bad.toml", "--out", "run"],
        &["missing.csv"],
    );
    assert!(!dir.path("run/.nn-train.lock").exists());
}

#[test]
fn two_real_runs_into_one_folder_the_second_is_refused() {
    let dir = TempDir::new("two-runs");
    dir.write("train.csv", classification_csv());
    dir.write(
        "long.toml",
        spec("train.csv", "[4]", "").replace("epochs = 3", "epochs = 100000000"),
    );
    dir.write("spec.toml", spec("train.csv", "[4]", ""));
    let mut first = Command::new(NN)
        .args(["train", "long.toml", "--out", "run", "--quiet"])
        .current_dir(&dir.0)
        .env("RUST_LOG", "warn")
        .env("NN_THREADS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the first run");
    let start = Instant::now();
    // The lock file names its process once the lock is held.
    let locked = || {
        std::fs::read_to_string(dir.path("run/.nn-train.lock"))
            .is_ok_and(|text| text.starts_with("pid "))
    };
    while !locked() && start.elapsed() < TIME_LIMIT {
        std::thread::sleep(Duration::from_millis(10));
    }
    let second = nn_in(
        &dir,
        &["train", "spec.toml", "--out", "run", "--quiet"],
        &[],
    );
    let _ = first.kill();
    let _ = first.wait();
    assert_refused(
        &second,
        &["another `nn train` run", &format!("pid {}", first.id())],
    );
    assert!(!dir.path("run/model.nn").exists(), "{}", second.stderr);
}

#[test]
fn a_command_line_that_does_not_parse_exits_with_2() {
    let dir = TempDir::new("usage");
    for args in [
        &["train"][..],
        &["predict", "m.nn"],
        &["export", "m.nn"],
        &["fly"],
    ] {
        let run = nn_in(&dir, args, &[]);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("Usage"), "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn a_network_too_large_for_memory_is_refused_not_aborted() {
    let dir = TempDir::new("huge-net");
    dir.write("train.csv", classification_csv());
    dir.write("huge.toml", spec("train.csv", "[1000000000000]", ""));
    let before = snapshot(&dir.0);
    refused(&dir, &["train", "huge.toml", "--out", "run"], &["hidden"]);
    assert_intact(&before, &dir.0);
}

#[test]
fn a_network_larger_than_the_machine_is_refused_with_its_size() {
    let dir = TempDir::new("large-net");
    dir.write("train.csv", classification_csv());
    dir.write("large.toml", spec("train.csv", "[100000000]", ""));
    let before = snapshot(&dir.0);
    refused(
        &dir,
        &["train", "large.toml", "--out", "run"],
        &["hidden", "B"],
    );
    assert_intact(&before, &dir.0);
}

#[cfg(unix)]
#[test]
fn dev_zero_as_spec_model_or_checkpoint_is_refused_in_bounded_time() {
    let dir = trained("dev-zero");
    let before = snapshot(&dir.0);
    refused(&dir, &["train", "/dev/zero", "--out", "z"], &["/dev/zero"]);
    refused(&dir, &["summary", "/dev/zero"], &["/dev/zero"]);
    refused(&dir, &["predict", "/dev/zero", "train.csv"], &["/dev/zero"]);
    refused(
        &dir,
        &["export", "/dev/zero", "--safetensors", "z.safetensors"],
        &["/dev/zero"],
    );
    refused(
        &dir,
        &[
            "train",
            "spec.toml",
            "--out",
            "run2",
            "--resume",
            "/dev/zero",
        ],
        &["/dev/zero"],
    );
    assert_intact(&before, &dir.0);
}

#[test]
fn a_class_name_longer_than_65535_characters_is_no_panic() {
    let dir = TempDir::new("long-class");
    let long = "k".repeat(70_000);
    let csv = classification_csv().replace("fox", &long);
    dir.write("train.csv", &csv);
    dir.write("spec.toml", spec("train.csv", "[4]", ""));
    let before = snapshot(&dir.0);
    for args in [
        &["train", "spec.toml", "--out", "run", "--quiet"][..],
        &["evaluate", "run/model.nn", "train.csv"],
    ] {
        let run = nn_in(&dir, args, &[]);
        assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
        assert!(
            run.stdout.contains("kkkkkkkkkk"),
            "{args:?}: the class is named"
        );
    }
    assert_intact(&before, &dir.0);
}

#[test]
fn an_unterminated_quote_is_named_as_such() {
    let dir = trained("quote");
    let csv = format!("{}\"1.5,2,cat\n", classification_csv());
    dir.write("quoted.csv", &csv);
    dir.write("quoted.toml", spec("quoted.csv", "[4]", ""));
    let before = snapshot(&dir.0);
    refused(
        &dir,
        &["train", "quoted.toml", "--out", "q"],
        &["quoted.csv", "line 32", "never closed"],
    );
    refused(
        &dir,
        &["predict", "run/model.nn", "quoted.csv"],
        &["quoted.csv", "line 32", "never closed"],
    );
    assert_intact(&before, &dir.0);
}

#[test]
fn a_number_too_large_for_f32_is_not_called_infinite() {
    let dir = trained("f32-range");
    let csv = classification_csv().replacen("\n0,", "\n1e308,", 1);
    dir.write("big.csv", &csv);
    let before = snapshot(&dir.0);
    let run = refused(
        &dir,
        &["evaluate", "run/model.nn", "big.csv"],
        &["big.csv", "1e308", "does not fit an f32"],
    );
    assert!(
        !run.stderr.contains("not a finite number"),
        "{}",
        run.stderr
    );
    assert_intact(&before, &dir.0);
}

#[test]
fn a_spec_float_too_large_for_f32_is_named_by_its_key() {
    let dir = TempDir::new("spec-f32-range");
    dir.write("train.csv", classification_csv());
    dir.write(
        "lr.toml",
        spec("train.csv", "[4]", "").replace("lr = 0.05", "lr = 1e308"),
    );
    let before = snapshot(&dir.0);
    let run = refused(
        &dir,
        &["train", "lr.toml", "--out", "lr"],
        &["lr.toml", "`training.optimizer`", "`lr`", "f32"],
    );
    assert!(
        !run.stderr.contains("not a finite number"),
        "{}",
        run.stderr
    );
    assert_intact(&before, &dir.0);
    assert!(!dir.path("lr").exists(), "a refused run leaves no folder");
}

#[test]
fn a_non_utf8_spec_is_refused_with_its_position() {
    let dir = TempDir::new("non-utf8");
    dir.write("train.csv", classification_csv());
    let mut bytes = spec("train.csv", "[4]", "").into_bytes();
    bytes.splice(0..0, b"# caf\xe9\n".iter().copied());
    dir.write("latin1.toml", &bytes);
    let before = snapshot(&dir.0);
    refused(
        &dir,
        &["train", "latin1.toml", "--out", "run"],
        &["latin1.toml", "not UTF-8", "line 1, column 6"],
    );
    assert_intact(&before, &dir.0);
}

#[test]
fn forty_thousand_columns_with_a_duplicate_are_refused_fast() {
    let dir = TempDir::new("wide");
    let n = 40_000;
    let names: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    let csv = format!(
        "{},c7,label\n{},cat\n{},dog\n",
        names.join(","),
        vec!["1"; n + 1].join(","),
        vec!["2"; n + 1].join(",")
    );
    dir.write("wide.csv", &csv);
    dir.write("wide.toml", spec("wide.csv", "[4]", ""));
    let before = snapshot(&dir.0);
    refused(
        &dir,
        &["train", "wide.toml", "--out", "run"],
        &["wide.csv", "`c7` appears twice"],
    );
    assert_intact(&before, &dir.0);
}

#[test]
fn forty_thousand_distinct_columns_train_in_seconds() {
    let dir = TempDir::new("wide-distinct");
    let n = 40_000;
    let names: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    let rows: String = (0..10)
        .map(|r| {
            format!(
                "{},{}\n",
                vec![(r % 3).to_string(); n].join(","),
                ["cat", "dog"][r % 2]
            )
        })
        .collect();
    dir.write("wide.csv", format!("{},label\n{rows}", names.join(",")));
    dir.write(
        "wide.toml",
        spec("wide.csv", "[4]", "").replace("epochs = 3", "epochs = 1"),
    );
    let before = snapshot(&dir.0);
    ok(&dir, &["train", "wide.toml", "--out", "run", "--quiet"]);
    assert_intact(&before, &dir.0);
}

#[test]
fn a_built_in_data_set_is_verified_and_mnist_does_not_reach_nn() {
    let dir = TempDir::new("data-dir");
    let data = dir.path("datasets");
    std::fs::create_dir_all(data.join("iris")).unwrap();
    let iris = format!(
        "{}/../../datasets/iris/iris.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let spec = spec("unused.csv", "[4]", "").replace(
        "csv = \"unused.csv\"\ntarget = \"label\"\ntask = \"classification\"",
        "set = \"iris\"",
    );
    dir.write("builtin.toml", &spec);
    let env = [("NN_DATA_DIR", data.as_path())];
    let args = ["train", "builtin.toml", "--out", "run", "--quiet"];
    let zeros = "0".repeat(64);
    // SHA256SUMS lists a file that is missing.
    dir.write("datasets/SHA256SUMS", format!("{zeros}  iris/iris.csv\n"));
    assert_refused(&nn_in(&dir, &args, &env), &["iris/iris.csv is missing"]);
    // The file is there but is not the one listed.
    std::fs::copy(&iris, data.join("iris/iris.csv")).unwrap();
    let before = snapshot(&dir.0);
    assert_refused(&nn_in(&dir, &args, &env), &["checksum mismatch", &zeros]);
    // The file is not listed at all.
    dir.write("datasets/SHA256SUMS", "");
    assert_refused(&nn_in(&dir, &args, &env), &["iris/iris.csv has no line"]);
    // MNIST (IDX, gzip) is not read by `nn`: a gzip bomb in its place cannot reach it.
    dir.write(
        "mnist.toml",
        spec.replace("set = \"iris\"", "set = \"mnist\""),
    );
    let mnist = ["train", "mnist.toml", "--out", "run", "--quiet"];
    assert_refused(&nn_in(&dir, &mnist, &env), &["`mnist` is not a CSV table"]);
    let mut after_sums = before;
    after_sums.insert(data.join("SHA256SUMS"), Entry::File(Vec::new()));
    assert_intact(&after_sums, &dir.0);
}
