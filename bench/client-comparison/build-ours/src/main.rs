//! ListInstances through the generated `sso-admin` client (config from the environment).

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = sso_admin::Config::from_env().await;
    let client = sso_admin::Client::new(&config);
    let output = client.list_instances().send().await?;
    for instance in output.instances.unwrap_or_default() {
        println!("{:?}", instance.instance_arn);
    }
    Ok(())
}
