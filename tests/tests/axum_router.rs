//! The server stub as an axum `Router` (feature `axum`): mounted beside an application's own
//! routes, it serves the API to the generated client.

use std::sync::Arc;

use axum::routing::get;
use sso_admin::server::service_builder;
use sso_admin::{Client, Config};
use sso_admin_emulator::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_mounts_as_an_axum_router() {
    let emulator = Arc::new(Emulator::new());
    let instance = emulator.instance_arn().to_owned();
    let api = service_builder(emulator)
        .build()
        .expect("every operation is registered")
        .into_router();
    let app = axum::Router::new()
        .route("/health", get(|| async { "ok" }))
        .merge(api);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let address = listener.local_addr().expect("an address");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let config = Config::builder()
        .region("us-east-1")
        .credentials(aws_json_client::Credentials::new("AKID", "SECRET", None))
        .endpoint_url(format!("http://{address}"))
        .build();
    let client = Client::new(&config);
    let output = client
        .list_instances()
        .send()
        .await
        .expect("ListInstances through axum");
    let instances = output.instances.unwrap_or_default();
    assert_eq!(instances.len(), 1);
    assert_eq!(
        instances[0].instance_arn.as_deref(),
        Some(instance.as_str())
    );
    server.abort();
}
