//! Scores the offline understanding.
//!
//! `cargo run -p pam-nlu --example evaluate`            held-out split: the figures we report
//! `cargo run -p pam-nlu --example evaluate -- --cv`    5-fold cross-validation on the train split, with
//!                                                      every miss listed (for work on the brain: the
//!                                                      held-out lines are never listed)

use pam_nlu::Understander;
use pam_nlu::corpus::{self, Example, Split};
use pam_nlu::eval::{self, Report};

fn summary(report: &Report, title: &str) {
    println!("## {title}\n");
    println!(
        "right tool: {}/{} = {:.1}% ({} of them a question for a value the sentence did not give; without \
         those {:.1}%); right key arguments (of those): {:.1}%; asked instead of acting: {}; \
         writes on negative sentences: {}; writes on any non-write sentence: {}\n",
        report.right_intent(),
        report.total(),
        report.intent_accuracy() * 100.0,
        report.asked_for_missing(),
        (report.right_intent() - report.asked_for_missing()) as f64 * 100.0 / report.total().max(1) as f64,
        report.slot_accuracy() * 100.0,
        report.clarified(),
        report.negative_writes().len(),
        report.unwanted_writes().len(),
    );
    let plain: Vec<_> = report.outcomes.iter().filter(|o| !o.negative).collect();
    let top1 = plain.iter().filter(|o| o.proposed == o.expected).count();
    println!(
        "classifier top-1 on the non-trap lines: {top1}/{} = {:.1}%\n",
        plain.len(),
        top1 as f64 * 100.0 / plain.len().max(1) as f64
    );
    let misses: Vec<_> = report.outcomes.iter().filter(|o| o.got != o.expected).collect();
    let topic = misses.iter().filter(|o| o.proposed != o.expected).count();
    let asked = misses.iter().filter(|o| o.proposed == o.expected && o.got == "clarify").count();
    println!(
        "of the {} misses: the classifier proposed another intent {topic}; it proposed the right one and PAM \
         asked instead {asked}, or answered otherwise {}\n",
        misses.len(),
        misses.len() - topic - asked
    );
    println!("{}", report.markdown_table());
    println!("most confused (expected → got):\n");
    for (e, g, n) in report.confusions().iter().take(12) {
        println!("- {e} → {g}: {n}");
    }
    println!();
}

fn main() {
    let all = corpus::examples();
    let train: Vec<&Example> = all.iter().filter(|e| e.split == Split::Train).collect();
    if std::env::args().any(|a| a == "--cv") {
        let report = eval::cross_validate(&train, 5);
        summary(&report, "5-fold cross-validation on the train split");
        println!("misses:\n");
        for o in &report.outcomes {
            if o.got != o.expected {
                println!("- [{} → {} (proposed {} {:.2})] {}", o.expected, o.got, o.proposed, o.confidence, o.text);
            } else if !o.slots_right {
                println!(
                    "- [slots {}] {}\n    expected {}\n    got      {}",
                    o.expected,
                    o.text,
                    serde_json::Value::Object(o.expected_slots.clone()),
                    serde_json::Value::Object(o.got_slots.clone())
                );
            }
        }
        return;
    }
    // `--dev N`: a model trained on the train lines among the first N corpus lines reads the train lines
    // after them — lines nobody tuned on yet, for honest work on the rules before they join training.
    if let Some(n) = std::env::args().skip_while(|a| a != "--dev").nth(1).and_then(|n| n.parse::<usize>().ok()) {
        let old: Vec<&Example> = all.iter().take(n).filter(|e| e.split == Split::Train).collect();
        let new: Vec<&Example> = all.iter().skip(n).filter(|e| e.split == Split::Train).collect();
        let report = eval::evaluate(&Understander::train(&old), &new);
        summary(&report, &format!("train lines after line {n}, read by a model trained on the lines before"));
        for o in &report.outcomes {
            if o.got != o.expected {
                println!("- [{} → {} (proposed {} {:.2})] {}", o.expected, o.got, o.proposed, o.confidence, o.text);
            } else if !o.slots_right {
                println!(
                    "- [slots {}] {}\n    expected {}\n    got      {}",
                    o.expected,
                    o.text,
                    serde_json::Value::Object(o.expected_slots.clone()),
                    serde_json::Value::Object(o.got_slots.clone())
                );
            }
        }
        return;
    }
    let heldout: Vec<&Example> = all.iter().filter(|e| e.split == Split::Heldout).collect();
    let report = eval::evaluate(Understander::shared(), &heldout);
    summary(&report, "Held-out split (never tuned on)");
    // The held-out lines of the corpus as it was before the 2026-12-02 additions, for comparison with
    // the figures reported before them.
    // The held-out split as it stood before the three rounds of 2026-12-03 (afternoon), and the rounds'
    // own held-out lines.
    const BEFORE_ROUNDS: usize = 5_282;
    for (label, lines) in [
        ("held-out lines among the first 5,282 (the split before the 2026-12-03 rounds)", 0..BEFORE_ROUNDS),
        ("held-out lines of the 2026-12-03 rounds", BEFORE_ROUNDS..all.len()),
    ] {
        let part: Vec<&Example> = all[lines].iter().filter(|e| e.split == Split::Heldout).collect();
        let report = eval::evaluate(Understander::shared(), &part);
        println!(
            "{label}: right tool {}/{} = {:.1}%, writes on negative sentences {} of {}",
            report.right_intent(),
            report.total(),
            report.intent_accuracy() * 100.0,
            report.negative_writes().len(),
            part.iter().filter(|e| e.negative).count()
        );
    }
    let first: Vec<&Example> =
        all.iter().take(corpus::FIRST_EDITION_LINES).filter(|e| e.split == Split::Heldout).collect();
    let report = eval::evaluate(Understander::shared(), &first);
    println!(
        "held-out lines among the first 1,640: right tool {}/{} = {:.1}%, right key arguments {:.1}%, writes on \
         negative sentences {}",
        report.right_intent(),
        report.total(),
        report.intent_accuracy() * 100.0,
        report.slot_accuracy() * 100.0,
        report.negative_writes().len()
    );
}
