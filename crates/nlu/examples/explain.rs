//! How the offline understanding reads one sentence, step by step:
//! `cargo run -p pam-nlu --example explain -- "spent $40 on diesel yesterday"`

use pam_nlu::analysis::Analysis;
use pam_nlu::{Understander, eval};

fn main() {
    let text = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
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
    println!("action:   {:?}", r.action);
}
