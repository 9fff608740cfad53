//! Realistic programs written against the AWS SDK for Rust's SSO Admin client
//! (`aws-sdk-ssoadmin`), to prove that such code compiles and runs against the generated
//! `sso_admin` crate with nothing changed but the one `use … as sso;` line below.
//!
//! Every program talks to the service at an endpoint URL (the emulator, in practice) and
//! returns what it saw, so that `main` can print the same report for both builds.

#[cfg(feature = "sdk")]
pub use aws_sdk_ssoadmin as sso;
#[cfg(not(feature = "sdk"))]
pub use sso_admin as sso;

use std::time::Duration;

use sso::error::ProvideErrorMetadata;
use sso::operation::create_permission_set::CreatePermissionSetError;
use sso::operation::describe_permission_set::DescribePermissionSetError;
use sso::types::{PrincipalType, StatusValues, TargetType};

/// Any failure of a program, with a description.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A client for the service at `endpoint`, configured the way SDK code configures one.
pub fn client(endpoint: &str) -> sso::Client {
    let config = sso::config::Builder::new()
        .behavior_version(sso::config::BehaviorVersion::latest())
        .region(sso::config::Region::new("us-east-1"))
        .credentials_provider(sso::config::Credentials::from_keys(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
        ))
        .endpoint_url(endpoint)
        .build();
    sso::Client::from_conf(config)
}

/// The ARN of the first SSO instance.
pub async fn instance_arn(client: &sso::Client) -> Result<String, BoxError> {
    let output = client.list_instances().send().await?;
    let instance = output.instances().first().ok_or("no SSO instance")?;
    Ok(instance.instance_arn().ok_or("instance without ARN")?.to_owned())
}

/// Creates a permission set, attaches a managed policy, assigns it to an account and polls
/// the assignment until it succeeds. Returns the permission set's ARN and a report.
pub async fn create_and_assign(
    client: &sso::Client,
    instance_arn: &str,
    name: &str,
) -> Result<(String, Vec<String>), BoxError> {
    let mut report = Vec::new();
    let created = client
        .create_permission_set()
        .instance_arn(instance_arn)
        .name(name)
        .description("Read-only access, created by the compatibility programs")
        .session_duration("PT2H")
        .send()
        .await?;
    let permission_set = created.permission_set().ok_or("no permission set")?;
    let arn = permission_set
        .permission_set_arn()
        .ok_or("permission set without ARN")?
        .to_owned();
    report.push(format!(
        "created {} (session {})",
        permission_set.name().unwrap_or("?"),
        permission_set.session_duration().unwrap_or("?")
    ));

    client
        .attach_managed_policy_to_permission_set()
        .instance_arn(instance_arn)
        .permission_set_arn(&arn)
        .managed_policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await?;
    let policies = client
        .list_managed_policies_in_permission_set()
        .instance_arn(instance_arn)
        .permission_set_arn(&arn)
        .send()
        .await?;
    for policy in policies.attached_managed_policies() {
        report.push(format!(
            "attached {} ({})",
            policy.name().unwrap_or("?"),
            policy.arn().unwrap_or("?")
        ));
    }

    let assignment = client
        .create_account_assignment()
        .instance_arn(instance_arn)
        .target_id("111122223333")
        .target_type(TargetType::AwsAccount)
        .permission_set_arn(&arn)
        .principal_type(PrincipalType::User)
        .principal_id("94482488-3041-7026-18f3-be45837cd0e4")
        .send()
        .await?;
    let request_id = assignment
        .account_assignment_creation_status()
        .and_then(|status| status.request_id())
        .ok_or("no request id")?
        .to_owned();
    let mut polls = 0;
    let status = loop {
        polls += 1;
        let described = client
            .describe_account_assignment_creation_status()
            .instance_arn(instance_arn)
            .account_assignment_creation_request_id(&request_id)
            .send()
            .await?;
        let status = described
            .account_assignment_creation_status()
            .and_then(|status| status.status())
            .cloned();
        match status {
            Some(StatusValues::InProgress) if polls < 50 => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => break other,
        }
    };
    if status != Some(StatusValues::Succeeded) {
        return Err(format!("the assignment ended as {status:?}").into());
    }
    report.push(format!("assignment succeeded after {polls} poll(s)"));
    Ok((arn, report))
}

/// Lists every permission set of the instance with the paginator (one item per page) and
/// reads each one's fields.
pub async fn list_permission_sets(
    client: &sso::Client,
    instance_arn: &str,
) -> Result<Vec<String>, BoxError> {
    let mut report = Vec::new();
    let mut arns = client
        .list_permission_sets()
        .instance_arn(instance_arn)
        .max_results(1)
        .into_paginator()
        .items()
        .send();
    while let Some(arn) = arns.next().await {
        let arn = arn?;
        let described = client
            .describe_permission_set()
            .instance_arn(instance_arn)
            .permission_set_arn(&arn)
            .send()
            .await?;
        let set = described.permission_set().ok_or("no permission set")?;
        report.push(format!(
            "{}: {} (session {}, created: {})",
            set.name().unwrap_or("?"),
            set.description().unwrap_or(""),
            set.session_duration().unwrap_or("?"),
            set.created_date().is_some()
        ));
    }
    report.sort();
    Ok(report)
}

/// Matches errors the way SDK code does: `into_service_error()`, `is_…()`, the metadata
/// trait, and the modeled error's own message.
pub async fn errors(
    client: &sso::Client,
    instance_arn: &str,
    existing_name: &str,
) -> Result<Vec<String>, BoxError> {
    let mut report = Vec::new();

    // A second permission set with the same name conflicts.
    let error = client
        .create_permission_set()
        .instance_arn(instance_arn)
        .name(existing_name)
        .send()
        .await
        .err()
        .ok_or("creating a duplicate permission set succeeded")?;
    report.push(format!(
        "duplicate: code {:?}, HTTP {:?}",
        error.code(),
        error.raw_response().map(|response| response.status().as_u16())
    ));
    let error = error.into_service_error();
    if !error.is_conflict_exception() {
        return Err(format!("expected a ConflictException, got {error}").into());
    }
    if let CreatePermissionSetError::ConflictException(conflict) = &error {
        report.push(format!(
            "duplicate: ConflictException, message present: {}",
            conflict.message().is_some()
        ));
    }

    // An unknown permission set is not found; its message comes through the metadata trait.
    let error = client
        .describe_permission_set()
        .instance_arn(instance_arn)
        .permission_set_arn("arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000")
        .send()
        .await
        .err()
        .ok_or("describing an unknown permission set succeeded")?;
    let not_found = match error.as_service_error() {
        Some(DescribePermissionSetError::ResourceNotFoundException(not_found)) => not_found.clone(),
        _ => return Err(format!("expected ResourceNotFoundException, got {error:?}").into()),
    };
    report.push(format!(
        "unknown: code {:?} (meta {:?}), message {:?}",
        not_found.code(),
        not_found.meta().code(),
        ProvideErrorMetadata::message(&not_found)
    ));
    let error = error.into_service_error();
    report.push(format!(
        "unknown: is_resource_not_found_exception {}, is_access_denied_exception {}",
        error.is_resource_not_found_exception(),
        error.is_access_denied_exception()
    ));
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::sso;

    #[test]
    fn an_output_built_with_its_builder_reads_back_through_its_getters() {
        let output = sso::operation::list_instances::ListInstancesOutput::builder()
            .instances(
                sso::types::InstanceMetadata::builder()
                    .instance_arn("arn:aws:sso:::instance/ssoins-1111111111111111")
                    .identity_store_id("d-1234567890")
                    .build(),
            )
            .next_token("page-2")
            .build();
        assert_eq!(output.instances().len(), 1);
        assert_eq!(
            output.instances()[0].instance_arn(),
            Some("arn:aws:sso:::instance/ssoins-1111111111111111")
        );
        assert_eq!(output.instances()[0].identity_store_id(), Some("d-1234567890"));
        assert_eq!(output.next_token(), Some("page-2"));
        // Absent lists read as empty.
        let empty = sso::operation::list_instances::ListInstancesOutput::builder().build();
        assert!(empty.instances().is_empty());
    }
}
