//! Model-independent waiters: poll an operation until acceptors say the resource reached the
//! wanted state, with the backoff of the Smithy waiter specification.
//!
//! ```no_run
//! # async fn example() {
//! use std::time::Duration;
//! use aws_json_client::{AcceptorState, Waiter};
//!
//! let outcome = Waiter::new(Duration::from_secs(300))
//!     .delays(Duration::from_secs(2), Duration::from_secs(30))
//!     .wait(
//!         || async { Ok::<_, std::io::Error>("IN_PROGRESS") },
//!         |result| match result {
//!             Ok("SUCCEEDED") => Some(AcceptorState::Success),
//!             Ok("FAILED") => Some(AcceptorState::Failure),
//!             _ => None,
//!         },
//!     )
//!     .await;
//! # }
//! ```

use std::fmt;
use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

/// What an acceptor decides about one poll.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AcceptorState {
    /// The resource reached the wanted state: stop with success.
    Success,
    /// The resource can no longer reach the wanted state: stop with failure.
    Failure,
    /// Not there yet: poll again.
    Retry,
}

/// The last poll of a waiter: the operation's output, or its error when an acceptor matched it.
#[derive(Debug)]
pub struct FinalPoll<T, E> {
    result: Result<T, E>,
}

impl<T, E> FinalPoll<T, E> {
    /// The result of the last poll.
    pub fn as_result(&self) -> Result<&T, &E> {
        self.result.as_ref()
    }

    /// Unwraps the result of the last poll.
    pub fn into_result(self) -> Result<T, E> {
        self.result
    }
}

/// Why waiting did not succeed.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<T, E> {
    /// The maximum wait elapsed before an acceptor said success or failure.
    Timeout {
        /// How long the waiter waited.
        elapsed: Duration,
        /// How many times it polled.
        polls: u32,
    },
    /// An acceptor said the resource cannot reach the wanted state.
    Failure(FinalPoll<T, E>),
    /// A poll failed with an error that no acceptor matched.
    Operation(E),
}

impl<T, E: fmt::Display> fmt::Display for WaiterError<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout { elapsed, polls } => write!(
                f,
                "waiting timed out after {elapsed:?} ({polls} poll{})",
                if *polls == 1 { "" } else { "s" }
            ),
            Self::Failure(poll) => match poll.as_result() {
                Ok(_) => f.write_str("the resource reached a failure state"),
                Err(error) => write!(f, "the resource reached a failure state: {error}"),
            },
            Self::Operation(error) => write!(f, "polling failed: {error}"),
        }
    }
}

impl<T: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<T, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Timeout { .. } => None,
            Self::Failure(poll) => poll.as_result().err().map(|e| e as _),
            Self::Operation(error) => Some(error),
        }
    }
}

/// Polls an operation until an acceptor says success or failure, or a maximum wait elapses.
///
/// The first poll happens at once. Before poll `n + 1` the waiter sleeps a random time between
/// `min_delay` and `min(max_delay, min_delay × 2^(n-1))`, shortened so that the last poll
/// happens before the maximum wait elapses; when less than `min_delay` is left, it gives up
/// with [`WaiterError::Timeout`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiter {
    max_wait: Duration,
    min_delay: Duration,
    max_delay: Duration,
}

impl Waiter {
    /// A waiter that gives up after `max_wait`, with the Smithy default delays (2 s to 120 s).
    pub fn new(max_wait: Duration) -> Self {
        Self {
            max_wait,
            min_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(120),
        }
    }

    /// The same waiter with other delays between polls (`max_delay` is raised to `min_delay`
    /// if smaller).
    pub fn delays(mut self, min_delay: Duration, max_delay: Duration) -> Self {
        self.min_delay = min_delay;
        self.max_delay = max_delay.max(min_delay);
        self
    }

    /// The maximum wait.
    pub fn max_wait(&self) -> Duration {
        self.max_wait
    }

    /// Polls with `poll` until `acceptor` decides.
    ///
    /// `acceptor` sees each poll's result and returns `Some(state)` when one of the waiter's
    /// acceptors matches, `None` otherwise. With no match an output means "retry" and an error
    /// ends waiting with [`WaiterError::Operation`], as the Smithy specification says.
    pub async fn wait<T, E, F, Fut, A>(
        &self,
        mut poll: F,
        mut acceptor: A,
    ) -> Result<FinalPoll<T, E>, WaiterError<T, E>>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        A: FnMut(&Result<T, E>) -> Option<AcceptorState>,
    {
        let start = Instant::now();
        let mut polls: u32 = 0;
        loop {
            let result = poll().await;
            polls += 1;
            match acceptor(&result) {
                Some(AcceptorState::Success) => {
                    tracing::debug!(polls, "waiter reached success");
                    return Ok(FinalPoll { result });
                }
                Some(AcceptorState::Failure) => {
                    tracing::debug!(polls, "waiter reached failure");
                    return Err(WaiterError::Failure(FinalPoll { result }));
                }
                Some(AcceptorState::Retry) => {}
                None => {
                    if let Err(error) = result {
                        return Err(WaiterError::Operation(error));
                    }
                }
            }
            let elapsed = start.elapsed();
            let remaining = self.max_wait.saturating_sub(elapsed);
            if remaining <= self.min_delay {
                return Err(WaiterError::Timeout { elapsed, polls });
            }
            let ceiling = self
                .min_delay
                .checked_mul(1u32 << polls.saturating_sub(1).min(31))
                .unwrap_or(self.max_delay)
                .min(self.max_delay);
            let mut delay = if ceiling > self.min_delay {
                self.min_delay + (ceiling - self.min_delay).mul_f64(fastrand::f64())
            } else {
                self.min_delay
            };
            if remaining.saturating_sub(delay) <= self.min_delay {
                delay = remaining - self.min_delay;
            }
            tracing::debug!(polls, ?delay, "waiter retrying");
            tokio::time::sleep(delay).await;
        }
    }
}
