//! Friendlier spec errors: an unknown key or value gets the table it sits in and the nearest
//! valid name ("unknown key `epoch` in \[training\]; did you mean `epochs`?"), on top of the
//! parser's list of expected names.

use crate::spec::{ExperimentSpec, SpecError};

/// Parses and validates a spec like [`ExperimentSpec::from_toml`], but an unknown key or
/// variant is reported with the table it appears in and the nearest valid name.
///
/// ```
/// use nn_experiments::spec_suggest::parse_spec;
///
/// let text = "name = \"x\"\n[training]\nepoch = 3\n";
/// let err = parse_spec("spec.toml", text).unwrap_err().to_string();
/// assert!(err.contains("unknown key `epoch` in [training]; did you mean `epochs`?"), "{err}");
/// ```
///
/// # Errors
/// [`SpecError::Parse`] with the improved message, or [`SpecError::InvalidInFile`] from
/// validation (with the line of the offending key).
pub fn parse_spec(source_name: &str, text: &str) -> Result<ExperimentSpec, SpecError> {
    match toml::from_str::<ExperimentSpec>(text) {
        Ok(spec) => match spec.validate() {
            Ok(()) => Ok(spec),
            Err(SpecError::Invalid { field, reason, .. }) => Err(SpecError::InvalidInFile {
                source_name: source_name.to_owned(),
                line: line_of_key(text, &field),
                field,
                reason,
            }),
            Err(other) => Err(other),
        },
        Err(e) => Err(SpecError::Parse {
            source_name: source_name.to_owned(),
            message: explain(text, e.message(), e.span()),
        }),
    }
}

/// Rewrites a parser message about an unknown field or variant; other messages get their line.
fn explain(text: &str, message: &str, span: Option<std::ops::Range<usize>>) -> String {
    let line = span
        .as_ref()
        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
    let at = line.map_or_else(String::new, |l| format!("line {l}: "));
    for (prefix, what) in [("unknown field `", "key"), ("unknown variant `", "value")] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let Some((name, tail)) = rest.split_once('`') else {
            continue;
        };
        let expected = expected_names(tail);
        let place = span
            .as_ref()
            .map(|s| format!(" in {}", enclosing_table(text, s.start)))
            .unwrap_or_default();
        let hint = nearest(name, &expected)
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        let list = if expected.is_empty() {
            String::new()
        } else {
            format!(
                " (valid: {})",
                expected
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return format!("{at}unknown {what} `{name}`{place}{hint}{list}");
    }
    format!("{at}{message}")
}

/// The line (from 1) where the dotted key `field` is written: `a.b.c` is looked for as `b`
/// (or `b.c`) in table `[a]`, or as a top-level key; the line of the table itself when the
/// key is not written there (a default), `None` when neither is.
fn line_of_key(text: &str, field: &str) -> Option<usize> {
    let (table, key) = match field.split_once('.') {
        Some((table, rest)) => (Some(table), rest.split('.').next().unwrap_or(rest)),
        None => (None, field),
    };
    let mut in_table = table.is_none();
    let mut table_line = None;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            let name = line.trim_matches(|c| c == '[' || c == ']').trim();
            in_table = table == Some(name);
            if in_table {
                table_line = Some(index + 1);
            }
            continue;
        }
        let written = line
            .split_once('=')
            .map(|(k, _)| k.trim())
            .is_some_and(|k| k == key || k.split('.').next() == Some(key));
        if in_table && written {
            return Some(index + 1);
        }
    }
    table_line
}

/// The back-quoted names of ", expected one of `a`, `b`" or ", expected `a` or `b`".
fn expected_names(tail: &str) -> Vec<String> {
    let Some((_, list)) = tail.split_once("expected") else {
        return Vec::new();
    };
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// `[training]`, `[training] optimizer` (an inline table) or `the top level`, for a byte
/// offset of the spec text.
fn enclosing_table(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let header = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && !l.starts_with("[\""))
        .map(|l| l.split('#').next().unwrap_or(l).trim().to_owned());
    // The parser's span of an unknown key in an inline table starts at the table's `{`:
    // count that brace as before the key.
    let end = if text.as_bytes().get(offset) == Some(&b'{') {
        offset + 1
    } else {
        offset
    };
    let before = &text[line_start..end];
    let inline = before
        .rfind('{')
        .and_then(|brace| before[..brace].rfind('=').map(|eq| before[..eq].trim()))
        .map(|key| key.rsplit([' ', ',', '{']).next().unwrap_or(key).to_owned())
        .filter(|k| !k.is_empty());
    match (header, inline) {
        (Some(h), Some(k)) => format!("{h} {k}"),
        (Some(h), None) => h,
        (None, Some(k)) => format!("`{k}`"),
        (None, None) => "the top level".to_owned(),
    }
}

/// The candidate closest to `name` by edit distance, if it is close enough to be a typo
/// (at most a third of the longer name, and at least one edit allowed).
pub fn nearest<'a>(name: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= (name.len().max(c.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

/// Edit distance over characters: insert, delete, substitute, and swap two neighbours
/// (`adma` → `adam`, the commonest typo) each cost one (optimal string alignment).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table: i − 2, i − 1 and i.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let substitution = previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut d = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("epoch", "epochs"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        // A swap of two neighbours is one edit.
        assert_eq!(edit_distance("adma", "adam"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("abc", "ca"), 3);
    }

    #[test]
    fn nearest_suggests_only_plausible_typos() {
        let c = names(&["epochs", "batch_size", "optimizer"]);
        assert_eq!(nearest("epoch", &c), Some("epochs"));
        assert_eq!(nearest("batchsize", &c), Some("batch_size"));
        assert_eq!(nearest("zzz", &c), None);
    }

    #[test]
    fn unknown_keys_name_table_and_suggestion() {
        let text = "name = \"x\"\n\n[training]\nepochs = 2\nbatch_sise = 4\n";
        let err = parse_spec("s.toml", text).unwrap_err().to_string();
        assert!(
            err.contains("unknown key `batch_sise` in [training]; did you mean `batch_size`?"),
            "{err}"
        );
        assert!(err.contains("line 5"), "{err}");
        let text = "nme = \"x\"\n";
        let err = parse_spec("s.toml", text).unwrap_err().to_string();
        assert!(
            err.contains("in the top level; did you mean `name`?"),
            "{err}"
        );
    }

    #[test]
    fn invalid_values_name_the_file_and_line() {
        let example = include_str!("../../../examples/iris-csv/spec.toml");
        let line_with =
            |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).map(|i| i + 1);
        let text = example.replacen("test_ratio = 0.2", "test_ratio = 1.5", 1);
        let line = line_with(&text, "test_ratio = 1.5").expect("the example sets test_ratio");
        let err = parse_spec("s.toml", &text).unwrap_err().to_string();
        let expected = format!("spec s.toml: line {line}: `split.test_ratio` is 1.5");
        assert!(err.starts_with(&expected), "{err}");
        // A key inside an inline table is found by the line of the table's key.
        let text = example.replacen("lr = 0.01", "lr = -1.0", 1);
        let line = line_with(&text, "lr = -1.0").expect("the example sets lr");
        let err = parse_spec("s.toml", &text).unwrap_err().to_string();
        let expected = format!("spec s.toml: line {line}: `training.optimizer`");
        assert!(err.starts_with(&expected), "{err}");
        assert_eq!(line_of_key("name = \"\"\n", "name"), Some(1));
        assert_eq!(
            line_of_key("[model]\nhidden = [4]\n", "model.dropout"),
            Some(1)
        );
        assert_eq!(line_of_key("a = 1\n", "split.test_ratio"), None);
    }

    #[test]
    fn inline_tables_and_variants_are_explained() {
        let text = "[training]\noptimizer = { kind = \"sgd\", lrr = 0.1 }\n";
        let err = parse_spec("s.toml", text).unwrap_err().to_string();
        assert!(
            err.contains("unknown key `lrr` in [training] optimizer"),
            "{err}"
        );
        assert!(err.contains("did you mean `lr`?"), "{err}");
        let text = "[training]\noptimizer = { kind = \"adma\", lr = 0.1 }\n";
        let err = parse_spec("s.toml", text).unwrap_err().to_string();
        assert!(err.contains("did you mean `adam`?"), "{err}");
        let text = "[model]\nactivation = \"rellu\"\n";
        let err = parse_spec("s.toml", text).unwrap_err().to_string();
        assert!(err.contains("unknown value `rellu`"), "{err}");
        assert!(err.contains("did you mean `relu`?"), "{err}");
    }
}
