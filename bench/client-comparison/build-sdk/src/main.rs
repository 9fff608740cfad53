//! ListInstances through aws-sdk-ssoadmin (config from the environment by aws-config).

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::load_from_env().await;
    let client = aws_sdk_ssoadmin::Client::new(&config);
    let output = client.list_instances().send().await?;
    for instance in output.instances() {
        println!("{:?}", instance.instance_arn());
    }
    Ok(())
}
