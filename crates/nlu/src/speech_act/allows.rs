//! What a speech act lets PAM do: log money, record income, carry out an order, look something up.

use super::SpeechAct;

impl SpeechAct {
    /// Whether the sentence may log money spent (an expense or a fill-up).
    pub fn may_log_money(&self) -> bool {
        !(self.question
            || self.hypothetical
            || self.future
            || self.deferred
            || self.negated
            || self.third_party
            || self.reported
            // An entry with its total may well give unit prices ("fish n chips x2 @ $18 each = $36, track
            // pls", "bread 4.50, milk 3.20, that's 7.70 at the general store"): a receipt, not a quote.
            || (self.price_statement && !self.totalled))
    }

    /// Whether the sentence may record income: as for spending, except that someone else paying the
    /// user is how income arrives ("the tenants paid the rent") — only someone else's own earnings
    /// are not the user's.
    pub fn may_log_income(&self) -> bool {
        !(self.question
            || self.hypothetical
            || self.future
            || self.deferred
            || self.negated
            || self.others_income
            || self.reported
            // As for spending: an entry recorded with its total may give a unit price ("3 paintings at
            // 120 each = 360").
            || (self.price_statement && !(self.record_order && self.totalled)))
    }

    /// Whether the sentence may give an order that changes data (a budget, an event, a timer, a post):
    /// an order ("set…", "can you add…", "I want…") or a note with no verb ("dentist tomorrow at
    /// 10am"), not denied; a question, a supposition or a statement orders nothing unless an order
    /// comes with it ("we're thinking of doing Bourke to Longreach, plan it out").
    pub fn may_order(&self) -> bool {
        !self.negated
            && !self.relayed
            && !self.deferred
            && (self.imperative
                || !(self.question
                    || self.hypothetical
                    || self.declarative
                    || self.price_statement
                    || self.reported
                    || self.others_act))
    }

    /// Whether the sentence asks for something to be looked up: a question, an order or a bare note
    /// ("budget check"), not a statement ("it rained all day in Hobart") or a price question.
    pub fn may_read(&self) -> bool {
        !self.price_question && (self.question || self.imperative || !self.declarative || self.asked_within)
    }

    /// A plan told, asking nothing ("gonna blow 40 at the pub tomorrow arvo").
    pub fn plan_told(&self) -> bool {
        self.hypothetical && !self.question && !self.imperative && !self.asked_within
    }

    /// Classifier features.
    pub fn features(self) -> impl Iterator<Item = &'static str> {
        [
            (self.question, "act:question"),
            (self.polite_request, "act:polite"),
            (self.courteous, "act:courteous"),
            (self.hypothetical, "act:hypothetical"),
            (self.negated, "act:negated"),
            (self.future, "act:future"),
            (self.third_party, "act:third_party"),
            (self.others_income, "act:others_income"),
            (self.money_in, "act:money_in"),
            (self.reported, "act:reported"),
            (self.price_statement, "act:price"),
            (self.past_money_verb, "act:past_money"),
            (self.record_order, "act:record"),
            (self.imperative, "act:imperative"),
            (self.declarative, "act:declarative"),
            (self.price_question, "act:price_question"),
            (self.per_period, "act:per_period"),
            (self.how_to, "act:how_to"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
    }
}
