//! `Debug` for medical types that shows no medical content: a value printed by mistake (a `{:?}` in a
//! log line, a panic message) says what it is, never what it holds.

/// Implements `Debug` as `TypeName([redacted])`.
macro_rules! redacted_debug {
    ($($name:ty),+ $(,)?) => {
        $(
            impl std::fmt::Debug for $name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    write!(f, "{}([redacted])", stringify!($name))
                }
            }
        )+
    };
}
pub(crate) use redacted_debug;

#[cfg(test)]
mod tests {
    use crate::records::NewRecord;

    #[test]
    fn debug_output_holds_no_medical_text() {
        let record: NewRecord =
            serde_json::from_value(serde_json::json!({"title": "Warfarin 5mg", "summary": "INR 2.4"})).unwrap();
        let shown = format!("{record:?}");
        assert_eq!(shown, "NewRecord([redacted])");
    }
}
