//! The standard retry strategy: which failures are retried, how long to wait, and the retry
//! quota that stops a client from retrying into an outage.

use std::sync::Mutex;
use std::time::Duration;

use aws_json_runtime::OperationError;

use crate::config::RetryConfig;
use crate::error::{SdkError, TimeoutKind};
use crate::protocol::{THROTTLING_CODES, TRANSIENT_CODES, TRANSIENT_STATUSES};

/// Why a failed attempt may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryKind {
    /// The service is throttling the caller.
    Throttling,
    /// A transient failure: a 5xx status, a retryable error, a connection problem, an attempt
    /// that ran out of time.
    Transient,
    /// A timeout of one attempt (retried, but costs more of the retry quota).
    Timeout,
}

/// Whether a failure is worth another attempt, and why.
pub fn classify<E: OperationError>(error: &SdkError<E>) -> Option<RetryKind> {
    match error {
        SdkError::Service { error, meta } => classify_service_error(
            error.code(),
            meta.http_status(),
            error.is_retryable(),
            error.is_throttling(),
        ),
        _ => classify_failure(error),
    }
}

/// Whether an error response is worth another attempt: by its code and status, and the
/// modeled error's `retryable` trait (`retryable`, and `throttling` within it).
pub fn classify_service_error(
    code: &str,
    http_status: u16,
    retryable: bool,
    throttling: bool,
) -> Option<RetryKind> {
    if throttling || THROTTLING_CODES.contains(&code) {
        Some(RetryKind::Throttling)
    } else if retryable
        || TRANSIENT_CODES.contains(&code)
        || TRANSIENT_STATUSES.contains(&http_status)
    {
        Some(RetryKind::Transient)
    } else {
        None
    }
}

/// Whether a failure other than an error response is worth another attempt.
pub(crate) fn classify_failure<E>(error: &SdkError<E>) -> Option<RetryKind> {
    match error {
        SdkError::Timeout(timeout) => match timeout.kind() {
            TimeoutKind::Operation => None,
            TimeoutKind::Connect | TimeoutKind::Attempt => Some(RetryKind::Timeout),
        },
        SdkError::Dispatch(_) => Some(RetryKind::Transient),
        SdkError::Service { .. }
        | SdkError::Construction(_)
        | SdkError::Response(_)
        | SdkError::Signing(_) => None,
    }
}

/// The delay before retry `retry` (1 for the first retry): `random(0..1) × initial_backoff ×
/// 2^(retry-1)`, at most `max_backoff`.
pub fn backoff(config: &RetryConfig, retry: u32) -> Duration {
    let exponent = retry.saturating_sub(1).min(62);
    let ceiling = config
        .initial_backoff()
        .checked_mul(1u32 << exponent.min(31))
        .unwrap_or(config.max_backoff())
        .min(config.max_backoff());
    ceiling.mul_f64(fastrand::f64())
}

/// The retry quota of the standard strategy: a bucket of 500 tokens per client; a retry takes
/// 5 (10 after a timeout) and a success returns what its retries took (or 1 token when it needed
/// no retry). When the bucket runs dry, failures are no longer retried.
#[derive(Debug)]
pub(crate) struct RetryQuota {
    tokens: Mutex<u32>,
}

const INITIAL_TOKENS: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const NO_RETRY_INCREMENT: u32 = 1;

impl RetryQuota {
    pub(crate) fn new() -> Self {
        Self {
            tokens: Mutex::new(INITIAL_TOKENS),
        }
    }

    /// Takes the cost of a retry of `kind`; `None` when the quota is exhausted.
    pub(crate) fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = match kind {
            RetryKind::Timeout => TIMEOUT_RETRY_COST,
            RetryKind::Throttling | RetryKind::Transient => RETRY_COST,
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if *tokens >= cost {
            *tokens -= cost;
            Some(cost)
        } else {
            None
        }
    }

    /// Returns tokens after a successful call that took `spent` tokens for its retries.
    pub(crate) fn release(&self, spent: u32) {
        let refund = if spent == 0 {
            NO_RETRY_INCREMENT
        } else {
            spent
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        *tokens = (*tokens + refund).min(INITIAL_TOKENS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let config = RetryConfig::standard()
            .with_initial_backoff(Duration::from_secs(1))
            .with_max_backoff(Duration::from_secs(20));
        for _ in 0..100 {
            assert!(backoff(&config, 1) <= Duration::from_secs(1));
            assert!(backoff(&config, 3) <= Duration::from_secs(4));
            assert!(backoff(&config, 40) <= Duration::from_secs(20));
            assert!(backoff(&config, u32::MAX) <= Duration::from_secs(20));
        }
    }

    #[test]
    fn quota_runs_dry_and_refills() {
        let quota = RetryQuota::new();
        let mut taken = 0;
        while quota.acquire(RetryKind::Transient).is_some() {
            taken += 1;
        }
        assert_eq!(taken, 100);
        assert_eq!(quota.acquire(RetryKind::Timeout), None);
        quota.release(10);
        assert_eq!(quota.acquire(RetryKind::Timeout), Some(10));
    }
}
