//! Charts drawn into SVG with plotters: stacked bars, one colour per series, with a legend. Shared by
//! the Wins spending chart and the operators' usage chart, so neither domain reaches into the other.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use pam_kernel::DomainError;
use plotters::prelude::*;

/// One colour per series, in order; distinct at a glance.
const PALETTE: [RGBColor; 16] = [
    RGBColor(230, 97, 1),
    RGBColor(27, 120, 55),
    RGBColor(90, 174, 97),
    RGBColor(202, 0, 32),
    RGBColor(64, 64, 160),
    RGBColor(118, 42, 131),
    RGBColor(0, 136, 170),
    RGBColor(153, 112, 171),
    RGBColor(253, 184, 99),
    RGBColor(67, 147, 195),
    RGBColor(146, 197, 222),
    RGBColor(214, 96, 77),
    RGBColor(244, 165, 130),
    RGBColor(191, 129, 45),
    RGBColor(128, 205, 193),
    RGBColor(150, 150, 150),
];

/// How many series get a colour of their own; past it, colours repeat.
pub const COLOURS: usize = PALETTE.len();

fn colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// One chart of stacked bars: its title, a series per colour (in the order given), the y axis's name.
pub struct Panel<'a> {
    pub title: &'a str,
    pub series: &'a [(String, Vec<f64>)],
    pub y_desc: &'a str,
}

/// A stacked bar chart in SVG: one bar per label, one colour per series, with a legend. Shared by the
/// Wins spending chart and the operators' usage chart.
pub fn stacked_bars(
    title: &str,
    labels: &[String],
    series: &[(String, Vec<f64>)],
    y_desc: &str,
) -> Result<String, DomainError> {
    stacked_panels(labels, &[Panel { title, series, y_desc }], (900, 500))
}

/// Several stacked bar charts over the same labels, one above the other, in one SVG document.
pub fn stacked_panels(labels: &[String], panels: &[Panel<'_>], size: (u32, u32)) -> Result<String, DomainError> {
    let mut svg = String::new();
    {
        let mut draw = || -> Result<(), Box<dyn std::error::Error + '_>> {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            root.fill(&WHITE)?;
            for (area, panel) in root.split_evenly((panels.len().max(1), 1)).iter().zip(panels) {
                draw_panel(area, labels, panel)?;
            }
            root.present()?;
            Ok(())
        };
        draw().map_err(|e| DomainError::Internal(anyhow::anyhow!("drawing the chart: {e}")))?;
    }
    Ok(svg)
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    labels: &[String],
    panel: &Panel<'_>,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let n = labels.len();
    let totals: Vec<f64> =
        (0..n).map(|i| panel.series.iter().map(|(_, v)| v.get(i).copied().unwrap_or(0.0)).sum()).collect();
    let max = totals.iter().copied().fold(0.0f64, f64::max).max(1.0);
    let mut chart = ChartBuilder::on(area)
        .caption(panel.title, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(80)
        // A segmented range a..b has b − a + 1 segments: one per label.
        .build_cartesian_2d((0..n.max(1) - 1).into_segmented(), 0f64..max * 1.1)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n.min(16))
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .y_desc(panel.y_desc)
        .y_label_formatter(&|v| if max < 10.0 { format!("{v:.2}") } else { format!("{v:.0}") })
        .draw()?;
    let mut bottoms = vec![0f64; n];
    for (index, (name, values)) in panel.series.iter().enumerate() {
        let colour = colour(index);
        let bars: Vec<_> = (0..n)
            .map(|i| {
                let value = values.get(i).copied().unwrap_or(0.0);
                let (lo, hi) = (bottoms[i], bottoms[i] + value);
                bottoms[i] = hi;
                let mut bar =
                    Rectangle::new([(SegmentValue::Exact(i), lo), (SegmentValue::Exact(i + 1), hi)], colour.filled());
                bar.set_margin(0, 0, 4, 4);
                bar
            })
            .collect();
        chart
            .draw_series(bars)?
            .label(name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], colour.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}
