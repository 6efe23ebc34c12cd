/// Milliseconds on a clock shared by every worker of a run. In the browser this
/// is `performance.timeOrigin + performance.now()`, so spans measured in
/// different workers line up; natively it is the time since an `Instant`.
pub trait Clock: Sync {
    fn now_ms(&self) -> f64;
}

#[cfg(not(target_arch = "wasm32"))]
pub struct NativeClock(std::time::Instant);

#[cfg(not(target_arch = "wasm32"))]
impl NativeClock {
    pub fn new() -> Self {
        NativeClock(std::time::Instant::now())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Default for NativeClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for NativeClock {
    fn now_ms(&self) -> f64 {
        self.0.elapsed().as_secs_f64() * 1000.0
    }
}
