//! Progress of a long command (`train run`): indicatif bars on a terminal,
//! one plain line per step elsewhere (the lines `Ui::step` prints either
//! way, above the bars on a terminal).

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Ui;

/// A bar for a phase or a participant; does nothing without a terminal.
#[derive(Debug)]
pub struct Bar(Option<ProgressBar>);

impl Bar {
    /// Moves the bar one step on.
    pub fn inc(&self) {
        if let Some(b) = &self.0 {
            b.inc(1);
        }
    }

    /// Says what the bar is at now.
    pub fn set_message(&self, message: impl Into<String>) {
        if let Some(b) = &self.0 {
            b.set_message(message.into());
        }
    }

    /// Ends the bar, leaving its last state shown.
    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish();
        }
    }

    /// Ends the bar and removes it.
    pub fn clear(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

impl Ui {
    /// Tells whether bars are drawn: human output, stderr a terminal, not quiet.
    pub fn bars_enabled(&self) -> bool {
        self.terminal.1 && !self.quiet && self.format == crate::cli::Format::Human
    }

    fn multi(&self) -> Option<MultiProgress> {
        if !self.bars_enabled() {
            return None;
        }
        let mut bars = self.bars.borrow_mut();
        Some(
            bars.get_or_insert_with(|| {
                MultiProgress::with_draw_target(ProgressDrawTarget::stderr())
            })
            .clone(),
        )
    }

    /// A bar for a phase of `len` steps (`executing 3/10`).
    pub fn phase_bar(&self, phase: &str, len: u64) -> Bar {
        Bar(self.multi().map(|m| {
            let style = ProgressStyle::with_template("{prefix:>12} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            let bar = m.add(ProgressBar::new(len).with_style(style));
            bar.set_prefix(phase.to_owned());
            bar
        }))
    }

    /// A spinner for one participant while its steps run.
    pub fn service_bar(&self, service: &str) -> Bar {
        Bar(self.multi().map(|m| {
            let style = ProgressStyle::with_template("{prefix:>12} {spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            let bar = m.add(ProgressBar::new_spinner().with_style(style));
            bar.set_prefix(service.to_owned());
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        }))
    }

    /// Prints a line above the bars, when they are drawn; `false` otherwise.
    pub(super) fn println_above_bars(&self, line: &str) -> bool {
        match &*self.bars.borrow() {
            // indicatif hides bars on a terminal it cannot draw on (such as
            // `TERM=dumb`): the line is then printed as usual.
            Some(m) if !m.is_hidden() => m.println(line).is_ok(),
            _ => false,
        }
    }
}
