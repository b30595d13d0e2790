//! A fill-up's three amounts — volume, price per unit, total — from any two of them (a receipt shows
//! all three; people remember two). Worked in litres and per-litre prices; the total is exact cents.

use pam_kernel::FieldError;
use pam_kernel::money::MAX_CENTS;
use pam_kernel::schema_rules::{BodyRules, Rules, all, given};

/// The largest fill we believe, in the unit it is given in: a big rig's twin tanks plus jerry cans.
pub const MAX_VOLUME: f64 = 2000.0;
/// A price per litre or gallon above this is a total typed in the wrong box (even in yen).
pub const MAX_PRICE: f64 = 10_000.0;
/// What may be stored, in litres: [`MAX_VOLUME`] of the larger unit (a new fill-up is bounded in its own
/// unit first, as the document says).
pub const MAX_LITRES: f64 = MAX_VOLUME * crate::units::LITRES_PER_US_GALLON;
/// What may be stored per litre: [`MAX_PRICE`] per litre (per gallon it is less).
pub const MAX_PRICE_PER_LITRE: f64 = MAX_PRICE;
/// How far `volume × price` may be from the total and still be the same receipt: pumps round the total,
/// and receipts round the volume to 0.01.
const AGREEMENT_CENTS: f64 = 2.0;

/// What was given, already in litres and per litre.
#[derive(Clone, Copy, Debug, Default)]
pub struct Given {
    pub litres: Option<f64>,
    pub price_per_litre: Option<f64>,
    pub total_cents: Option<i64>,
}

/// The three amounts as stored.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Amounts {
    pub litres: f64,
    /// Thousandths of the currency unit per litre ($1.899/L is 1899).
    pub price_per_litre_milli: i64,
    pub total_cents: i64,
}

const VOLUME: &str = "volume";
const PRICE: &str = "price_per_unit";
const TOTAL: &str = "total";

fn error(field: &str, msg: impl Into<String>, kind: &str) -> FieldError {
    FieldError::new(&["body", field], msg, kind)
}

/// The amounts, or every reason they cannot be (each at the field it concerns).
pub fn resolve(g: Given) -> Result<Amounts, Vec<FieldError>> {
    let mut errors = Vec::new();
    if let Some(l) = g.litres
        && !(l.is_finite() && l > 0.0 && l <= MAX_LITRES)
    {
        errors.push(error(VOLUME, format!("must be more than 0 and at most {MAX_LITRES:.0} litres"), "value_error"));
    }
    if let Some(p) = g.price_per_litre
        && !(p.is_finite() && p > 0.0 && p <= MAX_PRICE_PER_LITRE)
    {
        errors.push(error(PRICE, "must be more than 0 and a price per litre or gallon", "value_error"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let amounts = match (g.litres, g.price_per_litre, g.total_cents) {
        (Some(litres), Some(price), Some(total_cents)) => {
            let expected_cents = litres * price * 100.0;
            if (expected_cents - total_cents as f64).abs() > AGREEMENT_CENTS {
                let msg = format!(
                    "volume × price_per_unit is {:.2} but total is {:.2}: give two of them and the third is worked out",
                    expected_cents / 100.0,
                    total_cents as f64 / 100.0
                );
                return Err([VOLUME, PRICE, TOTAL].iter().map(|f| error(f, msg.clone(), "value_error")).collect());
            }
            Amounts { litres, price_per_litre_milli: milli(price), total_cents }
        }
        (Some(litres), Some(price), None) => {
            let total_cents = (litres * price * 100.0).round();
            if !(1.0..=MAX_CENTS as f64).contains(&total_cents) {
                return Err(vec![error(
                    TOTAL,
                    "volume × price_per_unit is not an amount we can record",
                    "value_error",
                )]);
            }
            Amounts { litres, price_per_litre_milli: milli(price), total_cents: total_cents as i64 }
        }
        (Some(litres), None, Some(total_cents)) => {
            Amounts { litres, price_per_litre_milli: milli(total_cents as f64 / 100.0 / litres), total_cents }
        }
        (None, Some(price), Some(total_cents)) => {
            let litres = total_cents as f64 / 100.0 / price;
            if litres > MAX_LITRES {
                let msg = format!("total ÷ price_per_unit is {litres:.0} litres, more than a fill-up can be");
                return Err(vec![error(PRICE, msg.clone(), "value_error"), error(TOTAL, msg, "value_error")]);
            }
            Amounts { litres, price_per_litre_milli: milli(price), total_cents }
        }
        _ => {
            let missing =
                [(VOLUME, g.litres.is_none()), (PRICE, g.price_per_litre.is_none()), (TOTAL, g.total_cents.is_none())];
            let msg = "give at least two of volume, price_per_unit and total; the third is worked out";
            return Err(missing.iter().filter(|(_, m)| *m).map(|(f, _)| error(f, msg, "missing")).collect());
        }
    };
    if amounts.price_per_litre_milli < 1 || amounts.price_per_litre_milli as f64 > MAX_PRICE_PER_LITRE * 1000.0 {
        let msg = "total ÷ volume is not a price per litre we can record";
        return Err(vec![error(VOLUME, msg, "value_error"), error(TOTAL, msg, "value_error")]);
    }
    Ok(amounts)
}

/// The volume and the price as given, each bounded in its own unit (litres or gallons): more than 0, at
/// most [`MAX_VOLUME`] and [`MAX_PRICE`].
pub fn in_own_unit(volume: Option<f64>, price: Option<f64>) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if volume.is_some_and(|v| !(v.is_finite() && v > 0.0 && v <= MAX_VOLUME)) {
        errors.push(error(
            VOLUME,
            format!("must be more than 0 and at most {MAX_VOLUME} (litres or gallons)"),
            "value_error",
        ));
    }
    if price.is_some_and(|p| !(p.is_finite() && p > 0.0 && p <= MAX_PRICE)) {
        errors.push(error(
            PRICE,
            format!("must be more than 0 and at most {MAX_PRICE} per litre or gallon"),
            "value_error",
        ));
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// What [`resolve`] needs of a new fill-up beyond each field: two of the three amounts, not null (that a
/// third agrees with them is arithmetic, which the document cannot state).
impl BodyRules for super::NewFuelEntry {
    fn rules() -> Rules {
        let [volume, price, total] = [VOLUME, PRICE, TOTAL].map(given);
        Rules::new().any_of([all([volume.clone(), price.clone()]), all([volume, total.clone()]), all([price, total])])
    }
}

/// A price per litre in thousandths (saturating: the range was checked before).
fn milli(price_per_litre: f64) -> i64 {
    (price_per_litre * 1000.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(litres: Option<f64>, price: Option<f64>, total_cents: Option<i64>) -> Given {
        Given { litres, price_per_litre: price, total_cents }
    }

    fn fields(errors: &[FieldError]) -> Vec<String> {
        errors.iter().map(|e| e.field_path()).collect()
    }

    #[test]
    fn any_two_give_the_third() {
        let a = resolve(given(Some(50.0), Some(1.899), None)).unwrap();
        assert_eq!((a.total_cents, a.price_per_litre_milli), (9495, 1899));
        let b = resolve(given(Some(50.0), None, Some(9495))).unwrap();
        assert_eq!(b.price_per_litre_milli, 1899);
        let c = resolve(given(None, Some(1.899), Some(9495))).unwrap();
        assert!((c.litres - 50.0).abs() < 1e-9);
    }

    #[test]
    fn three_that_agree_within_rounding_are_kept_as_given() {
        // 45.67 L at $1.899 is $86.727: the pump says $86.73.
        let a = resolve(given(Some(45.67), Some(1.899), Some(8673))).unwrap();
        assert_eq!(a, Amounts { litres: 45.67, price_per_litre_milli: 1899, total_cents: 8673 });
    }

    #[test]
    fn disagreement_and_too_few_name_the_fields() {
        let e = resolve(given(Some(50.0), Some(1.899), Some(9000))).unwrap_err();
        assert_eq!(fields(&e), ["volume", "price_per_unit", "total"]);
        assert!(e[0].msg.contains("94.95"), "{}", e[0].msg);
        let e = resolve(given(None, None, Some(9000))).unwrap_err();
        assert_eq!(fields(&e), ["volume", "price_per_unit"]);
        let e = resolve(given(Some(-5.0), Some(1.9), None)).unwrap_err();
        assert_eq!(fields(&e), ["volume"]);
        let e = resolve(given(None, Some(0.001), Some(9000))).unwrap_err();
        assert_eq!(fields(&e), ["price_per_unit", "total"], "90,000 litres is no fill-up");
        let e = resolve(given(Some(f64::INFINITY), None, Some(100))).unwrap_err();
        assert_eq!(fields(&e), ["volume"]);
    }
}
