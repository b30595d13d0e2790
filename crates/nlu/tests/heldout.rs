//! The figures the offline brain is held to, measured on the corpus's held-out split only (a model
//! trained on the train split reads lines it has never seen). `cargo run -p pam-nlu --example
//! evaluate` prints the full table; bench/RESULTS.md keeps the history.
//!
//! The bar is 95% right tool, 90% right key arguments and no write on a trap sentence. It is not met
//! yet (2026-12-04, all 2,548 held-out lines: 93.0% right tool (2,369), 94.9% right key arguments, 6
//! writes on 635 held-out traps; on the 517 held-out lines of the corpus before the 2026-12-02
//! additions, 96.1% and no write on 98): these tests hold the figures reached so that no change makes
//! them worse, and are to be raised as they improve.

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
    for label in pam_nlu::intents::LABELS {
        let of = |split| all.iter().filter(|e| e.intent == *label && e.split == split).count();
        assert!(
            of(Split::Heldout) * 4 >= of(Split::Train) + of(Split::Heldout) - 1,
            "{label} is held out by a quarter"
        );
    }
}

#[test]
fn heldout_figures_do_not_fall() {
    let all = corpus::examples();
    let heldout: Vec<&Example> = all.iter().filter(|e| e.split == Split::Heldout).collect();
    let report = eval::evaluate(Understander::shared(), &heldout);
    let writes = report.negative_writes().len();
    assert!(writes <= 6, "writes on held-out trap sentences: {writes}");
    assert!(report.intent_accuracy() >= 0.929, "right tool {:.1}%", report.intent_accuracy() * 100.0);
    assert!(report.slot_accuracy() >= 0.94, "right key arguments {:.1}%", report.slot_accuracy() * 100.0);
    // The held-out lines of the corpus before the 2026-12-02 additions, as reported before them.
    let first: Vec<&Example> =
        all.iter().take(corpus::FIRST_EDITION_LINES).filter(|e| e.split == Split::Heldout).collect();
    let report = eval::evaluate(Understander::shared(), &first);
    assert!(report.negative_writes().is_empty(), "writes on the first held-out traps");
    assert!(report.intent_accuracy() >= 0.96, "right tool on the first held-out lines");
}

#[test]
fn train_trap_sentences_under_cross_validation_write_no_more_than_known() {
    // The trap sentences of the train split are what the speech-act rules were built from. Under 5-fold
    // cross-validation (each read by a model that did not train on it) these two of 1,603 still write
    // (both mock an order: "write a post about …? I'd get sued", "oh yes, plan us a trip to the
    // Maldives"); any other is a regression. (Before the 2026-12-02 additions of traps written to defeat
    // the rules, none of 194 wrote; after them, four of 689; on 2026-12-03, with 256 more, two of 945,
    // two of 1,383 with the 438 of the second round that day, three of 1,603 with the 220 of the third,
    // and two once requests were also learned after a remark.)
    const KNOWN: &[&str] = &[
        "write a post about the caravan park in Tea Gardens? I'd get sued",
        "oh yes, plan us a trip to the Maldives, we'll pay for it with the can refunds",
    ];
    let all = corpus::examples();
    let train: Vec<&Example> = all.iter().filter(|e| e.split == Split::Train).collect();
    let report = eval::cross_validate(&train, 5);
    let writes: Vec<&str> =
        report.negative_writes().iter().map(|o| o.text.as_str()).filter(|t| !KNOWN.contains(t)).collect();
    assert!(writes.is_empty(), "{writes:?}");
}
