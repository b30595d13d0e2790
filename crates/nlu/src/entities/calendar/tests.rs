use super::*;
use crate::text::Text;

fn day(text: &str, tense: Tense) -> Option<NaiveDate> {
    let t = Text::new(text);
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    (0..t.tokens.len()).find_map(|i| day_at(&t.tokens, i)).and_then(|(d, _)| d.resolve(today, tense))
}

fn d(m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, m, day)
}

#[test]
fn days_resolve_by_tense() {
    use Tense::*;
    assert_eq!(day("spent $5 yesterday", Past), d(11, 24));
    assert_eq!(day("the day before yesterday", Past), d(11, 23));
    assert_eq!(day("two days ago", Past), d(11, 23));
    assert_eq!(day("last Friday", Past), d(11, 20));
    assert_eq!(day("on Monday", Past), d(11, 23));
    assert_eq!(day("on Thursday", Future), d(11, 26));
    assert_eq!(day("next Monday", Future), d(11, 30));
    assert_eq!(day("next Tuesday", Future), d(12, 1));
    assert_eq!(day("Wednesday next week", Future), d(12, 2));
    assert_eq!(day("on the 3rd", Past), d(11, 3));
    assert_eq!(day("on the 3rd", Future), d(12, 3));
    assert_eq!(day("the 10th of January", Future), NaiveDate::from_ymd_opt(2027, 1, 10));
    assert_eq!(day("December 12", Future), d(12, 12));
    assert_eq!(day("Dec 14th", Future), d(12, 14));
    assert_eq!(day("30 November", Future), d(11, 30));
    assert_eq!(day("Christmas Eve", Future), d(12, 24));
    assert_eq!(day("this arvo", Past), d(11, 25));
    assert_eq!(day("tmrw", Future), d(11, 26));
    assert_eq!(day("I may go", Future), None);
    assert_eq!(day("31st of February", Future), None);
    assert_eq!(day("spent 30 on fuel", Past), None);
}

#[test]
fn periods() {
    let p = |text: &str| period(&Text::new(text).tokens, 11);
    assert_eq!(p("how much have I spent this month?"), Some(Period::ThisMonth));
    assert_eq!(p("spending for the past 14 days"), Some(Period::Days(14)));
    assert_eq!(p("in the last 2 weeks"), Some(Period::Days(14)));
    assert_eq!(p("last fortnight"), Some(Period::Days(14)));
    assert_eq!(p("utilities last wk"), Some(Period::LastWeek));
    assert_eq!(p("since the start of the year"), Some(Period::ThisYear));
    assert_eq!(p("expected spending for the rest of november"), Some(Period::ThisMonth));
    assert_eq!(p("what did I spend in October on fuel"), Some(Period::LastMonth));
    assert_eq!(p("what did I spend on the 3rd of October"), None, "a day, not the month");
    assert_eq!(p("what's on Wednesday next week"), None);
    assert_eq!(p("what have I got next week"), Some(Period::NextWeek));
    assert_eq!(p("show spending"), None);
}
