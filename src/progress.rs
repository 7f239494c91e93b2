//! A progress line for builds that take more than a moment: shown on stderr, only on a
//! terminal, only after a short delay, and erased when the build ends.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What a build is doing, updated by the build, read by the [`Spinner`].
#[derive(Debug, Default)]
pub struct Progress {
    stage: Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
    /// When each stage began, in order (for `build --verbose`).
    began: Mutex<Vec<(&'static str, Instant)>>,
}

impl Progress {
    /// Enters a stage (`reading`, `parsing`, `rendering`) of `total` steps (0: unknown).
    pub fn stage(&self, name: &'static str, total: usize) {
        *self.stage.lock().unwrap_or_else(|e| e.into_inner()) = name;
        self.began
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((name, Instant::now()));
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// One step of the current stage is done.
    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// How long each stage took, in order, the last one until now: `[("reading", 2 ms), …]`.
    pub fn timings(&self) -> Vec<(&'static str, Duration)> {
        let began = self.began.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        began
            .iter()
            .enumerate()
            .map(|(i, (name, t))| {
                let end = began.get(i + 1).map_or(now, |(_, next)| *next);
                (*name, end.duration_since(*t))
            })
            .collect()
    }

    /// `parsing 12/40`, or the stage's name alone where its size is unknown.
    pub fn describe(&self) -> String {
        let stage = *self.stage.lock().unwrap_or_else(|e| e.into_inner());
        let stage = if stage.is_empty() { "building" } else { stage };
        match self.total.load(Ordering::Relaxed) {
            0 => stage.to_string(),
            total => format!("{stage} {}/{total}", self.done.load(Ordering::Relaxed)),
        }
    }
}

/// Draws the progress line on stderr while it lives.
pub struct Spinner {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Spinner {
    /// Starts drawing `progress` after `delay`, if `enabled` (stderr is a terminal and
    /// the user did not ask for quiet); otherwise does nothing.
    pub fn start(progress: Arc<Progress>, delay: Duration, enabled: bool) -> Spinner {
        let stop = Arc::new(AtomicBool::new(false));
        if !enabled {
            return Spinner { stop, handle: None };
        }
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let start = Instant::now();
            let frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            let mut drawn = false;
            let mut i = 0;
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(80));
                if start.elapsed() < delay {
                    continue;
                }
                let line = format!(
                    "\r\x1b[2K{} {} … {:.1} s",
                    frames[i % frames.len()],
                    progress.describe(),
                    start.elapsed().as_secs_f64()
                );
                let _ = std::io::stderr().write_all(line.as_bytes());
                drawn = true;
                i += 1;
            }
            if drawn {
                let _ = std::io::stderr().write_all(b"\r\x1b[2K");
            }
        });
        Spinner {
            stop,
            handle: Some(handle),
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_the_stage() {
        let p = Progress::default();
        assert_eq!(p.describe(), "building");
        p.stage("parsing", 3);
        p.tick();
        assert_eq!(p.describe(), "parsing 1/3");
        p.stage("rendering", 0);
        assert_eq!(p.describe(), "rendering");
        let names: Vec<_> = p.timings().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["parsing", "rendering"]);
    }
}
