//! An error and its causes as one line, each said once.

/// The error and its chain of causes joined by `": "`, leaving out a cause the line already
/// ends with: many errors quote their cause at the end of their own message (`model file
/// m.nn: I/O error on m.nn: No such file…`), which `{:#}` would print two or three times.
pub fn error_text(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if line.is_empty() {
            line = text;
        } else if !line.ends_with(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("model file m.nn: {source}")]
    struct Quoting {
        source: std::io::Error,
    }

    #[test]
    fn a_quoted_cause_is_said_once_and_a_new_one_is_added() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let error = anyhow::Error::new(Quoting { source: io }).context("cannot evaluate");
        assert_eq!(format!("{error:#}").matches("no such file").count(), 2);
        assert_eq!(
            error_text(&error),
            "cannot evaluate: model file m.nn: no such file"
        );
        let plain = anyhow::anyhow!("bad value").context("reading spec.toml");
        assert_eq!(error_text(&plain), "reading spec.toml: bad value");
    }
}
