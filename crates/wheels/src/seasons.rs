//! Seasonal guidance for travelling with an RV: where the weather suits in a given month, and what a
//! place is usually like then. General climate knowledge by latitude band and region (the tropics' wet
//! season, southern winters, desert summers), labelled `seasonal_guidance` — never a forecast.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeasonalNote {
    pub month: u32,
    pub summary: String,
    pub cautions: Vec<String>,
    /// Always `seasonal_guidance`: general climate, not a forecast.
    pub source: &'static str,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn month_name(month: u32) -> &'static str {
    MONTHS.get(month.saturating_sub(1) as usize).copied().unwrap_or("that month")
}

/// What a place at this latitude (and country) is usually like in `month`.
pub fn climate_at(lat: f64, country: &str, month: u32) -> SeasonalNote {
    let southern = lat < 0.0;
    // Months counted from midsummer, so one rule serves both hemispheres.
    let summer = if southern { matches!(month, 12 | 1 | 2) } else { matches!(month, 6..=8) };
    let winter = if southern { matches!(month, 6..=8) } else { matches!(month, 12 | 1 | 2) };
    let tropical = lat.abs() < 23.5;
    let wet_season =
        tropical && if southern { matches!(month, 11 | 12 | 1 | 2 | 3 | 4) } else { matches!(month, 5..=10) };
    let mut cautions = Vec::new();
    let summary = if tropical && wet_season {
        cautions.push("wet season: heavy rain, flooded crossings and closed unsealed roads are common".into());
        if country == "AU" || lat.abs() > 10.0 {
            cautions.push("cyclone season: watch the official warnings".into());
        }
        format!("Hot and humid with the wet season in {}", month_name(month))
    } else if tropical {
        format!("Dry season in {}: warm days and mild nights, the best time to travel the tropics", month_name(month))
    } else if summer && lat.abs() < 35.0 && (country == "AU" || country == "US") {
        cautions.push("inland and desert areas are very hot; carry water and plan early starts".into());
        format!("Summer in {}: hot inland, pleasant on the coast", month_name(month))
    } else if winter && lat.abs() >= 35.0 {
        cautions.push("cold nights and frost; alpine roads may need chains or be closed".into());
        format!("Winter in {}: cold, wet or snowy weather likely", month_name(month))
    } else if winter {
        format!("Mild winter in {}: cool nights, comfortable days", month_name(month))
    } else if summer {
        format!("Summer in {}: warm to hot days", month_name(month))
    } else {
        format!("Shoulder season in {}: usually mild", month_name(month))
    };
    SeasonalNote { month, summary, cautions, source: "seasonal_guidance" }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeasonalRoute {
    pub month: u32,
    pub region: String,
    pub head_for: Vec<String>,
    pub avoid: Vec<String>,
    pub why: String,
    pub source: &'static str,
}

/// Where to take the van in `month`, for Australia (`AU`) or North America (`US`, `CA`).
pub fn suggest(month: u32, country: &str) -> SeasonalRoute {
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let (head_for, avoid, why) = match (country, month) {
        ("AU", 5..=9) => (
            names(&[
                "Top End (Darwin, Kakadu, Katherine)",
                "Kimberley and the Gibb River Road",
                "Far North Queensland",
                "Central Australia (Uluru, Alice Springs)",
            ]),
            names(&["Tasmania and the Victorian high country (cold, some roads closed)"]),
            "southern winter is the dry season up north: the classic time for the Top End and the Kimberley",
        ),
        ("AU", 11..=12) | ("AU", 1..=3) => (
            names(&["Tasmania", "Victoria's coast and high country", "South Australia's coast", "Southern NSW"]),
            names(&[
                "the Top End and the Kimberley (wet season, cyclones, closed roads)",
                "the outback (extreme heat)",
            ]),
            "southern summer: the north is in its wet season and the inland is very hot",
        ),
        ("AU", _) => (
            names(&["the Flinders Ranges", "the NSW and Queensland coasts", "the Murray River"]),
            names(&["the far north until the roads dry out (April–May)"]),
            "shoulder season: mild across the south and east",
        ),
        (_, 6..=8) => (
            names(&[
                "the Rockies and Yellowstone",
                "the Pacific Northwest",
                "Alaska and the Canadian Rockies",
                "New England",
            ]),
            names(&["the desert southwest (extreme heat)", "the Gulf coast (hurricane season from June)"]),
            "northern summer: the mountains and the north are open and mild",
        ),
        (_, 12) | (_, 1..=2) => (
            names(&["Arizona (Quartzsite, Yuma)", "southern California deserts", "Texas Rio Grande Valley", "Florida"]),
            names(&["the northern states and mountain passes (snow, closures)"]),
            "northern winter: snowbirds head for the southern sunbelt",
        ),
        _ => (
            names(&["the Southwest national parks (Utah, Arizona)", "the Blue Ridge Parkway", "the Pacific coast"]),
            names(&["high passes early in spring (late snow)"]),
            "shoulder season: mild weather and fewer crowds",
        ),
    };
    SeasonalRoute {
        month,
        region: if country == "AU" { "Australia".into() } else { "North America".into() },
        head_for,
        avoid,
        why: format!("{} ({})", why, month_name(month)),
        source: "seasonal_guidance",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tropics_wet_and_dry_and_the_south_cold() {
        assert!(climate_at(-12.46, "AU", 1).summary.contains("wet season"));
        assert!(climate_at(-12.46, "AU", 7).summary.contains("Dry season"));
        assert!(climate_at(-42.88, "AU", 7).summary.contains("Winter"));
        assert!(suggest(7, "AU").head_for.iter().any(|p| p.contains("Kimberley")));
        assert!(suggest(1, "US").head_for.iter().any(|p| p.contains("Arizona")));
    }
}
