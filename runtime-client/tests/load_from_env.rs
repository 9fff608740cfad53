//! `Config::from_env().await` never fails up front: a configuration that cannot be loaded
//! fails every call with a construction error saying why. (Its own test binary: it sets
//! process environment variables.)

mod common;

use aws_json_client::{Client, Config, SdkError};
use common::{GetThing, GetThingInput};

#[tokio::test]
async fn an_unloadable_configuration_fails_each_call_with_the_reason() {
    let directory = std::env::temp_dir();
    // A directory where the config file should be: reading it fails.
    std::env::set_var("AWS_CONFIG_FILE", &directory);
    std::env::set_var("AWS_REGION", "us-east-1");
    let config = Config::from_env().await;
    assert!(config.load_error().is_some(), "{config:?}");
    assert!(Config::try_from_env().is_err());

    let client = Client::new(config);
    let error = client
        .call::<GetThing>(GetThingInput {
            name: "x".to_owned(),
        })
        .await
        .unwrap_err();
    let SdkError::Construction(error) = &error else {
        panic!("{error:?}")
    };
    assert!(
        error
            .to_string()
            .contains("the AWS configuration could not be loaded"),
        "{error}"
    );
}
