//! `relman calendar [--from DATE] [--count N]`: the bi-weekly train
//! calendar (SPEC §9). The ISO-week arithmetic is `domain::calendar`.

use std::io::{self, Write};

use chrono::NaiveDate;
use serde::Serialize;

use super::Context;
use crate::cli::CalendarArgs;
use crate::domain::calendar::{self, Slot};
use crate::domain::catalog::Catalog;
use crate::domain::train::Status;
use crate::error::{Error, Result};
use crate::output::{Report, Style};
use crate::settings::parse_time;

/// A catalog train scheduled in a slot.
#[derive(Debug, Clone, Serialize)]
pub struct Scheduled {
    /// The train.
    pub name: String,
    /// Its status.
    pub status: Status,
    /// Its `schedule.start_time`.
    pub start_time: String,
}

/// One slot of the calendar with the trains scheduled in it.
#[derive(Debug, Clone, Serialize)]
pub struct SlotView {
    /// The slot: version, ISO year, number, dates, phases.
    #[serde(flatten)]
    pub slot: Slot,
    /// The catalog's trains whose `schedule.start_time` falls in its days.
    pub trains: Vec<Scheduled>,
}

/// `relman calendar` result (schema `relman.calendar/1`).
#[derive(Debug, Clone, Serialize)]
pub struct CalendarReport {
    /// The day asked for.
    #[serde(serialize_with = "crate::domain::metrics::ymd")]
    pub from: NaiveDate,
    /// The slots, from the one holding `from`.
    pub slots: Vec<SlotView>,
}

impl Report for CalendarReport {
    const SCHEMA: &'static str = "relman.calendar/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        for (i, s) in self.slots.iter().enumerate() {
            if i > 0 {
                writeln!(w)?;
            }
            let trains = if s.trains.is_empty() {
                st.dim("no train scheduled")
            } else {
                s.trains
                    .iter()
                    .map(|t| format!("{} ({})", t.name, t.status))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            writeln!(
                w,
                "{}  {} → {}  week {}  {trains}",
                st.bold(&s.slot.version),
                s.slot.start,
                s.slot.end,
                s.slot.first_week
            )?;
            for p in &s.slot.phases {
                let days = if p.start == p.end {
                    p.start.format("%a %Y-%m-%d").to_string()
                } else {
                    format!("{} – {}", p.start.format("%a %Y-%m-%d"), p.end.format("%a %Y-%m-%d"))
                };
                writeln!(w, "  {:<29}{days}", p.name)?;
            }
        }
        Ok(())
    }
}

/// The calendar of `count` slots from `from`, with the catalog's trains.
pub fn compute(catalog: Option<&Catalog>, from: NaiveDate, count: usize) -> CalendarReport {
    let scheduled: Vec<(NaiveDate, Scheduled)> = catalog
        .map(|c| c.trains.as_slice())
        .unwrap_or_default()
        .iter()
        .filter_map(|t| {
            let start = t.start_time.as_ref()?;
            let day = parse_time(start)?.date_naive();
            Some((
                day,
                Scheduled { name: t.name.clone(), status: t.status, start_time: start.clone() },
            ))
        })
        .collect();
    let slots = calendar::slots(from, count)
        .into_iter()
        .map(|slot| {
            let trains = scheduled
                .iter()
                .filter(|(d, _)| *d >= slot.start && *d <= slot.end)
                .map(|(_, t)| t.clone())
                .collect();
            SlotView { slot, trains }
        })
        .collect();
    CalendarReport { from, slots }
}

/// Reads `--from` (default: today).
pub fn from_date(cx: &Context, from: Option<&str>) -> Result<NaiveDate> {
    match from {
        None => Ok(cx.global.now.date_naive()),
        Some(text) => parse_time(text).map(|t| t.date_naive()).ok_or_else(|| {
            Error::input(format!("`--from {text}` is not a date"))
                .hint("write YYYY-MM-DD or an RFC 3339 time")
        }),
    }
}

/// Lists the calendar.
pub fn run(cx: &Context, args: &CalendarArgs) -> Result<CalendarReport> {
    let from = from_date(cx, args.from.as_deref())?;
    // A calendar needs no repository; outside one it lists no trains.
    let catalog = match cx.repo() {
        Ok(repo) => repo.catalog_optional()?,
        Err(_) => None,
    };
    Ok(compute(catalog.as_ref(), from, usize::from(args.count)))
}
