//! From a sentence to what PAM does about it. The classifier proposes an intent; a write is acted on
//! only with positive evidence — the speech act allows it (a report of money spent, or an order), the
//! classifier is confident and clear of the runner-up, and the slots the tool needs are there.
//! Otherwise PAM asks one short question, or says what it can do instead.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde_json::Value;

use crate::analysis::Analysis;
use crate::corpus::{self, Example, Split};
use crate::evidence::{act_for, allowed, own_spending_told};
use crate::intents::{self, LABELS};
use crate::model::{Fit, Model};
use crate::reply;
use crate::slots::{self, Slots};

pub use crate::thresholds::*;

mod help;
mod write;

/// What PAM does with a sentence.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Call a tool with these arguments.
    Call { tool: &'static str, arguments: Value },
    /// Ask one short question; `candidate` is the call a "yes" would make, when there is one.
    Clarify { question: String, candidate: Option<(&'static str, Value)> },
    /// Answer in words.
    Reply { text: String },
}

/// The reading of one sentence.
#[derive(Clone, Debug)]
pub struct Understanding {
    /// The intent decided on ("none" when a write was refused and no read applies).
    pub intent: &'static str,
    /// The classifier's probability for its top intent.
    pub confidence: f32,
    /// The top intent the classifier proposed, before any gate.
    pub proposed: &'static str,
    pub slots: Slots,
    pub action: Action,
}

impl Understanding {
    /// The tool the action calls, if it calls one.
    pub fn tool(&self) -> Option<&'static str> {
        match &self.action {
            Action::Call { tool, .. } => Some(tool),
            _ => None,
        }
    }
}

/// A trained understander.
pub struct Understander {
    model: Model,
    /// The same task read from character n-grams of the words: it knows "spendin" is like "spending"
    /// and "campgrounds" like "campground" without being told. Its vote is added to the word model's.
    chars: Model,
    /// Tells a sentence that asks for a write (the write intents' lines) from one that only talks about
    /// the same things (the corpus's trap lines): learned, so it knows forms no rule was written for.
    /// It can only turn a write into a question, never start one.
    gate: Model,
}

const GATE_LABELS: &[&str] = &["write", "trap"];

pub(super) fn probability(ranked: &[(&'static str, f32)], label: &str) -> f32 {
    ranked.iter().find(|(l, _)| *l == label).map_or(0.0, |(_, p)| *p)
}

/// The character model's share of the vote (chosen by cross-validation on the train split).
const CHAR_WEIGHT: f32 = 0.2;
/// How each model is fitted: one fit each, every feature seen on every pass. Three fits averaged, each
/// trained with a tenth of the features hidden on each pass, got 15 more lines right on 5-fold
/// cross-validation of the train split (the mean of four seeds), but nothing on the held-out split and
/// some checked sentences fewer, so the plain fit stays (bench/RESULTS.md). The character model and the
/// gate take fewer passes than the word model's 40: their cross-validated figures do not move past 15,
/// and training at start stays short.
const WORD_FIT: Fit = Fit { epochs: 40, dropout: 0.0, runs: 1 };
const CHAR_FIT: Fit = Fit { epochs: 15, dropout: 0.0, runs: 1 };
const GATE_FIT: Fit = Fit { epochs: 15, dropout: 0.0, runs: 1 };

impl Understander {
    /// Trains on the given labelled examples: the classifier on every line, the gate on the writes and
    /// the traps. (The trap sentences labelled `none` — a price quote, someone else's purchase — were
    /// once left out of the classifier's training, so as not to blur the topic; with the 2026-12-03
    /// additions to the corpus, learning from them too is better on cross-validation: right tool 92.1%
    /// → 92.3%, trap writes 5 → 2.)
    pub fn train(examples: &[&Example]) -> Understander {
        struct Read {
            label: Option<usize>,
            gate: Option<usize>,
            words: Vec<u64>,
            chars: Vec<u64>,
        }
        let augmented = crate::remarks::augment(examples);
        let read: Vec<Read> = examples
            .iter()
            .copied()
            .chain(augmented.iter())
            .map(|e| {
                let a = Analysis::new(&e.text);
                Read {
                    label: LABELS.iter().position(|l| *l == e.intent),
                    gate: match (e.negative, intents::is_write(&e.intent)) {
                        (false, true) => Some(0),
                        (true, _) => Some(1),
                        _ => None,
                    },
                    words: a.features().to_vec(),
                    chars: a.char_features(),
                }
            })
            .collect();
        let topic = |f: fn(&Read) -> &Vec<u64>| -> Vec<(Vec<u64>, usize)> {
            read.iter().filter_map(|r| Some((f(r).clone(), r.label?))).collect()
        };
        // The gate learns from the corpus's own lines only (the remarks added above did not help it).
        let gate: Vec<(Vec<u64>, usize)> =
            read[..examples.len()].iter().filter_map(|r| Some((r.words.clone(), r.gate?))).collect();
        Understander {
            model: Model::train(LABELS, &topic(|r| &r.words), WORD_FIT),
            chars: Model::train(LABELS, &topic(|r| &r.chars), CHAR_FIT),
            gate: Model::train(GATE_LABELS, &gate, GATE_FIT),
        }
    }

    /// How likely the gate finds it that the sentence only talks about a write.
    pub fn trap_probability(&self, a: &Analysis) -> f32 {
        // GATE_LABELS: "write" first, "trap" second.
        self.gate.probabilities(a.features()).get(1).copied().unwrap_or(0.0)
    }

    /// Both models' votes, best first (the two models share their labels and their order).
    fn rank(&self, a: &Analysis) -> Vec<(&'static str, f32)> {
        let words = self.model.probabilities(a.features());
        let chars = self.chars.probabilities(&a.char_features());
        let mut ranked: Vec<(&'static str, f32)> = self
            .model
            .labels()
            .iter()
            .zip(words.iter().zip(&chars))
            .map(|(l, (p, c))| (*l, (1.0 - CHAR_WEIGHT) * p + CHAR_WEIGHT * c))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked
    }

    /// The understander trained on the corpus's train split (built once per process).
    pub fn shared() -> &'static Understander {
        static SHARED: OnceLock<Understander> = OnceLock::new();
        SHARED.get_or_init(|| {
            let all = corpus::examples();
            let train: Vec<&Example> = all.iter().filter(|e| e.split == Split::Train).collect();
            Understander::train(&train)
        })
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Bytes held by the three models' tables (word, character, gate).
    pub fn memory_bytes(&self) -> usize {
        self.model.memory_bytes() + self.chars.memory_bytes() + self.gate.memory_bytes()
    }

    /// Reads one message. `today` is the user's local date. A message read whole as nothing to do may
    /// still hold a request among remarks ("What a day! Spent $60 on a new hose"): then that sentence,
    /// read alone, decides (`remarks`).
    pub fn understand(&self, text: &str, today: NaiveDate) -> Understanding {
        crate::remarks::read_with_remarks(self, text, today)
    }

    /// The top intent the classifier gives a text, and its probability.
    pub(crate) fn top_intent(&self, a: &Analysis) -> (&'static str, f32) {
        self.rank(a)[0]
    }

    /// Reads one message as a whole.
    pub(crate) fn read(&self, text: &str, today: NaiveDate) -> Understanding {
        let a = Analysis::new(text);
        let read = self.read_analysed(&a, today);
        // "Hello PAM, it's my first time talking to you", "hola amiga": a greeting with nothing to do and
        // no value in it is answered as one, not as a request PAM could not follow.
        let chat = read.intent == "none"
            && matches!(&read.action, Action::Reply { text } if *text == reply::small_talk(&a.text) || *text == reply::not_followed());
        if chat && a.greeted && a.entities.is_empty() && !a.act.negated && !reply::thanks_or_farewell(&a.text) {
            return said("greeting", read.confidence, read.proposed, Slots::new(), reply::GREETING.to_string());
        }
        read
    }

    fn read_analysed(&self, a: &Analysis, today: NaiveDate) -> Understanding {
        if a.text.is_empty() {
            return said("none", 0.0, "none", Slots::new(), reply::HELP.to_string());
        }
        let ranked = self.rank(a);
        let (top, p1) = ranked[0];
        let p2 = ranked.get(1).map(|r| r.1).unwrap_or(0.0);
        let proposed = intents::label(top).unwrap_or("none");
        // "I spent $8 on a pie": the user, a verb of their own spending and money, nothing asked, supposed,
        // denied or quoted — the plainest report there is. When the classifier has an expense among its
        // first two, the report decides, whatever else a rare word made it think.
        if own_spending_told(a)
            && proposed != "create_expense"
            // Or when it proposed no write at all: a rare word ("we spent $40 at the markets last Monday")
            // may pull it to nothing, but not away from the report.
            && (ranked.iter().take(2).any(|(l, p)| *l == "create_expense" && *p >= OWN_REPORT_FLOOR)
                // Or a read when the message asks nothing ("we paid 200 for the rv storage this month") —
                // but not a read asked for with a report inside it ("list everything I spent over $100").
                || proposed == "none"
                || (!intents::is_write(proposed) && !a.act.question && !a.act.imperative && !a.act.polite_request))
        {
            let p = probability(&ranked, "create_expense").max(WRITE_CONFIDENCE);
            return self.decide_write(a, &ranked, "create_expense", p, 0.0, today);
        }
        // "I earned 1100 this fortnight at the mine site kitchen": the user's own income told as plainly,
        // with income among the classifier's first two or nothing else proposed.
        if crate::evidence::own_income_told(a)
            && (proposed == "record_income"
                || proposed == "none"
                || (!intents::is_write(proposed)
                    && ranked.iter().take(2).any(|(l, p)| *l == "record_income" && *p >= OWN_REPORT_FLOOR)))
        {
            let p = probability(&ranked, "record_income").max(WRITE_CONFIDENCE);
            return self.decide_write(a, &ranked, "record_income", p, 0.0, today);
        }
        // "post to the community: rain forecast for Broome tomorrow": an order to post, then its text —
        // whatever the text talks about, it is to be posted.
        if proposed != "create_post" && crate::slots::post::order_then_colon(a) {
            let p = probability(&ranked, "create_post").max(WRITE_CONFIDENCE);
            return self.decide_write(a, &ranked, "create_post", p, 0.0, today);
        }
        if intents::is_write(proposed) {
            return self.decide_write(a, &ranked, proposed, p1, p2, today);
        }
        // Talk to the classifier, but a write close behind it with the evidence a write needs ("I spent
        // my tax refund on a new awning, $900"): asked about, never done — its margin over `none` is
        // below zero, so `decide_write` can only ask.
        if proposed == "none"
            && let Some(&(write, p)) = ranked.get(1).filter(|(l, p)| intents::is_write(l) && *p >= WRITE_BEHIND_NONE)
            && let Some(write) = intents::label(write)
            && allowed(write, a, &act_for(write, a))
        {
            return self.decide_write(a, &ranked, write, p, p1, today);
        }
        // Only a route, written with arrows ("bourke -> cobar"): how far and how long, a read.
        if (intents::CONVERSATION.contains(&proposed) || p1 < READ_CONFIDENCE)
            && crate::places::bare_route(&a.text, &a.entities)
        {
            return decide_read(a, "estimate_travel_time", READ_CONFIDENCE, today);
        }
        if !intents::CONVERSATION.contains(&proposed) && (!a.act.may_read() || a.act.plan_told()) && p1 < SURE_READ {
            let text = if a.act.price_question { reply::price_question() } else { reply::small_talk(&a.text) };
            return Understanding {
                intent: "none",
                confidence: p1,
                proposed,
                slots: Slots::new(),
                action: Action::Reply { text },
            };
        }
        // "budget? what budget 😂": a word echoed back in scorn asks for nothing.
        if echoed_in_scorn(&a.text) {
            return said("none", p1, proposed, Slots::new(), reply::small_talk(&a.text));
        }
        decide_read(a, proposed, p1, today)
    }
}

/// "budget? what budget", "savings?? what savings": a word, its question mark, then "what" and the word.
fn echoed_in_scorn(t: &crate::text::Text) -> bool {
    let w = &t.tokens;
    (0..w.len()).any(|i| {
        let marks = w[i + 1..].iter().take_while(|m| m.is("?")).count();
        marks > 0
            && !w[i].is_punct()
            && w.get(i + 1 + marks).is_some_and(|n| n.is("what"))
            && w.get(i + 2 + marks).is_some_and(|n| n.norm == w[i].norm)
            // It ends there: "weather? what weather are we getting in Broome" asks.
            && w.get(i + 3 + marks).is_none_or(|n| n.is_punct() || n.is_any(&["lol", "haha", "hahaha", "lmao", "mate"]))
    })
}

pub(super) fn said(
    intent: &'static str,
    confidence: f32,
    proposed: &'static str,
    slots: Slots,
    text: String,
) -> Understanding {
    Understanding { intent, confidence, proposed, slots, action: Action::Reply { text } }
}

pub(super) fn decide_read(a: &Analysis, label: &'static str, p: f32, today: NaiveDate) -> Understanding {
    match label {
        // "goodbye pam", "good chat, ttyl": a farewell or thanks the classifier took for a hello.
        "greeting" if reply::thanks_or_farewell(&a.text) => {
            said("none", p, label, Slots::new(), reply::small_talk(&a.text))
        }
        "greeting" => said(label, p, label, Slots::new(), reply::GREETING.to_string()),
        "help" if help::how_to_outside_the_app(&a.text) => {
            said("none", p, label, Slots::new(), reply::small_talk(&a.text))
        }
        "help" => said(label, p, label, Slots::new(), reply::HELP.to_string()),
        "none" => said(label, p, label, Slots::new(), reply::small_talk(&a.text)),
        _ if p < READ_CONFIDENCE => said("none", p, label, Slots::new(), reply::not_followed()),
        _ => {
            let slots = slots::fill(label, a, today);
            // A read that needs a value the sentence does not give: ask for it — unless the sentence is
            // about something else altogether ("how long do you boil an egg for").
            if let Some(question) = reply::missing(label, &slots) {
                if label == "estimate_travel_time" && !slots::travel::talks_of_travel(a) {
                    return said("none", p, label, Slots::new(), reply::small_talk(&a.text));
                }
                return Understanding {
                    intent: label,
                    confidence: p,
                    proposed: label,
                    slots,
                    action: Action::Clarify { question, candidate: None },
                };
            }
            let arguments = crate::arguments::for_tool(label, &slots, a);
            Understanding {
                intent: label,
                confidence: p,
                proposed: label,
                slots,
                action: Action::Call { tool: label, arguments },
            }
        }
    }
}

/// Reads a sentence with the understander trained on the corpus.
pub fn understand(text: &str, today: NaiveDate) -> Understanding {
    Understander::shared().understand(text, today)
}
