//! The charts, drawn by plotters' SVG backend into strings the template
//! embeds inline.
//!
//! plotters is built without its `ttf` feature: no font files, no
//! font-kit, no system font lookup. Its SVG backend writes text as
//! `<text>` elements with a font family and an anchor, and the browser
//! lays them out with its own fonts; only plotters' own layout estimates
//! (label areas, the legend box) use a fixed-width approximation, which the
//! generous label areas below absorb. The text drawn is ours (rule codes,
//! bucket names, dates), never the audited site's, and the backend escapes
//! it anyway.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One named series of values, one per category.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Series {
    pub name: String,
    pub color: RGBColor,
    pub values: Vec<u64>,
}

/// Severity colours, shared with the stylesheet.
pub(crate) const ERROR: RGBColor = RGBColor(0xc0, 0x39, 0x2b);
pub(crate) const WARNING: RGBColor = RGBColor(0xd6, 0x8a, 0x10);
pub(crate) const NOTICE: RGBColor = RGBColor(0x2e, 0x86, 0xc1);
/// Colours for series that are not severities (evidence sources, chain
/// lengths).
pub(crate) const PALETTE: [RGBColor; 4] = [
    RGBColor(0x5b, 0x4b, 0x8a),
    RGBColor(0x1a, 0x93, 0x6f),
    RGBColor(0xb5, 0x5d, 0x9a),
    RGBColor(0x6b, 0x70, 0x75),
];

/// What drawing on the SVG backend can fail with.
type DrawError = DrawingAreaErrorKind<std::io::Error>;

const FONT: &str = "sans-serif";
const WIDTH: u32 = 640;

fn label_style(pos: Pos) -> TextStyle<'static> {
    (FONT, 12).into_font().color(&BLACK).pos(pos)
}

/// Room right of the plot for the legend, so it never covers a bar or a
/// point.
const LEGEND_WIDTH: u32 = 96;

/// The legend, right of the plotting area: a swatch and a name per series.
/// Drawn on the whole canvas (the plotting area clips what falls outside
/// it), where it never covers a bar or a point.
fn legend(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    chart: &Chart<'_, '_>,
    series: &[Series],
) -> Result<(), DrawError> {
    let area = chart.plotting_area();
    let (left, top) = area.get_base_pixel();
    let right = left + i32::try_from(area.dim_in_pixel().0).unwrap_or(0);
    for (i, s) in series.iter().enumerate() {
        let y = top + 8 + 18 * i32::try_from(i).unwrap_or(0);
        let x = right + 12;
        root.draw(&Rectangle::new(
            [(x, y - 5), (x + 10, y + 5)],
            s.color.filled(),
        ))?;
        root.draw(&Text::new(
            s.name.clone(),
            (x + 16, y),
            label_style(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Draws on an SVG canvas of `height` and returns the `<svg>` text.
fn svg(
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), DrawError>,
) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, height)).into_drawing_area();
        // Drawing into a String cannot fail; a failure would only leave the
        // chart incomplete, never the report unwritten.
        let _drawn = draw(&root).and_then(|()| root.present());
    }
    out
}

fn max_total(series: &[Series], categories: usize, stacked: bool) -> u64 {
    (0..categories)
        .map(|i| {
            let values = series.iter().map(|s| s.values.get(i).copied().unwrap_or(0));
            if stacked {
                values.sum()
            } else {
                values.max().unwrap_or(0)
            }
        })
        .max()
        .unwrap_or(0)
        .max(1)
}

/// A chart's drawing context: both axes plain numbers.
type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Which axis carries the values (the other one the categories, which the
/// charts label themselves with [`label`]).
enum ValueAxis<'d> {
    /// Horizontal bars: values along x.
    X,
    /// Columns and lines: values along y, with an optional description.
    Y(Option<&'d str>),
}

/// The frame every chart shares: margins with room for the legend, the
/// label areas, and a mesh with only the value axis labelled (six whole
/// numbers, no light lines).
fn frame<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    margin: u32,
    (x_label_area, y_label_area): (u32, u32),
    (x, y): (std::ops::Range<f64>, std::ops::Range<f64>),
    values: ValueAxis<'_>,
) -> Result<Chart<'a, 'b>, DrawError> {
    let mut chart = ChartBuilder::on(root)
        .margin(margin)
        .margin_right(LEGEND_WIDTH)
        .x_label_area_size(x_label_area)
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(x, y)?;
    let whole = |v: &f64| format!("{v:.0}");
    let mut mesh = chart.configure_mesh();
    mesh.max_light_lines(0).label_style((FONT, 12));
    match values {
        ValueAxis::X => {
            mesh.disable_y_mesh()
                .y_labels(0)
                .x_labels(6)
                .x_label_formatter(&whole);
        }
        ValueAxis::Y(desc) => {
            mesh.disable_x_mesh()
                .x_labels(0)
                .y_labels(6)
                .y_label_formatter(&whole);
            if let Some(desc) = desc {
                mesh.y_desc(desc);
            }
        }
    }
    mesh.draw()?;
    Ok(chart)
}

/// Draws `text` at the chart's point `at`, moved by `offset` pixels and
/// anchored at `pos`: category names beside or below the plotting area.
fn label(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    chart: &Chart<'_, '_>,
    text: &str,
    at: (f64, f64),
    (dx, dy): (i32, i32),
    pos: Pos,
) -> Result<(), DrawError> {
    let (x, y) = chart.backend_coord(&at);
    root.draw(&Text::new(
        text.to_owned(),
        (x + dx, y + dy),
        label_style(pos),
    ))
}

/// Horizontal bars, one per category, its series stacked (findings by
/// rule, split by severity).
pub(crate) fn stacked_bars(categories: &[String], series: &[Series]) -> String {
    let n = categories.len();
    let height = 60 + 22 * u32::try_from(n).unwrap_or(u32::MAX).max(1);
    let max = max_total(series, n, true);
    svg(height, |root| {
        let mut chart = frame(
            root,
            8,
            (24, 260),
            (0f64..max as f64 * 1.05, 0f64..n.max(1) as f64),
            ValueAxis::X,
        )?;
        // Where each category's next bar starts: the sum of the series
        // drawn before it.
        let mut offsets = vec![0u64; n];
        for s in series {
            chart.draw_series(s.values.iter().enumerate().filter(|(_, v)| **v > 0).map(
                |(i, v)| {
                    // Rules top down, the first at the top.
                    let y = (n - 1 - i) as f64;
                    let x0 = offsets[i] as f64;
                    Rectangle::new(
                        [(x0, y + 0.15), (x0 + *v as f64, y + 0.85)],
                        s.color.filled(),
                    )
                },
            ))?;
            for (o, v) in offsets.iter_mut().zip(&s.values) {
                *o += v;
            }
        }
        for (i, name) in categories.iter().enumerate() {
            let at = (0.0, (n - 1 - i) as f64 + 0.5);
            label(
                root,
                &chart,
                name,
                at,
                (-6, 0),
                Pos::new(HPos::Right, VPos::Center),
            )?;
        }
        legend(root, &chart, series)
    })
}

/// Vertical bars, one group per category, one bar per series (the age
/// histogram by evidence source; chain lengths with one series).
pub(crate) fn grouped_bars(categories: &[String], series: &[Series], y_label: &str) -> String {
    let n = categories.len();
    let max = max_total(series, n, false);
    let width = 0.8 / series.len().max(1) as f64;
    svg(280, |root| {
        let mut chart = frame(
            root,
            8,
            (28, 56),
            (0f64..n.max(1) as f64, 0f64..max as f64 * 1.1),
            ValueAxis::Y(Some(y_label)),
        )?;
        for (k, s) in series.iter().enumerate() {
            chart.draw_series(s.values.iter().enumerate().map(|(i, v)| {
                let x0 = i as f64 + 0.1 + width * k as f64;
                Rectangle::new(
                    [(x0, 0.0), (x0 + width * 0.95, *v as f64)],
                    s.color.filled(),
                )
            }))?;
        }
        for (i, name) in categories.iter().enumerate() {
            let at = (i as f64 + 0.5, 0.0);
            label(
                root,
                &chart,
                name,
                at,
                (0, 6),
                Pos::new(HPos::Center, VPos::Top),
            )?;
        }
        legend(root, &chart, series)
    })
}

/// Lines over audits (findings over time by severity); `labels` name the
/// points (dates), first to last.
pub(crate) fn lines(labels: &[String], series: &[Series]) -> String {
    let n = labels.len();
    let max = max_total(series, n, false);
    svg(280, |root| {
        let mut chart = frame(
            root,
            16,
            (28, 56),
            (-0.5f64..n.max(1) as f64 - 0.5, 0f64..max as f64 * 1.1),
            ValueAxis::Y(None),
        )?;
        for s in series {
            let points = s
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| (i as f64, *v as f64));
            chart.draw_series(LineSeries::new(points.clone(), s.color.stroke_width(2)))?;
            chart.draw_series(points.map(|p| Circle::new(p, 3, s.color.filled())))?;
        }
        // At most about eight date labels, evenly spread.
        let step = n.div_ceil(8).max(1);
        for (i, text) in labels.iter().enumerate().step_by(step) {
            let at = (i as f64, 0.0);
            label(
                root,
                &chart,
                text,
                at,
                (0, 6),
                Pos::new(HPos::Center, VPos::Top),
            )?;
        }
        legend(root, &chart, series)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(name: &str, color: RGBColor, values: &[u64]) -> Series {
        Series {
            name: name.to_owned(),
            color,
            values: values.to_vec(),
        }
    }

    #[test]
    fn bars_are_svg_rectangles_in_the_series_colour() {
        let categories: Vec<String> = ["0–7", "7–30", "30–90"].map(String::from).to_vec();
        let svg = grouped_bars(
            &categories,
            &[series("audits", PALETTE[0], &[3, 0, 1])],
            "redirects",
        );
        assert!(svg.starts_with("<svg"), "{svg}");
        // One bar per category and the legend's swatch, in the series
        // colour.
        assert_eq!(svg.matches("fill=\"#5B4B8A\"").count(), 4, "{svg}");
        for c in &categories {
            assert!(svg.contains(&format!(">\n{c}\n</text>")), "{c}: {svg}");
        }
    }

    #[test]
    fn stacked_bars_have_one_rectangle_per_non_zero_value() {
        let categories = vec!["redirect-chain".to_owned(), "malformed-location".to_owned()];
        let svg = stacked_bars(
            &categories,
            &[
                series("error", ERROR, &[1, 2]),
                series("warning", WARNING, &[4, 0]),
            ],
        );
        // Two error bars and one warning bar, plus one legend swatch each.
        assert_eq!(svg.matches("fill=\"#C0392B\"").count(), 3, "{svg}");
        assert_eq!(svg.matches("fill=\"#D68A10\"").count(), 2, "{svg}");
        assert!(svg.contains(">\nmalformed-location\n</text>"), "{svg}");
    }
}
