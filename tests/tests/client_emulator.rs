//! The generated client against the emulator served in-process over loopback
//! (`aws_json_server::serve` on `127.0.0.1:0`):
//!
//! - every one of the 27 operations at least once, through the fluent builders, including the
//!   seven moto lacks (tags, and the `Describe…Status` / `List…Status` operations);
//! - the three waiters reaching success;
//! - the paginators of all ten paginated operations with page size 1, pages and items;
//! - modeled errors the emulator answers, and validation errors of the server layer;
//! - configuration from the environment (`Config::from_env_with`): `AWS_REGION`,
//!   `AWS_ENDPOINT_URL_SSO_ADMIN` over `AWS_ENDPOINT_URL`, `AWS_PROFILE` with shared config and
//!   credentials files, against an emulator that verifies SigV4 signatures;
//! - the client as `sso_admin::server::SsoAdminService`: one scenario, generic over the trait,
//!   run against the emulator in-process (no network) and the client over loopback, with the
//!   same transcript.

mod client_support;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use aws_json_client::SdkError;
use client_support::*;
use sso_admin::operation::{
    create_account_assignment::CreateAccountAssignmentInput,
    create_permission_set::{CreatePermissionSetError, CreatePermissionSetInput},
    delete_account_assignment::DeleteAccountAssignmentInput,
    delete_inline_policy_from_permission_set::DeleteInlinePolicyFromPermissionSetInput,
    delete_permission_set::{DeletePermissionSetError, DeletePermissionSetInput},
    describe_account_assignment_creation_status::DescribeAccountAssignmentCreationStatusInput,
    describe_permission_set::{DescribePermissionSetError, DescribePermissionSetInput},
    get_inline_policy_for_permission_set::GetInlinePolicyForPermissionSetInput,
    list_account_assignments::ListAccountAssignmentsInput,
    list_instances::ListInstancesInput,
    list_permission_sets::ListPermissionSetsInput,
    list_tags_for_resource::ListTagsForResourceInput,
    put_inline_policy_to_permission_set::PutInlinePolicyToPermissionSetInput,
    tag_resource::TagResourceInput,
    update_permission_set::UpdatePermissionSetInput,
};
use sso_admin::server::{RequestContext, SsoAdminService};
use sso_admin::types::{
    OperationStatusFilter, PrincipalType, ProvisionTargetType, ProvisioningStatus, StatusValues,
    TargetType,
};
use sso_admin_emulator::Emulator;

const LIMIT: Duration = Duration::from_secs(30);
const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

/// Creates a permission set through the client; returns its ARN.
async fn create_set(client: &sso_admin::Client, name: &str) -> String {
    client
        .create_permission_set()
        .instance_arn(INSTANCE)
        .name(name)
        .session_duration("PT2H")
        .send()
        .await
        .unwrap_or_else(|error| panic!("CreatePermissionSet {name}: {error}"))
        .permission_set
        .and_then(|set| set.permission_set_arn)
        .expect("a permission set ARN")
}

/// Assigns principal `n` the set in `account`; returns the creation request id.
async fn assign(client: &sso_admin::Client, set: &str, account: &str, n: usize) -> String {
    client
        .create_account_assignment()
        .instance_arn(INSTANCE)
        .permission_set_arn(set)
        .target_id(account)
        .target_type(TargetType::AwsAccount)
        .principal_type(PrincipalType::User)
        .principal_id(principal(n))
        .send()
        .await
        .unwrap()
        .account_assignment_creation_status
        .and_then(|status| status.request_id)
        .expect("a request id")
}

/// Removes principal `n`'s assignment of the set in `account`; returns the deletion request id.
async fn unassign(client: &sso_admin::Client, set: &str, account: &str, n: usize) -> String {
    client
        .delete_account_assignment()
        .instance_arn(INSTANCE)
        .permission_set_arn(set)
        .target_id(account)
        .target_type(TargetType::AwsAccount)
        .principal_type(PrincipalType::User)
        .principal_id(principal(n))
        .send()
        .await
        .unwrap()
        .account_assignment_deletion_status
        .and_then(|status| status.request_id)
        .expect("a request id")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_through_the_client() {
    let server = LocalServer::emulator().await;
    let client = client(&server.endpoint);
    bounded(LIMIT, async {
        let mut called = BTreeSet::new();
        let mut mark = |op: &'static str| called.insert(op);

        // ListInstances
        let instances = client
            .list_instances()
            .send()
            .await
            .unwrap()
            .instances
            .unwrap();
        assert_eq!(instances.len(), 1);
        assert_eq!(instances[0].instance_arn.as_deref(), Some(INSTANCE));
        assert_eq!(instances[0].identity_store_id.as_deref(), Some(STORE));
        mark("ListInstances");

        // CreatePermissionSet
        let created = client
            .create_permission_set()
            .instance_arn(INSTANCE)
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
            set.starts_with("arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-"),
            "{set}"
        );
        assert_eq!(created.session_duration.as_deref(), Some("PT4H"));
        assert!(created.created_date.is_some());
        mark("CreatePermissionSet");

        // DescribePermissionSet
        let described = client
            .describe_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .permission_set
            .unwrap();
        assert_eq!(described, created);
        mark("DescribePermissionSet");

        // UpdatePermissionSet
        client
            .update_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .description("all administrators")
            .session_duration("PT8H")
            .send()
            .await
            .unwrap();
        let updated = client
            .describe_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .permission_set
            .unwrap();
        assert_eq!(updated.description.as_deref(), Some("all administrators"));
        assert_eq!(updated.session_duration.as_deref(), Some("PT8H"));
        assert_eq!(updated.relay_state, created.relay_state);
        mark("UpdatePermissionSet");

        // ListPermissionSets
        let sets = client
            .list_permission_sets()
            .instance_arn(INSTANCE)
            .send()
            .await
            .unwrap()
            .permission_sets
            .unwrap();
        assert_eq!(sets, [set.as_str()]);
        mark("ListPermissionSets");

        // TagResource, ListTagsForResource, UntagResource
        client
            .tag_resource()
            .instance_arn(INSTANCE)
            .resource_arn(&set)
            .tags(tag("Env", "prod"))
            .tags(tag("Owner", "me"))
            .send()
            .await
            .unwrap();
        mark("TagResource");
        let tags = |client: sso_admin::Client, set: String| async move {
            client
                .list_tags_for_resource()
                .instance_arn(INSTANCE)
                .resource_arn(set)
                .send()
                .await
                .unwrap()
                .tags
                .unwrap_or_default()
                .into_iter()
                .map(|t| {
                    format!(
                        "{}={}",
                        t.key.unwrap_or_default(),
                        t.value.unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            tags(client.clone(), set.clone()).await,
            ["Env=prod", "Owner=me", "Team=core"]
        );
        mark("ListTagsForResource");
        client
            .untag_resource()
            .instance_arn(INSTANCE)
            .resource_arn(&set)
            .tag_keys("Owner")
            .send()
            .await
            .unwrap();
        assert_eq!(
            tags(client.clone(), set.clone()).await,
            ["Env=prod", "Team=core"]
        );
        mark("UntagResource");

        // Managed policies
        client
            .attach_managed_policy_to_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .managed_policy_arn(READ_ONLY)
            .send()
            .await
            .unwrap();
        mark("AttachManagedPolicyToPermissionSet");
        let policies = client
            .list_managed_policies_in_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .attached_managed_policies
            .unwrap();
        assert_eq!(policies.len(), 1);
        assert_eq!(policies[0].arn.as_deref(), Some(READ_ONLY));
        assert_eq!(policies[0].name.as_deref(), Some("ReadOnlyAccess"));
        mark("ListManagedPoliciesInPermissionSet");
        client
            .detach_managed_policy_from_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .managed_policy_arn(READ_ONLY)
            .send()
            .await
            .unwrap();
        let policies = client
            .list_managed_policies_in_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .attached_managed_policies
            .unwrap_or_default();
        assert!(policies.is_empty());
        mark("DetachManagedPolicyFromPermissionSet");

        // Inline policy
        client
            .put_inline_policy_to_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .inline_policy(POLICY)
            .send()
            .await
            .unwrap();
        mark("PutInlinePolicyToPermissionSet");
        let inline = client
            .get_inline_policy_for_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .inline_policy;
        assert_eq!(inline.as_deref(), Some(POLICY));
        mark("GetInlinePolicyForPermissionSet");
        client
            .delete_inline_policy_from_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap();
        let inline = client
            .get_inline_policy_for_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .inline_policy;
        assert!(
            inline.as_deref().unwrap_or_default().is_empty(),
            "{inline:?}"
        );
        mark("DeleteInlinePolicyFromPermissionSet");

        // Account assignments (asynchronous)
        let created = client
            .create_account_assignment()
            .instance_arn(INSTANCE)
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
        assert_eq!(created.status, Some(StatusValues::InProgress));
        let creation = created.request_id.unwrap();
        mark("CreateAccountAssignment");
        let status = client
            .describe_account_assignment_creation_status()
            .instance_arn(INSTANCE)
            .account_assignment_creation_request_id(&creation)
            .send()
            .await
            .unwrap()
            .account_assignment_creation_status
            .unwrap();
        assert_eq!(status.status, Some(StatusValues::Succeeded));
        assert_eq!(status.principal_id, Some(principal(1)));
        mark("DescribeAccountAssignmentCreationStatus");
        let statuses = client
            .list_account_assignment_creation_status()
            .instance_arn(INSTANCE)
            .filter(
                OperationStatusFilter::builder()
                    .status(StatusValues::Succeeded)
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .account_assignments_creation_status
            .unwrap();
        assert_eq!(statuses.len(), 1);
        assert_eq!(statuses[0].request_id.as_deref(), Some(creation.as_str()));
        mark("ListAccountAssignmentCreationStatus");
        let assignments = client
            .list_account_assignments()
            .instance_arn(INSTANCE)
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
        mark("ListAccountAssignments");
        let accounts = client
            .list_accounts_for_provisioned_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap()
            .account_ids
            .unwrap();
        assert_eq!(accounts, [ACCOUNT]);
        mark("ListAccountsForProvisionedPermissionSet");
        let provisioned = client
            .list_permission_sets_provisioned_to_account()
            .instance_arn(INSTANCE)
            .account_id(ACCOUNT)
            .provisioning_status(ProvisioningStatus::LatestPermissionSetProvisioned)
            .send()
            .await
            .unwrap()
            .permission_sets
            .unwrap();
        assert_eq!(provisioned, [set.as_str()]);
        mark("ListPermissionSetsProvisionedToAccount");

        // Provisioning (asynchronous)
        let provisioning = client
            .provision_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .target_type(ProvisionTargetType::AwsAccount)
            .target_id(ACCOUNT)
            .send()
            .await
            .unwrap()
            .permission_set_provisioning_status
            .unwrap();
        assert_eq!(provisioning.status, Some(StatusValues::InProgress));
        let provisioning = provisioning.request_id.unwrap();
        mark("ProvisionPermissionSet");
        let status = client
            .describe_permission_set_provisioning_status()
            .instance_arn(INSTANCE)
            .provision_permission_set_request_id(&provisioning)
            .send()
            .await
            .unwrap()
            .permission_set_provisioning_status
            .unwrap();
        assert_eq!(status.status, Some(StatusValues::Succeeded));
        assert_eq!(status.account_id.as_deref(), Some(ACCOUNT));
        mark("DescribePermissionSetProvisioningStatus");
        let statuses = client
            .list_permission_set_provisioning_status()
            .instance_arn(INSTANCE)
            .send()
            .await
            .unwrap()
            .permission_sets_provisioning_status
            .unwrap();
        assert!(statuses
            .iter()
            .any(|s| s.request_id.as_deref() == Some(provisioning.as_str())));
        mark("ListPermissionSetProvisioningStatus");

        // Deleting the assignment (asynchronous)
        let deletion = unassign(&client, &set, ACCOUNT, 1).await;
        mark("DeleteAccountAssignment");
        let status = client
            .describe_account_assignment_deletion_status()
            .instance_arn(INSTANCE)
            .account_assignment_deletion_request_id(&deletion)
            .send()
            .await
            .unwrap()
            .account_assignment_deletion_status
            .unwrap();
        assert_eq!(status.status, Some(StatusValues::Succeeded));
        mark("DescribeAccountAssignmentDeletionStatus");
        let statuses = client
            .list_account_assignment_deletion_status()
            .instance_arn(INSTANCE)
            .send()
            .await
            .unwrap()
            .account_assignments_deletion_status
            .unwrap();
        assert_eq!(statuses.len(), 1);
        assert_eq!(statuses[0].request_id.as_deref(), Some(deletion.as_str()));
        mark("ListAccountAssignmentDeletionStatus");

        // DeletePermissionSet, then it is gone.
        client
            .delete_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .send()
            .await
            .unwrap();
        mark("DeletePermissionSet");
        let error = client
            .describe_permission_set()
            .instance_arn(INSTANCE)
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
        assert_eq!(
            error.meta().unwrap().http_status(),
            404,
            "the model's httpError"
        );
        let request_id = error.request_id().expect("the emulator sends a request id");
        assert_eq!(request_id.len(), 36, "{request_id}");

        assert_eq!(called.len(), 27, "{called:?}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_three_waiters_succeed() {
    let server = LocalServer::emulator().await;
    let client = client(&server.endpoint);
    bounded(LIMIT, async {
        let set = create_set(&client, "Waited").await;
        let creation = assign(&client, &set, ACCOUNT, 7).await;
        let provisioning = client
            .provision_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(&set)
            .target_type(ProvisionTargetType::AllProvisionedAccounts)
            .send()
            .await
            .unwrap()
            .permission_set_provisioning_status
            .unwrap()
            .request_id
            .unwrap();
        let deletion = unassign(&client, &set, ACCOUNT, 7).await;

        let created = client
            .wait_until_account_assignment_created()
            .instance_arn(INSTANCE)
            .account_assignment_creation_request_id(&creation)
            .wait(Duration::from_secs(20))
            .await
            .expect("the creation succeeds");
        let status = created
            .into_result()
            .unwrap()
            .account_assignment_creation_status
            .unwrap();
        assert_eq!(status.status, Some(StatusValues::Succeeded));
        assert_eq!(status.request_id, Some(creation));

        let provisioned = client
            .wait_until_permission_set_provisioned()
            .instance_arn(INSTANCE)
            .provision_permission_set_request_id(&provisioning)
            .wait(Duration::from_secs(20))
            .await
            .expect("provisioning succeeds");
        let status = provisioned
            .into_result()
            .unwrap()
            .permission_set_provisioning_status
            .unwrap();
        assert_eq!(status.status, Some(StatusValues::Succeeded));

        let deleted = client
            .wait_until_account_assignment_deleted()
            .instance_arn(INSTANCE)
            .account_assignment_deletion_request_id(&deletion)
            .wait(Duration::from_secs(20))
            .await
            .expect("the deletion succeeds");
        let status = deleted
            .into_result()
            .unwrap()
            .account_assignment_deletion_status
            .unwrap();
        assert_eq!(status.status, Some(StatusValues::Succeeded));
    })
    .await;
}

/// Pages through a paginator (set to page size 1) and checks that every page holds at most one
/// item and the items, in order, are `expected`.
macro_rules! check_paginator {
    ($name:literal, $paginator:expr, $items:ident, $key:expr, $expected:expr) => {{
        let expected: Vec<String> = $expected;
        let mut pages = $paginator.send();
        let mut from_pages = Vec::new();
        let mut page_count = 0;
        while let Some(page) = pages.next().await {
            let page = page.unwrap_or_else(|e| panic!("{}: {e}", $name));
            let items = page.$items.unwrap_or_default();
            assert!(
                items.len() <= 1,
                "{}: a page of {} items",
                $name,
                items.len()
            );
            page_count += 1;
            from_pages.extend(items.into_iter().map($key));
        }
        assert_eq!(from_pages, expected, "{}: the pages' items", $name);
        assert!(page_count >= expected.len(), "{}", $name);
        let items: Vec<String> = $paginator
            .items()
            .send()
            .try_collect_all()
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", $name))
            .into_iter()
            .map($key)
            .collect();
        assert_eq!(items, expected, "{}: the items stream", $name);
        let unique: HashSet<&String> = items.iter().collect();
        assert_eq!(
            unique.len(),
            items.len(),
            "{}: an item was seen twice",
            $name
        );
        expected.len()
    }};
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_paginator_with_page_size_one() {
    let server = LocalServer::emulator_with(
        Emulator::with_instance(INSTANCE, STORE).with_list_tags_page_size(1),
    )
    .await;
    let client = client(&server.endpoint);
    bounded(LIMIT, async {
        let a = create_set(&client, "A").await;
        let b = create_set(&client, "B").await;
        let c = create_set(&client, "C").await;
        for (key, value) in [("k1", "v1"), ("k2", "v2"), ("k3", "v3")] {
            client
                .tag_resource()
                .instance_arn(INSTANCE)
                .resource_arn(&a)
                .tags(tag(key, value))
                .send()
                .await
                .unwrap();
        }
        let policies = [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/SecurityAudit",
            "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
        ];
        for policy in policies {
            client
                .attach_managed_policy_to_permission_set()
                .instance_arn(INSTANCE)
                .permission_set_arn(&a)
                .managed_policy_arn(policy)
                .send()
                .await
                .unwrap();
        }
        let mut creations = Vec::new();
        for n in 1..=3 {
            creations.push(assign(&client, &a, ACCOUNT, n).await);
        }
        creations.push(assign(&client, &a, OTHER_ACCOUNT, 1).await);
        creations.push(assign(&client, &b, ACCOUNT, 1).await);
        let mut provisionings = Vec::new();
        for _ in 0..2 {
            provisionings.push(
                client
                    .provision_permission_set()
                    .instance_arn(INSTANCE)
                    .permission_set_arn(&a)
                    .target_type(ProvisionTargetType::AllProvisionedAccounts)
                    .send()
                    .await
                    .unwrap()
                    .permission_set_provisioning_status
                    .unwrap()
                    .request_id
                    .unwrap(),
            );
        }
        // One deletion that succeeds and one of an assignment that does not exist (FAILED).
        let deletions = vec![
            unassign(&client, &a, ACCOUNT, 3).await,
            unassign(&client, &c, ACCOUNT, 9).await,
        ];

        let mut paginated = 0;
        let n = check_paginator!(
            "ListInstances",
            client.list_instances().into_paginator().page_size(1),
            instances,
            |i: sso_admin::types::InstanceMetadata| i.instance_arn.unwrap(),
            vec![INSTANCE.to_owned()]
        );
        assert_eq!(n, 1);
        paginated += 1;
        check_paginator!(
            "ListPermissionSets",
            client
                .list_permission_sets()
                .instance_arn(INSTANCE)
                .into_paginator()
                .page_size(1),
            permission_sets,
            |arn: String| arn,
            vec![a.clone(), b.clone(), c.clone()]
        );
        paginated += 1;
        // ListTagsForResource has no MaxResults, so its paginator has no page_size: the
        // emulator here pages tags by 1.
        check_paginator!(
            "ListTagsForResource",
            client
                .list_tags_for_resource()
                .instance_arn(INSTANCE)
                .resource_arn(&a)
                .into_paginator(),
            tags,
            |t: sso_admin::types::Tag| t.key.unwrap(),
            vec!["k1".into(), "k2".into(), "k3".into()]
        );
        paginated += 1;
        check_paginator!(
            "ListManagedPoliciesInPermissionSet",
            client
                .list_managed_policies_in_permission_set()
                .instance_arn(INSTANCE)
                .permission_set_arn(&a)
                .into_paginator()
                .page_size(1),
            attached_managed_policies,
            |p: sso_admin::types::AttachedManagedPolicy| p.arn.unwrap(),
            policies.iter().map(|p| p.to_string()).collect()
        );
        paginated += 1;
        check_paginator!(
            "ListAccountAssignments",
            client
                .list_account_assignments()
                .instance_arn(INSTANCE)
                .account_id(ACCOUNT)
                .permission_set_arn(&a)
                .into_paginator()
                .page_size(1),
            account_assignments,
            |a: sso_admin::types::AccountAssignment| a.principal_id.unwrap(),
            vec![principal(1), principal(2)]
        );
        paginated += 1;
        check_paginator!(
            "ListAccountsForProvisionedPermissionSet",
            client
                .list_accounts_for_provisioned_permission_set()
                .instance_arn(INSTANCE)
                .permission_set_arn(&a)
                .into_paginator()
                .page_size(1),
            account_ids,
            |id: String| id,
            vec![ACCOUNT.to_owned(), OTHER_ACCOUNT.to_owned()]
        );
        paginated += 1;
        check_paginator!(
            "ListPermissionSetsProvisionedToAccount",
            client
                .list_permission_sets_provisioned_to_account()
                .instance_arn(INSTANCE)
                .account_id(ACCOUNT)
                .into_paginator()
                .page_size(1),
            permission_sets,
            |arn: String| arn,
            vec![a.clone(), b.clone()]
        );
        paginated += 1;
        check_paginator!(
            "ListAccountAssignmentCreationStatus",
            client
                .list_account_assignment_creation_status()
                .instance_arn(INSTANCE)
                .into_paginator()
                .page_size(1),
            account_assignments_creation_status,
            |s: sso_admin::types::AccountAssignmentOperationStatusMetadata| s.request_id.unwrap(),
            creations.clone()
        );
        paginated += 1;
        check_paginator!(
            "ListAccountAssignmentDeletionStatus",
            client
                .list_account_assignment_deletion_status()
                .instance_arn(INSTANCE)
                .into_paginator()
                .page_size(1),
            account_assignments_deletion_status,
            |s: sso_admin::types::AccountAssignmentOperationStatusMetadata| s.request_id.unwrap(),
            deletions.clone()
        );
        paginated += 1;
        check_paginator!(
            "ListPermissionSetProvisioningStatus",
            client
                .list_permission_set_provisioning_status()
                .instance_arn(INSTANCE)
                .into_paginator()
                .page_size(1),
            permission_sets_provisioning_status,
            |s: sso_admin::types::PermissionSetProvisioningStatusMetadata| s.request_id.unwrap(),
            provisionings.clone()
        );
        paginated += 1;
        assert_eq!(paginated, 10);

        // A filter is kept on every page: only the FAILED deletion.
        let failed = client
            .list_account_assignment_deletion_status()
            .instance_arn(INSTANCE)
            .filter(
                OperationStatusFilter::builder()
                    .status(StatusValues::Failed)
                    .build(),
            )
            .into_paginator()
            .page_size(1)
            .items()
            .send()
            .try_collect_all()
            .await
            .unwrap();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].request_id.as_deref(), Some(deletions[1].as_str()));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modeled_and_validation_errors_from_the_emulator() {
    let server = LocalServer::emulator().await;
    let client = client(&server.endpoint);
    bounded(LIMIT, async {
        create_set(&client, "Taken").await;
        let error = client
            .create_permission_set()
            .instance_arn(INSTANCE)
            .name("Taken")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                error.as_service_error(),
                Some(CreatePermissionSetError::ConflictException(e))
                    if e.message.as_deref().is_some_and(|m| m.contains("Taken"))
            ),
            "{error:?}"
        );

        let other_instance = "arn:aws:sso:::instance/ssoins-0000000000000000";
        let error = client
            .create_permission_set()
            .instance_arn(other_instance)
            .name("Elsewhere")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                error.as_service_error(),
                Some(CreatePermissionSetError::ResourceNotFoundException(_))
            ),
            "{error:?}"
        );

        // The server layer checks the model's constraints before the emulator runs.
        let error = client
            .create_permission_set()
            .instance_arn("not-an-arn")
            .name("Bad")
            .send()
            .await
            .unwrap_err();
        let Some(CreatePermissionSetError::ValidationException(validation)) =
            error.as_service_error()
        else {
            panic!("expected a ValidationException, got {error:?}");
        };
        assert!(
            validation
                .message
                .as_deref()
                .is_some_and(|m| m.contains("'instanceArn'") && m.contains("not-an-arn")),
            "{validation:?}"
        );
        assert!(error.request_id().is_some());

        let error = client
            .delete_permission_set()
            .instance_arn(INSTANCE)
            .permission_set_arn(
                "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-ffffffffffffffff",
            )
            .send()
            .await
            .unwrap_err();
        assert!(matches!(
            error.into_service_error(),
            DeletePermissionSetError::ResourceNotFoundException(_)
        ));
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Configuration from the environment.

/// A scratch directory removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "sso-admin-client-tests-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("creates a scratch directory");
        Self(dir)
    }

    fn write(&self, file: &str, text: &str) -> String {
        let path = self.0.join(file);
        std::fs::write(&path, text).expect("writes a scratch file");
        path.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An environment that cannot see the real shared files.
fn isolated_env(scratch: &Scratch) -> HashMap<String, String> {
    let home = scratch.0.join("home").display().to_string();
    HashMap::from([
        ("HOME".to_owned(), home),
        (
            "AWS_CONFIG_FILE".to_owned(),
            scratch.0.join("no-config").display().to_string(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
            scratch.0.join("no-credentials").display().to_string(),
        ),
    ])
}

fn env(pairs: &[(&str, &str)], mut base: HashMap<String, String>) -> HashMap<String, String> {
    for (name, value) in pairs {
        base.insert((*name).to_owned(), (*value).to_owned());
    }
    base
}

/// A port with nothing behind it, for endpoints that must not be used.
fn dead_endpoint() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

fn signed_emulator_credentials() -> HashMap<String, String> {
    HashMap::from([
        ("AKIDFROMENV".to_owned(), "secret-from-env".to_owned()),
        (
            "AKIDFROMPROFILE".to_owned(),
            "secret-from-profile".to_owned(),
        ),
    ])
}

async fn list_instances_with(config: sso_admin::Config) -> Result<usize, String> {
    let client = sso_admin::Client::new(&config);
    bounded(LIMIT, client.list_instances().send())
        .await
        .map(|output| output.instances.unwrap_or_default().len())
        .map_err(|error| format!("{error} / {error:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_from_environment_variables() {
    let server = LocalServer::emulator_signed(signed_emulator_credentials()).await;
    let scratch = Scratch::new("variables");
    let dead = dead_endpoint();
    let variables = env(
        &[
            ("AWS_REGION", REGION),
            ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
            ("AWS_SECRET_ACCESS_KEY", "secret-from-env"),
            ("AWS_ENDPOINT_URL_SSO_ADMIN", &server.endpoint),
            // The service-specific variable wins over the global one.
            ("AWS_ENDPOINT_URL", &dead),
            ("AWS_MAX_ATTEMPTS", "1"),
        ],
        isolated_env(&scratch),
    );
    let config = sso_admin::Config::from_env_with(variables.clone()).unwrap();
    assert_eq!(config.region(), Some(REGION));
    assert_eq!(config.retry_config().max_attempts(), 1);
    assert_eq!(list_instances_with(config).await, Ok(1));

    // Only the global variable: it is used.
    let mut global = variables.clone();
    global.remove("AWS_ENDPOINT_URL_SSO_ADMIN");
    global.insert("AWS_ENDPOINT_URL".into(), server.endpoint.clone());
    let config = sso_admin::Config::from_env_with(global).unwrap();
    assert_eq!(list_instances_with(config).await, Ok(1));

    // A wrong secret: the emulator rejects the signature.
    let mut wrong = variables.clone();
    wrong.insert("AWS_SECRET_ACCESS_KEY".into(), "not-the-secret".into());
    let config = sso_admin::Config::from_env_with(wrong).unwrap();
    let client = sso_admin::Client::new(&config);
    let error = bounded(LIMIT, client.list_instances().send())
        .await
        .unwrap_err();
    let meta = error.meta().expect("the emulator answered");
    assert!(matches!(meta.http_status(), 400 | 403), "{error:?}");
    assert!(meta.code().is_some(), "{error:?}");

    // No region at all: the call fails before sending, saying so.
    let mut no_region = variables;
    no_region.remove("AWS_REGION");
    let config = sso_admin::Config::from_env_with(no_region).unwrap();
    let error = sso_admin::Client::new(&config)
        .list_instances()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    assert!(error.to_string().contains("region"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_from_a_profile_in_the_shared_files() {
    let server = LocalServer::emulator_signed(signed_emulator_credentials()).await;
    let scratch = Scratch::new("profile");
    let config_file = scratch.write(
        "config",
        &format!(
            "[default]\nregion = eu-west-1\n\n[profile dev]\nregion = {REGION}\nendpoint_url = {}\n",
            server.endpoint
        ),
    );
    let credentials_file = scratch.write(
        "credentials",
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = wrong\n\n\
         [dev]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = secret-from-profile\n",
    );
    let variables = env(
        &[
            ("AWS_PROFILE", "dev"),
            ("AWS_CONFIG_FILE", &config_file),
            ("AWS_SHARED_CREDENTIALS_FILE", &credentials_file),
        ],
        isolated_env(&scratch),
    );
    let config = sso_admin::Config::from_env_with(variables.clone()).unwrap();
    assert_eq!(config.region(), Some(REGION));
    assert_eq!(
        config.credentials().map(|c| c.access_key_id()),
        Some("AKIDFROMPROFILE")
    );
    assert_eq!(list_instances_with(config).await, Ok(1));

    // AWS_ENDPOINT_URL_SSO_ADMIN beats the profile's endpoint_url.
    let dead = dead_endpoint();
    let overridden = env(
        &[
            ("AWS_ENDPOINT_URL_SSO_ADMIN", &dead),
            ("AWS_MAX_ATTEMPTS", "1"),
        ],
        variables.clone(),
    );
    let config = sso_admin::Config::from_env_with(overridden).unwrap();
    let error = list_instances_with(config).await.unwrap_err();
    assert!(
        error.contains("Dispatch") || error.contains("connect"),
        "{error}"
    );

    // The default profile's credentials are not accepted by the emulator.
    let mut default = variables;
    default.remove("AWS_PROFILE");
    default.insert("AWS_ENDPOINT_URL".into(), server.endpoint.clone());
    default.insert("AWS_REGION".into(), REGION.into());
    let config = sso_admin::Config::from_env_with(default).unwrap();
    assert_eq!(
        config.credentials().map(|c| c.access_key_id()),
        Some("AKIDDEFAULT")
    );
    assert!(list_instances_with(config).await.is_err());
}

// ---------------------------------------------------------------------------------------------
// The client through the service trait.

fn context() -> RequestContext {
    RequestContext::new("00000000-0000-4000-8000-000000000000")
}

/// One scenario, generic over the service trait; returns a transcript that leaves out
/// generated ids.
async fn scenario<S: SsoAdminService>(service: &S) -> Vec<String> {
    let mut transcript = Vec::new();
    let instances = service
        .list_instances(ListInstancesInput::builder().build(), context())
        .await
        .unwrap()
        .instances
        .unwrap();
    transcript.push(format!("instances: {:?}", instances));
    let instance = instances[0].instance_arn.clone().unwrap();

    let created = service
        .create_permission_set(
            CreatePermissionSetInput::builder()
                .instance_arn(&instance)
                .name("Through")
                .session_duration("PT3H")
                .tags(tag("a", "1"))
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap()
        .permission_set
        .unwrap();
    let set = created.permission_set_arn.clone().unwrap();
    transcript.push(format!(
        "created: {:?} {:?}",
        created.name, created.session_duration
    ));

    let duplicate = service
        .create_permission_set(
            CreatePermissionSetInput::builder()
                .instance_arn(&instance)
                .name("Through")
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap_err();
    transcript.push(format!(
        "duplicate: {}",
        match duplicate {
            CreatePermissionSetError::ConflictException(e) => format!("conflict {:?}", e.message),
            other => format!("unexpected {other:?}"),
        }
    ));

    service
        .update_permission_set(
            UpdatePermissionSetInput::builder()
                .instance_arn(&instance)
                .permission_set_arn(&set)
                .description("via the trait")
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap();
    let described = service
        .describe_permission_set(
            DescribePermissionSetInput::builder()
                .instance_arn(&instance)
                .permission_set_arn(&set)
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap()
        .permission_set
        .unwrap();
    transcript.push(format!(
        "described: {:?} {:?} {:?}",
        described.name, described.description, described.session_duration
    ));

    service
        .tag_resource(
            TagResourceInput::builder()
                .instance_arn(&instance)
                .resource_arn(&set)
                .tags(tag("b", "2"))
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap();
    let tags = service
        .list_tags_for_resource(
            ListTagsForResourceInput::builder()
                .instance_arn(&instance)
                .resource_arn(&set)
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap()
        .tags
        .unwrap();
    transcript.push(format!("tags: {tags:?}"));

    service
        .put_inline_policy_to_permission_set(
            PutInlinePolicyToPermissionSetInput::builder()
                .instance_arn(&instance)
                .permission_set_arn(&set)
                .inline_policy(POLICY)
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap();
    let inline = service
        .get_inline_policy_for_permission_set(
            GetInlinePolicyForPermissionSetInput::builder()
                .instance_arn(&instance)
                .permission_set_arn(&set)
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap()
        .inline_policy;
    transcript.push(format!("inline: {inline:?}"));
    service
        .delete_inline_policy_from_permission_set(
            DeleteInlinePolicyFromPermissionSetInput::builder()
                .instance_arn(&instance)
                .permission_set_arn(&set)
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap();

    let creation = service
        .create_account_assignment(
            CreateAccountAssignmentInput::builder()
                .instance_arn(&instance)
                .permission_set_arn(&set)
                .target_id(ACCOUNT)
                .target_type(TargetType::AwsAccount)
                .principal_type(PrincipalType::Group)
                .principal_id(principal(5))
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap()
        .account_assignment_creation_status
        .unwrap();
    transcript.push(format!("assigning: {:?}", creation.status));
    let status = service
        .describe_account_assignment_creation_status(
            DescribeAccountAssignmentCreationStatusInput::builder()
                .instance_arn(&instance)
                .account_assignment_creation_request_id(creation.request_id.unwrap())
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap()
        .account_assignment_creation_status
        .unwrap();
    transcript.push(format!(
        "assigned: {:?} {:?} {:?}",
        status.status, status.principal_type, status.target_id
    ));
    let assignments = service
        .list_account_assignments(
            ListAccountAssignmentsInput::builder()
                .instance_arn(&instance)
                .account_id(ACCOUNT)
                .permission_set_arn(&set)
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap()
        .account_assignments
        .unwrap();
    transcript.push(format!(
        "assignments: {:?}",
        assignments
            .iter()
            .map(|a| (&a.principal_id, &a.principal_type))
            .collect::<Vec<_>>()
    ));

    // Deleting an assigned set is a conflict.
    let error = service
        .delete_permission_set(
            DeletePermissionSetInput::builder()
                .instance_arn(&instance)
                .permission_set_arn(&set)
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap_err();
    transcript.push(format!(
        "delete assigned: {}",
        match error {
            DeletePermissionSetError::ConflictException(_) => "conflict".to_owned(),
            other => format!("unexpected {other:?}"),
        }
    ));
    service
        .delete_account_assignment(
            DeleteAccountAssignmentInput::builder()
                .instance_arn(&instance)
                .permission_set_arn(&set)
                .target_id(ACCOUNT)
                .target_type(TargetType::AwsAccount)
                .principal_type(PrincipalType::Group)
                .principal_id(principal(5))
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap();
    service
        .delete_permission_set(
            DeletePermissionSetInput::builder()
                .instance_arn(&instance)
                .permission_set_arn(&set)
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap();
    let gone = service
        .describe_permission_set(
            DescribePermissionSetInput::builder()
                .instance_arn(&instance)
                .permission_set_arn(&set)
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap_err();
    transcript.push(format!(
        "after delete: {}",
        match gone {
            DescribePermissionSetError::ResourceNotFoundException(_) => "not found".to_owned(),
            other => format!("unexpected {other:?}"),
        }
    ));
    let remaining = service
        .list_permission_sets(
            ListPermissionSetsInput::builder()
                .instance_arn(&instance)
                .build()
                .unwrap(),
            context(),
        )
        .await
        .unwrap()
        .permission_sets
        .unwrap_or_default();
    transcript.push(format!("remaining: {}", remaining.len()));
    transcript
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_is_the_service_trait() {
    // (a) the emulator itself, in-process.
    let in_process = Emulator::with_instance(INSTANCE, STORE);
    let direct = bounded(LIMIT, scenario(&in_process)).await;
    // (b) the client, over loopback to another emulator.
    let server = LocalServer::emulator().await;
    let remote = client(&server.endpoint);
    let through_client = bounded(LIMIT, scenario(&remote)).await;
    assert_eq!(direct, through_client);
    assert!(
        direct.iter().all(|line| !line.contains("unexpected")),
        "{direct:#?}"
    );
    assert_eq!(direct.len(), 12, "{direct:#?}");

    // A failure without an answer becomes the operation error's unhandled case.
    let nowhere = sso_admin::Client::from_conf(
        config_builder(&dead_endpoint())
            .retry_config(aws_json_client::RetryConfig::disabled())
            .build(),
    );
    let error =
        SsoAdminService::list_instances(&nowhere, ListInstancesInput::builder().build(), context())
            .await
            .unwrap_err();
    match error {
        sso_admin::operation::list_instances::ListInstancesError::Unhandled(unhandled) => {
            assert_eq!(unhandled.code(), "DispatchFailure")
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
}
