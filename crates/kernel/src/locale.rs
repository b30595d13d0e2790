//! The user's locale and clock: the zone their days start in, their currency and unit system, and
//! "now" (a fixed instant in tests). Month arithmetic for "this month" bounds lives here too.

use std::sync::Arc;

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::DomainError;

/// What the current time is. Production reads the system clock; tests may pin it.
#[derive(Clone, Default)]
pub struct Clock(Option<Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>>);

impl Clock {
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A clock that always answers `at`.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Some(Arc::new(move || at)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            Some(f) => f(),
            None => Utc::now(),
        }
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Clock(fixed)" } else { "Clock(system)" })
    }
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Units {
    Metric,
    Imperial,
}

impl Units {
    pub fn as_str(self) -> &'static str {
        match self {
            Units::Metric => "metric",
            Units::Imperial => "imperial",
        }
    }

    pub fn parse(stored: &str) -> Units {
        if stored.eq_ignore_ascii_case("imperial") { Units::Imperial } else { Units::Metric }
    }

    pub fn for_region(region: Option<&str>) -> Units {
        match region.map(|r| r.trim().to_ascii_lowercase()).as_deref() {
            Some("us" | "usa" | "united states" | "united states of america" | "america") => Units::Imperial,
            _ => Units::Metric,
        }
    }
}

/// What money, dates and measures need to know about a user: their zone (UTC until set), currency and
/// unit system.
#[derive(Clone, Debug)]
pub struct Locale {
    pub tz: chrono_tz::Tz,
    pub currency: String,
    pub units: Units,
}

impl Default for Locale {
    fn default() -> Self {
        Locale { tz: chrono_tz::UTC, currency: "USD".into(), units: Units::Metric }
    }
}

impl Locale {
    /// Today's date in the user's zone.
    pub fn today(&self) -> NaiveDate {
        self.today_at(&Clock::system())
    }

    pub fn today_at(&self, clock: &Clock) -> NaiveDate {
        clock.now().with_timezone(&self.tz).date_naive()
    }

    /// Money is kept in the user's own currency, with no conversion: an amount said in another one
    /// ("€30 for the ferry") is refused rather than stored as 30 of the user's own.
    pub fn check_currency(&self, said: Option<&str>) -> Result<(), DomainError> {
        match said {
            Some(c) if !c.trim().eq_ignore_ascii_case(&self.currency) => Err(DomainError::invalid(
                &["currency"],
                format!("amounts are kept in {0}, with no conversion; give the amount in {0}", self.currency),
            )),
            _ => Ok(()),
        }
    }
}

/// Where a user's locale comes from (their profile). Domains that need it hold a [`Locales`] handle
/// instead of reaching into the profiles domain.
pub trait LocaleSource: Send + Sync {
    fn locale(&self, user_id: Uuid) -> BoxFuture<'_, Result<Locale, DomainError>>;
}

#[derive(Clone)]
pub struct Locales(Arc<dyn LocaleSource>);

impl Locales {
    pub fn new(source: Arc<dyn LocaleSource>) -> Locales {
        Locales(source)
    }

    pub async fn of(&self, user_id: Uuid) -> Result<Locale, DomainError> {
        self.0.locale(user_id).await
    }
}

/// First and last day of the month containing `date`.
pub fn month_bounds(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = date.with_day(1).unwrap_or(date);
    // The last representable month has no "next month": its last day is the last date there is.
    let last = first.checked_add_months(Months::new(1)).and_then(|next| next.pred_opt()).unwrap_or(NaiveDate::MAX);
    (first, last)
}

/// The first day of the month `n` months before the month of `date` (clamped to the earliest date).
pub fn months_back(date: NaiveDate, n: u32) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    first.checked_sub_months(Months::new(n)).unwrap_or(NaiveDate::MIN)
}

/// "3 March", or "3 March 2025" when it is not this year: a date as a person says it.
pub fn human_date(date: NaiveDate, today: NaiveDate) -> String {
    if date.year() == today.year() { date.format("%-d %B").to_string() } else { date.format("%-d %B %Y").to_string() }
}

pub fn month_key(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_in_another_currency_is_refused() {
        let aud = Locale { currency: "AUD".into(), ..Locale::default() };
        assert!(aud.check_currency(None).is_ok());
        assert!(aud.check_currency(Some("aud")).is_ok());
        assert!(aud.check_currency(Some("EUR")).is_err());
    }

    #[test]
    fn month_arithmetic() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 14).unwrap();
        assert_eq!(month_bounds(d).1, NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(months_back(d, 3), NaiveDate::from_ymd_opt(2025, 11, 1).unwrap());
        assert_eq!(month_bounds(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()).1.day(), 31);
        assert_eq!(month_key(d), "2026-02");
    }

    #[test]
    fn month_arithmetic_at_the_ends_of_time_does_not_panic() {
        assert_eq!(month_bounds(NaiveDate::MAX).1, NaiveDate::MAX);
        assert_eq!(months_back(NaiveDate::MIN, 5), NaiveDate::MIN);
        assert_eq!(month_bounds(NaiveDate::MIN).0, NaiveDate::MIN.with_day(1).unwrap_or(NaiveDate::MIN));
    }

    #[test]
    fn today_is_in_the_users_zone() {
        let clock = Clock::fixed("2026-11-24T14:30:00Z".parse().unwrap());
        let sydney = Locale { tz: chrono_tz::Australia::Sydney, ..Locale::default() };
        assert_eq!(sydney.today_at(&clock), NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
        let denver = Locale { tz: chrono_tz::America::Denver, ..Locale::default() };
        assert_eq!(denver.today_at(&clock), NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    }
}
