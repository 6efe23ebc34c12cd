/// The run was asked to stop; the kernel returns early with this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// Called by long kernels every few microseconds of work. Returning
/// `Err(Stopped)` ends the kernel early; the call may also block for a while
/// (e.g. to give a global lock to another thread).
pub trait Checkpoint {
    fn check(&mut self) -> Result<(), Stopped>;

    /// Block for `ms` milliseconds, as `time.sleep` does. Pool workers
    /// override this to record a `sleep` phase, let go of a global lock while
    /// asleep, and wake early when the run is stopped.
    fn sleep(&mut self, ms: f64) -> Result<(), Stopped> {
        std::thread::sleep(std::time::Duration::from_secs_f64(ms.max(0.0) / 1000.0));
        self.check()
    }

    /// Run `wait`, a blocking wait on I/O. Pool workers record it as an `io`
    /// phase and let go of a global lock meanwhile, as CPython does around a
    /// blocking socket read.
    fn io(&mut self, wait: &mut dyn FnMut()) -> Result<(), Stopped> {
        wait();
        self.check()
    }
}

/// A checkpoint that never stops anything: for tests and benchmarks.
pub struct NoCheckpoint;

impl Checkpoint for NoCheckpoint {
    #[inline]
    fn check(&mut self) -> Result<(), Stopped> {
        Ok(())
    }
}

impl<F: FnMut() -> Result<(), Stopped>> Checkpoint for F {
    #[inline]
    fn check(&mut self) -> Result<(), Stopped> {
        self()
    }
}
