//! Name resolution for the HTTP connector: the system resolver, with fixed addresses for
//! chosen host names ([`ConfigBuilder::resolve`](crate::ConfigBuilder::resolve)), as curl's
//! `--resolve` does. Host prefixes (`endpoint` trait) make hosts such as
//! `data.example.com`; tests point them at a local server this way.

use std::collections::BTreeMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper_util::client::legacy::connect::dns::{GaiResolver, Name};

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;
type Resolving =
    Pin<Box<dyn Future<Output = Result<std::vec::IntoIter<SocketAddr>, BoxError>> + Send>>;

/// The system resolver, except for the host names of `overrides` (lower case).
#[derive(Clone, Debug)]
pub(crate) struct Resolver {
    overrides: Arc<BTreeMap<String, IpAddr>>,
    system: GaiResolver,
}

impl Resolver {
    pub(crate) fn new(overrides: BTreeMap<String, IpAddr>) -> Self {
        Self {
            overrides: Arc::new(overrides),
            system: GaiResolver::new(),
        }
    }
}

impl tower_service::Service<Name> for Resolver {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = BoxError;
    type Future = Resolving;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        if let Some(ip) = self.overrides.get(&name.as_str().to_ascii_lowercase()) {
            // Port 0: the connector uses the URI's port.
            let addrs = vec![SocketAddr::new(*ip, 0)].into_iter();
            return Box::pin(std::future::ready(Ok(addrs)));
        }
        let mut system = self.system.clone();
        Box::pin(async move {
            let addrs = tower_service::Service::call(&mut system, name).await?;
            Ok(addrs.collect::<Vec<_>>().into_iter())
        })
    }
}
