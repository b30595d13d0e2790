//! The figures the offline brain is held to, measured on the corpus's held-out split only (a model
//! trained on the train split reads lines it has never seen). `cargo run -p pam-nlu --example
//! evaluate` prints the full table.

use pam_nlu::Understander;
use pam_nlu::corpus::{self, Example, Split};
use pam_nlu::eval;

#[test]
fn the_corpus_is_whole_and_split_as_documented() {
    let all = corpus::examples();
    assert_eq!(all.len(), corpus::line_count(), "every corpus line parses");
    assert!(all.len() >= 800);
    let negatives = all.iter().filter(|e| e.negative).count();
    assert!(negatives >= 150, "{negatives} negative sentences");
    let heldout = all.iter().filter(|e| e.split == Split::Heldout).count();
    assert!(heldout * 4 >= all.len(), "at least a quarter held out: {heldout}/{}", all.len());
}

#[test]
fn heldout_split_meets_the_bar() {
    let all = corpus::examples();
    let heldout: Vec<&Example> = all.iter().filter(|e| e.split == Split::Heldout).collect();
    let report = eval::evaluate(Understander::shared(), &heldout);
    let misses: Vec<String> =
        report.outcomes.iter().filter(|o| o.got != o.expected).map(|o| format!("{} → {}", o.expected, o.got)).collect();
    assert!(
        report.negative_writes().is_empty(),
        "writes on negative sentences: {:?}",
        report.negative_writes().iter().map(|o| &o.text).collect::<Vec<_>>()
    );
    assert!(report.unwanted_writes().is_empty(), "writes on sentences that ask for none");
    assert!(
        report.intent_accuracy() >= 0.95,
        "right tool {:.1}% (misses by class: {misses:?})",
        report.intent_accuracy() * 100.0
    );
    assert!(report.slot_accuracy() >= 0.90, "right key arguments {:.1}%", report.slot_accuracy() * 100.0);
}
