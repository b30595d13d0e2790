//! How the offline understanding reads one sentence, step by step:
//! `cargo run -p pam-nlu --example explain -- "spent $40 on diesel yesterday"`
//!
//! With `--batch`, reads one sentence per line from standard input and prints one line for each:
//! the sentence, then what PAM would do (`CALL tool {arguments}`, `ASK question`, or `SAY reply`).
//! Handy for reviewing many sentences at once without retraining for each.

use std::io::BufRead;

use pam_nlu::analysis::Analysis;
use pam_nlu::understand::Action;
use pam_nlu::{Understander, eval};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--batch") {
        batch();
        return;
    }
    let text = args.join(" ");
    let a = Analysis::new(&text);
    println!("words:    {}", a.words.join(" "));
    println!("entities: {:?}", a.entities.iter().map(|e| (&e.kind, e.start, e.len)).collect::<Vec<_>>());
    println!("act:      {:?}", a.act);
    let u = Understander::shared();
    let ranked = u.model().predict(a.features());
    println!("ranked:   {:?}", &ranked[..3]);
    println!("trap:     {:.2} (the gate's doubt that a write is meant)", u.trap_probability(&a));
    let r = u.understand(&text, eval::reference_today());
    println!("intent:   {} ({:.2}, proposed {})", r.intent, r.confidence, r.proposed);
    println!("slots:    {}", serde_json::Value::Object(r.slots.clone()));
    if r.proposed == "create_post" {
        let post = pam_nlu::slots::fill("create_post", &a, eval::reference_today());
        println!("post:     {}", serde_json::Value::Object(post));
    }
    println!("action:   {:?}", r.action);
}

fn batch() {
    let u = Understander::shared();
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let r = u.understand(text, eval::reference_today());
        let what = match &r.action {
            Action::Call { tool, arguments } => format!("CALL {tool} {arguments}"),
            Action::Clarify { question, .. } => format!("ASK {question}"),
            Action::Reply { text } => format!("SAY {}", text.replace('\n', " ")),
        };
        println!("{text}\n    -> {what}");
    }
}
