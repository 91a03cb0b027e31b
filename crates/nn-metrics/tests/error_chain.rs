//! A metric error is a whole message with no cause under it, so nothing in a chain that holds
//! one can say it twice; read back from JSON, its text appears once in the reader's error.

use std::error::Error;

use nn_metrics::{ConfusionMatrix, roc_curve};

/// The Display of each error in the chain, outermost first, after checking that no level
/// contains the text of its cause.
fn messages_said_once(error: &(dyn Error + 'static)) -> Vec<String> {
    let mut messages = Vec::new();
    let mut level = Some(error);
    while let Some(e) = level {
        let text = e.to_string();
        if let Some(cause) = e.source() {
            let cause_text = cause.to_string();
            assert!(
                !text.contains(&cause_text),
                "`{text}` repeats its cause `{cause_text}`"
            );
        }
        messages.push(text);
        level = e.source();
    }
    messages
}

#[test]
fn a_metric_on_one_class_only_is_one_message_naming_the_argument() {
    let err = roc_curve(&[1, 1, 1], &[0.2, 0.5, 0.9]).unwrap_err();
    let messages = messages_said_once(&err);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0].matches("`y_true`").count(), 1, "{messages:?}");
}

#[test]
fn a_ragged_confusion_matrix_read_from_json_says_which_row_once() {
    let ragged = r#"{"class_names":["a","b"],"counts":[[1,0],[0]]}"#;
    let err = serde_json::from_str::<ConfusionMatrix>(ragged).unwrap_err();
    let line = messages_said_once(&err).join(": ");
    assert_eq!(line.matches("row 1 has 1 counts").count(), 1, "{line}");
    assert_eq!(line.matches("confusion matrix").count(), 1, "{line}");
}
