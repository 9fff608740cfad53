//! Depends on aws-sdk-ssoadmin so that `cargo build -p aws-sdk-ssoadmin` can time it.
pub use aws_sdk_ssoadmin as sso;
