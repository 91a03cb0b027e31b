//! Where two JSON descriptions of a run differ, key by key: what `nn train --resume` names
//! when a checkpoint was made with another spec.

use std::collections::BTreeSet;

use serde_json::Value;

/// Every key path at which `there` and `here` differ, as `path (<there> there, <here> here)`,
/// in key order. Objects are compared key by key (a missing key counts as `null`); arrays and
/// scalars are compared whole.
pub(crate) fn differences(there: &Value, here: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk("", there, here, &mut out);
    out
}

fn walk(path: &str, there: &Value, here: &Value, out: &mut Vec<String>) {
    match (there, here) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                let there = a.get(key).unwrap_or(&Value::Null);
                let here = b.get(key).unwrap_or(&Value::Null);
                walk(&child, there, here, out);
            }
        }
        _ if there != here => out.push(format!("{path} ({there} there, {here} here)")),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_each_differing_leaf_with_both_values() {
        let there = json!({"seed": 11, "model": {"hidden": [16], "loss": "mse"}, "a": 1});
        let here = json!({"seed": 12, "model": {"hidden": [32, 8], "loss": "mse"}, "b": true});
        assert_eq!(
            differences(&there, &here),
            [
                "a (1 there, null here)",
                "b (null there, true here)",
                "model.hidden ([16] there, [32,8] here)",
                "seed (11 there, 12 here)",
            ]
        );
        assert!(differences(&there, &there).is_empty());
    }
}
