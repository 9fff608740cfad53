//! The generated client against moto's server (moto 5.2.5 from the pinned Python tools, started
//! on a free loopback port per test; a missing venv fails the tests).
//!
//! # What moto 5.2.5 implements of the 27 operations
//!
//! Implemented (20), all driven here: `ListInstances` (one instance), `CreatePermissionSet`,
//! `DescribePermissionSet`, `UpdatePermissionSet`, `ListPermissionSets` (paginated),
//! `DeletePermissionSet`, `AttachManagedPolicyToPermissionSet` (AWS managed policies only),
//! `ListManagedPoliciesInPermissionSet` (paginated), `DetachManagedPolicyFromPermissionSet`,
//! `PutInlinePolicyToPermissionSet`, `GetInlinePolicyForPermissionSet`,
//! `DeleteInlinePolicyFromPermissionSet`, `ProvisionPermissionSet` (always to the caller's
//! account, `SUCCEEDED` at once), `CreateAccountAssignment` and `DeleteAccountAssignment`
//! (`SUCCEEDED` at once), `DescribeAccountAssignmentCreationStatus`,
//! `DescribeAccountAssignmentDeletionStatus`, `ListAccountAssignments` (paginated),
//! `ListAccountsForProvisionedPermissionSet` and `ListPermissionSetsProvisionedToAccount` (not
//! paginated: `MaxResults`, `NextToken` and the filters are ignored).
//!
//! Not implemented (7): `TagResource`, `UntagResource`, `ListTagsForResource`,
//! `DescribePermissionSetProvisioningStatus`, `ListAccountAssignmentCreationStatus`,
//! `ListAccountAssignmentDeletionStatus`, `ListPermissionSetProvisioningStatus`: moto answers
//! `500` with an HTML page, which the client reports as an unhandled `UnknownError` with status
//! 500 (after retrying it, as a 500 should be). These are proven against the emulator instead
//! (`client_emulator.rs`).
//!
//! # moto's quirks
//!
//! - `SessionDuration` comes back as the number `3600` when a create or an update did not give
//!   one (moto's default is an int, the model says an ISO-8601 string); the client's strict
//!   deserialization rejects that output with `SdkError::Response` naming
//!   `PermissionSet.SessionDuration`. The other tests always pass an ISO value.
//! - Permission set ARNs are `<instance ARN>/ps-<16>` instead of
//!   `arn:aws:sso:::permissionSet/ssoins-<16>/ps-<16>`; the client does not validate inputs, so
//!   they are sent back as they are.
//! - Responses are `Content-Type: text/html; charset=utf-8`; the client does not care.
//! - Errors raised without a message (unknown request ids) carry `"message": ""`.
//! - The error moto names for every missing resource is `ResourceNotFoundException`;
//!   `CreatePermissionSet` does not check the instance.

mod client_support;

use std::collections::HashSet;
use std::time::Duration;

use aws_json_client::{RetryConfig, SdkError};
use client_support::*;
use sso_admin::operation::{
    attach_managed_policy_to_permission_set::AttachManagedPolicyToPermissionSetError,
    delete_permission_set::DeletePermissionSetError,
    describe_account_assignment_creation_status::DescribeAccountAssignmentCreationStatusError,
    describe_permission_set::DescribePermissionSetError,
    detach_managed_policy_from_permission_set::DetachManagedPolicyFromPermissionSetError,
    update_permission_set::UpdatePermissionSetError,
};
use sso_admin::types::{PrincipalType, ProvisionTargetType, StatusValues, TargetType};

const LIMIT: Duration = Duration::from_secs(60);
/// The account moto runs as.
const MOTO_ACCOUNT: &str = "123456789012";
const POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#;

/// moto's one instance.
async fn instance(client: &sso_admin::Client) -> String {
    let instances = client
        .list_instances()
        .send()
        .await
        .expect("ListInstances")
        .instances
        .unwrap();
    assert_eq!(instances.len(), 1, "moto has one instance: {instances:?}");
    let arn = instances[0].instance_arn.clone().unwrap();
    assert!(arn.starts_with("arn:aws:sso:::instance/ssoins-"), "{arn}");
    assert!(instances[0]
        .identity_store_id
        .as_deref()
        .is_some_and(|id| id.starts_with("d-")));
    arn
}

async fn create_set(client: &sso_admin::Client, instance: &str, name: &str) -> String {
    client
        .create_permission_set()
        .instance_arn(instance)
        .name(name)
        .session_duration("PT1H")
        .send()
        .await
        .unwrap_or_else(|error| panic!("CreatePermissionSet {name}: {error:?}"))
        .permission_set
        .and_then(|set| set.permission_set_arn)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_moto_implements() {
    let moto = MotoServer::start();
    let client = client(&moto.endpoint);
    bounded(LIMIT, async {
        let instance = instance(&client).await;

        // Create, describe, update, list.
        let created = client
            .create_permission_set()
            .instance_arn(&instance)
            .name("Admins")
            .description("administrators")
            .session_duration("PT4H")
            .relay_state("https://console.aws.amazon.com/")
            .tags(tag("Team", "core"))
            .send()
            .await
            .unwrap()
            .permission_set
            .unwrap();
        let set = created.permission_set_arn.clone().unwrap();
        assert!(
            set.starts_with(&format!("{instance}/ps-")),
            "moto's ARN format: {set}"
        );
        assert_eq!(created.name.as_deref(), Some("Admins"));
        assert_eq!(created.session_duration.as_deref(), Some("PT4H"));
        assert!(created.created_date.is_some(), "{created:?}");

        let described = client
            .describe_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .permission_set
            .unwrap();
        assert_eq!(described.description.as_deref(), Some("administrators"));
        assert_eq!(
            described.relay_state.as_deref(),
            Some("https://console.aws.amazon.com/")
        );

        client
            .update_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .description("all administrators")
            .session_duration("PT8H")
            .relay_state("https://console.aws.amazon.com/")
            .send()
            .await
            .unwrap();
        let updated = client
            .describe_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .permission_set
            .unwrap();
        assert_eq!(updated.description.as_deref(), Some("all administrators"));
        assert_eq!(updated.session_duration.as_deref(), Some("PT8H"));

        let sets = client
            .list_permission_sets()
            .instance_arn(&instance)
            .send()
            .await
            .unwrap()
            .permission_sets
            .unwrap();
        assert_eq!(sets, [set.as_str()]);

        // Managed policies.
        for policy in [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/SecurityAudit",
        ] {
            client
                .attach_managed_policy_to_permission_set()
                .instance_arn(&instance)
                .permission_set_arn(&set)
                .managed_policy_arn(policy)
                .send()
                .await
                .unwrap();
        }
        let policies = client
            .list_managed_policies_in_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .attached_managed_policies
            .unwrap();
        let names: Vec<_> = policies.iter().filter_map(|p| p.name.as_deref()).collect();
        assert_eq!(names, ["ReadOnlyAccess", "SecurityAudit"]);
        client
            .detach_managed_policy_from_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .managed_policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
            .send()
            .await
            .unwrap();
        let policies = client
            .list_managed_policies_in_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .attached_managed_policies
            .unwrap();
        assert_eq!(policies.len(), 1);
        assert_eq!(
            policies[0].arn.as_deref(),
            Some("arn:aws:iam::aws:policy/SecurityAudit")
        );

        // Inline policy.
        client
            .put_inline_policy_to_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .inline_policy(POLICY)
            .send()
            .await
            .unwrap();
        let inline = client
            .get_inline_policy_for_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .inline_policy;
        assert_eq!(inline.as_deref(), Some(POLICY));
        client
            .delete_inline_policy_from_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap();
        let inline = client
            .get_inline_policy_for_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .inline_policy;
        assert!(
            inline.as_deref().unwrap_or_default().is_empty(),
            "{inline:?}"
        );

        // Provisioning: moto provisions to its own account and says SUCCEEDED at once.
        let provisioned = client
            .provision_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .target_type(ProvisionTargetType::AwsAccount)
            .target_id(MOTO_ACCOUNT)
            .send()
            .await
            .unwrap()
            .permission_set_provisioning_status
            .unwrap();
        assert_eq!(provisioned.status, Some(StatusValues::Succeeded));
        assert_eq!(provisioned.account_id.as_deref(), Some(MOTO_ACCOUNT));
        assert!(provisioned.request_id.is_some());
        let on_account = client
            .list_permission_sets_provisioned_to_account()
            .instance_arn(&instance)
            .account_id(MOTO_ACCOUNT)
            .send()
            .await
            .unwrap()
            .permission_sets
            .unwrap();
        assert_eq!(on_account, [set.as_str()]);
        let accounts = client
            .list_accounts_for_provisioned_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .account_ids
            .unwrap();
        assert_eq!(accounts, [MOTO_ACCOUNT]);

        // Account assignments, with the waiters (moto answers SUCCEEDED at once).
        let creation = client
            .create_account_assignment()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .target_id(ACCOUNT)
            .target_type(TargetType::AwsAccount)
            .principal_type(PrincipalType::User)
            .principal_id(principal(1))
            .send()
            .await
            .unwrap()
            .account_assignment_creation_status
            .unwrap();
        assert_eq!(creation.status, Some(StatusValues::Succeeded));
        let creation_id = creation.request_id.clone().unwrap();
        let status = client
            .describe_account_assignment_creation_status()
            .instance_arn(&instance)
            .account_assignment_creation_request_id(&creation_id)
            .send()
            .await
            .unwrap()
            .account_assignment_creation_status
            .unwrap();
        assert_eq!(status.status, Some(StatusValues::Succeeded));
        assert_eq!(status.principal_id, Some(principal(1)));
        assert_eq!(status.target_id.as_deref(), Some(ACCOUNT));
        let waited = client
            .wait_until_account_assignment_created()
            .instance_arn(&instance)
            .account_assignment_creation_request_id(&creation_id)
            .wait(Duration::from_secs(10))
            .await
            .expect("moto's assignment is SUCCEEDED");
        assert!(waited.as_result().is_ok());

        let assignments = client
            .list_account_assignments()
            .instance_arn(&instance)
            .account_id(ACCOUNT)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .account_assignments
            .unwrap();
        assert_eq!(assignments.len(), 1);
        assert_eq!(assignments[0].principal_id, Some(principal(1)));
        assert_eq!(assignments[0].principal_type, Some(PrincipalType::User));

        let deletion = client
            .delete_account_assignment()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .target_id(ACCOUNT)
            .target_type(TargetType::AwsAccount)
            .principal_type(PrincipalType::User)
            .principal_id(principal(1))
            .send()
            .await
            .unwrap()
            .account_assignment_deletion_status
            .unwrap();
        assert_eq!(deletion.status, Some(StatusValues::Succeeded));
        let deletion_id = deletion.request_id.unwrap();
        let status = client
            .describe_account_assignment_deletion_status()
            .instance_arn(&instance)
            .account_assignment_deletion_request_id(&deletion_id)
            .send()
            .await
            .unwrap()
            .account_assignment_deletion_status
            .unwrap();
        assert_eq!(status.status, Some(StatusValues::Succeeded));
        client
            .wait_until_account_assignment_deleted()
            .instance_arn(&instance)
            .account_assignment_deletion_request_id(&deletion_id)
            .wait(Duration::from_secs(10))
            .await
            .expect("moto's deletion is SUCCEEDED");
        let assignments = client
            .list_account_assignments()
            .instance_arn(&instance)
            .account_id(ACCOUNT)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .account_assignments
            .unwrap_or_default();
        assert!(assignments.is_empty());

        // Delete, and it is gone.
        client
            .delete_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap();
        let error = client
            .describe_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                error.as_service_error(),
                Some(DescribePermissionSetError::ResourceNotFoundException(_))
            ),
            "{error:?}"
        );
        assert_eq!(error.meta().unwrap().http_status(), 400);
        assert!(error.request_id().is_some(), "moto sends x-amzn-RequestId");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paginating_moto_with_page_size_one() {
    let moto = MotoServer::start();
    let client = client(&moto.endpoint);
    bounded(LIMIT, async {
        let instance = instance(&client).await;
        let mut sets = Vec::new();
        for n in 0..5 {
            sets.push(create_set(&client, &instance, &format!("Set{n}")).await);
        }

        // ListPermissionSets: pages of one, every set once.
        let mut pages = client
            .list_permission_sets()
            .instance_arn(&instance)
            .into_paginator()
            .page_size(1)
            .send();
        let mut seen = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.unwrap();
            let items = page.permission_sets.unwrap_or_default();
            assert!(items.len() <= 1, "{items:?}");
            seen.extend(items);
        }
        assert_eq!(seen, sets);
        let items = client
            .list_permission_sets()
            .instance_arn(&instance)
            .into_paginator()
            .page_size(1)
            .items()
            .send()
            .try_collect_all()
            .await
            .unwrap();
        assert_eq!(items, sets);

        // ListManagedPoliciesInPermissionSet.
        let policies = [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/SecurityAudit",
            "arn:aws:iam::aws:policy/AdministratorAccess",
        ];
        for policy in policies {
            client
                .attach_managed_policy_to_permission_set()
                .instance_arn(&instance)
                .permission_set_arn(&sets[0])
                .managed_policy_arn(policy)
                .send()
                .await
                .unwrap();
        }
        let mut stream = client
            .list_managed_policies_in_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&sets[0])
            .into_paginator()
            .page_size(1)
            .items()
            .send();
        let mut arns = Vec::new();
        while let Some(policy) = stream.next().await {
            arns.push(policy.unwrap().arn.unwrap());
        }
        assert_eq!(arns, policies);

        // ListAccountAssignments.
        for n in 1..=4 {
            client
                .create_account_assignment()
                .instance_arn(&instance)
                .permission_set_arn(&sets[1])
                .target_id(ACCOUNT)
                .target_type(TargetType::AwsAccount)
                .principal_type(PrincipalType::User)
                .principal_id(principal(n))
                .send()
                .await
                .unwrap();
        }
        let principals: Vec<String> = client
            .list_account_assignments()
            .instance_arn(&instance)
            .account_id(ACCOUNT)
            .permission_set_arn(&sets[1])
            .into_paginator()
            .page_size(1)
            .items()
            .send()
            .try_collect_all()
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.principal_id.unwrap())
            .collect();
        let unique: HashSet<&String> = principals.iter().collect();
        assert_eq!(unique.len(), 4, "{principals:?}");
        assert_eq!(principals, (1..=4).map(principal).collect::<Vec<_>>());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modeled_errors_from_moto() {
    let moto = MotoServer::start();
    let client = client(&moto.endpoint);
    bounded(LIMIT, async {
        let instance = instance(&client).await;
        let set = create_set(&client, &instance, "Errors").await;
        let missing = format!("{instance}/ps-ffffffffffffffff");

        let error = client
            .describe_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&missing)
            .send()
            .await
            .unwrap_err();
        let SdkError::Service { error, meta } = error else {
            panic!("expected a service error, got {error:?}");
        };
        assert!(
            matches!(error, DescribePermissionSetError::ResourceNotFoundException(ref e)
                if e.message.as_deref().is_some_and(|m| m.contains("ps-ffffffffffffffff"))),
            "{error:?}"
        );
        assert_eq!(meta.code(), Some("ResourceNotFoundException"));
        assert_eq!(meta.http_status(), 400);
        assert!(meta.request_id().is_some());

        let error = client
            .update_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&missing)
            .session_duration("PT2H")
            .send()
            .await
            .unwrap_err();
        assert!(matches!(
            error.into_service_error(),
            UpdatePermissionSetError::ResourceNotFoundException(_)
        ));

        let error = client
            .delete_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&missing)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(
            error.into_service_error(),
            DeletePermissionSetError::ResourceNotFoundException(_)
        ));

        // An unknown managed policy, then attaching one twice.
        let attach = |policy: &str| {
            client
                .attach_managed_policy_to_permission_set()
                .instance_arn(&instance)
                .permission_set_arn(&set)
                .managed_policy_arn(policy)
                .send()
        };
        let error = attach("arn:aws:iam::aws:policy/NoSuchPolicy")
            .await
            .unwrap_err();
        assert!(
            matches!(
                error.as_service_error(),
                Some(AttachManagedPolicyToPermissionSetError::ResourceNotFoundException(e))
                    if e.message.as_deref().is_some_and(|m| m.contains("NoSuchPolicy"))
            ),
            "{error:?}"
        );
        attach("arn:aws:iam::aws:policy/ReadOnlyAccess")
            .await
            .unwrap();
        let error = attach("arn:aws:iam::aws:policy/ReadOnlyAccess")
            .await
            .unwrap_err();
        assert!(
            matches!(
                error.as_service_error(),
                Some(AttachManagedPolicyToPermissionSetError::ConflictException(
                    _
                ))
            ),
            "{error:?}"
        );

        let error = client
            .detach_managed_policy_from_permission_set()
            .instance_arn(&instance)
            .permission_set_arn(&set)
            .managed_policy_arn("arn:aws:iam::aws:policy/SecurityAudit")
            .send()
            .await
            .unwrap_err();
        assert!(matches!(
            error.into_service_error(),
            DetachManagedPolicyFromPermissionSetError::ResourceNotFoundException(_)
        ));

        // An unknown request id: a ResourceNotFoundException with an empty message.
        let error = client
            .describe_account_assignment_creation_status()
            .instance_arn(&instance)
            .account_assignment_creation_request_id("00000000-0000-4000-8000-000000000000")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                error.as_service_error(),
                Some(DescribeAccountAssignmentCreationStatusError::ResourceNotFoundException(_))
            ),
            "{error:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_answers_session_duration_as_a_number_when_none_was_given() {
    let moto = MotoServer::start();
    let client = client(&moto.endpoint);
    bounded(LIMIT, async {
        let instance = instance(&client).await;
        let error = client
            .create_permission_set()
            .instance_arn(&instance)
            .name("NoDuration")
            .send()
            .await
            .expect_err("moto sends \"SessionDuration\": 3600, which is not a string");
        let SdkError::Response(response) = &error else {
            panic!("expected a response error, got {error:?}");
        };
        assert_eq!(
            response.member_path(),
            Some("PermissionSet.SessionDuration")
        );
        assert_eq!(response.meta().http_status(), 200);
        assert!(
            error.to_string().contains("PermissionSet.SessionDuration"),
            "{error}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_moto_lacks_are_unhandled_500s() {
    let moto = MotoServer::start();
    // No retries: each lacking operation is one 500.
    let client = sso_admin::Client::from_conf(
        config_builder(&moto.endpoint)
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    bounded(LIMIT, async {
        let instance = instance(&client).await;
        let set = create_set(&client, &instance, "Lacking").await;
        let id = "00000000-0000-4000-8000-000000000000";
        let mut results: Vec<(&str, Option<u16>, Option<String>)> = Vec::new();
        macro_rules! record {
            ($name:literal, $call:expr) => {{
                let error = $call
                    .await
                    .expect_err(concat!($name, " is not implemented by moto"));
                results.push((
                    $name,
                    error.meta().map(|meta| meta.http_status()),
                    error.code().map(str::to_owned),
                ));
            }};
        }
        record!(
            "TagResource",
            client
                .tag_resource()
                .instance_arn(&instance)
                .resource_arn(&set)
                .tags(tag("k", "v"))
                .send()
        );
        record!(
            "UntagResource",
            client
                .untag_resource()
                .instance_arn(&instance)
                .resource_arn(&set)
                .tag_keys("k")
                .send()
        );
        record!(
            "ListTagsForResource",
            client
                .list_tags_for_resource()
                .instance_arn(&instance)
                .resource_arn(&set)
                .send()
        );
        record!(
            "DescribePermissionSetProvisioningStatus",
            client
                .describe_permission_set_provisioning_status()
                .instance_arn(&instance)
                .provision_permission_set_request_id(id)
                .send()
        );
        record!(
            "ListAccountAssignmentCreationStatus",
            client
                .list_account_assignment_creation_status()
                .instance_arn(&instance)
                .send()
        );
        record!(
            "ListAccountAssignmentDeletionStatus",
            client
                .list_account_assignment_deletion_status()
                .instance_arn(&instance)
                .send()
        );
        record!(
            "ListPermissionSetProvisioningStatus",
            client
                .list_permission_set_provisioning_status()
                .instance_arn(&instance)
                .send()
        );
        for (name, status, code) in &results {
            assert_eq!(
                (*status, code.as_deref()),
                (Some(500), Some("UnknownError")),
                "{name}: moto 5.2.5 lacks it and answers a 500 HTML page; if it now \
                 implements it, move it to every_operation_moto_implements"
            );
        }
        assert_eq!(results.len(), 7);
    })
    .await;
}
