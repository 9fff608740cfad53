//! A lazy cache in front of a provider: loads on first use, refreshes ahead of expiry, and lets
//! one caller refresh while the others wait for its result.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use super::{future, Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider};

/// The clock of a [`LazyCredentialsCache`], replaceable in tests.
pub trait TimeSource: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system clock.
#[derive(Debug)]
struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// The default refresh window: credentials are refreshed once they expire within 5 minutes.
const DEFAULT_BUFFER: Duration = Duration::from_secs(5 * 60);

/// Caches the credentials of a provider until shortly before they expire.
///
/// - The first call loads them; calls made while they are fresh are answered from the cache.
/// - Credentials that expire within the buffer (5 minutes by default) are refreshed by the next
///   call. A single caller refreshes: concurrent callers on expired credentials wait for it and
///   share its result, so a hundred calls on expired credentials make one request to the source;
///   concurrent callers on credentials that are due for a refresh but still valid do not wait:
///   they go on with those (as botocore does in its advisory refresh window), so a slow or
///   failing source delays only the caller that refreshes.
/// - When a refresh fails while the cached credentials are still valid, they are kept (and a
///   later call tries again); once they have expired, the error is returned.
/// - Credentials without an expiry are kept for the life of the cache.
#[derive(Clone)]
pub struct LazyCredentialsCache {
    inner: Arc<Inner>,
}

struct Inner {
    provider: SharedCredentialsProvider,
    clock: Arc<dyn TimeSource>,
    buffer: Duration,
    cached: RwLock<Option<Credentials>>,
    /// Held by the one caller that refreshes.
    refresh: tokio::sync::Mutex<()>,
}

impl fmt::Debug for LazyCredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyCredentialsCache")
            .field("provider", &self.inner.provider)
            .field("buffer", &self.inner.buffer)
            .finish_non_exhaustive()
    }
}

/// Builds a [`LazyCredentialsCache`].
#[derive(Debug, Default)]
pub struct LazyCredentialsCacheBuilder {
    clock: Option<Arc<dyn TimeSource>>,
    buffer: Option<Duration>,
}

impl LazyCredentialsCacheBuilder {
    /// Uses `clock` instead of the system clock.
    pub fn time_source(mut self, clock: impl TimeSource + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Refreshes credentials once they expire within `buffer` (default 5 minutes).
    pub fn buffer(mut self, buffer: Duration) -> Self {
        self.buffer = Some(buffer);
        self
    }

    /// A cache in front of `provider`.
    pub fn build(self, provider: impl ProvideCredentials + 'static) -> LazyCredentialsCache {
        LazyCredentialsCache {
            inner: Arc::new(Inner {
                provider: SharedCredentialsProvider::new(provider),
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
                buffer: self.buffer.unwrap_or(DEFAULT_BUFFER),
                cached: RwLock::new(None),
                refresh: tokio::sync::Mutex::new(()),
            }),
        }
    }
}

impl LazyCredentialsCache {
    /// A cache with the system clock and the default buffer in front of `provider`.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self::builder().build(provider)
    }

    /// A builder, to set the clock or the buffer.
    pub fn builder() -> LazyCredentialsCacheBuilder {
        LazyCredentialsCacheBuilder::default()
    }

    fn cached(&self) -> Option<Credentials> {
        match self.inner.cached.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn store(&self, credentials: Credentials) {
        match self.inner.cached.write() {
            Ok(mut guard) => *guard = Some(credentials),
            Err(poisoned) => *poisoned.into_inner() = Some(credentials),
        }
    }

    /// Whether `credentials` need no refresh at `now`.
    fn is_fresh(&self, credentials: &Credentials, now: SystemTime) -> bool {
        match credentials.expiry() {
            None => true,
            Some(expiry) => expiry
                .checked_sub(self.inner.buffer)
                .is_none_or(|refresh_at| now < refresh_at),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let now = self.inner.clock.now();
        let cached = self.cached();
        if let Some(credentials) = &cached {
            if self.is_fresh(credentials, now) {
                return Ok(credentials.clone());
            }
        }
        let still_valid = cached.filter(|credentials| is_valid(credentials, now));
        let _refreshing = match (self.inner.refresh.try_lock(), still_valid) {
            (Ok(guard), _) => guard,
            // Another caller is refreshing; these are still valid: no need to wait for it.
            (Err(_), Some(credentials)) => return Ok(credentials),
            (Err(_), None) => self.inner.refresh.lock().await,
        };
        // Another caller may have refreshed while this one waited.
        let current = self.cached();
        if let Some(credentials) = &current {
            if self.is_fresh(credentials, self.inner.clock.now()) {
                return Ok(credentials.clone());
            }
        }
        tracing::debug!("loading credentials");
        match self.inner.provider.provide_credentials().await {
            Ok(credentials) => {
                self.store(credentials.clone());
                Ok(credentials)
            }
            Err(error) => {
                let now = self.inner.clock.now();
                match current {
                    Some(credentials) if is_valid(&credentials, now) => {
                        tracing::warn!(error = %error, "refreshing credentials failed; the current ones are still valid and are kept");
                        Ok(credentials)
                    }
                    _ => Err(error),
                }
            }
        }
    }
}

/// Whether `credentials` have not expired at `now`.
fn is_valid(credentials: &Credentials, now: SystemTime) -> bool {
    credentials.expiry().is_none_or(|expiry| now < expiry)
}

impl ProvideCredentials for LazyCredentialsCache {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.load())
    }
}
