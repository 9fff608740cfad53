//! Every operation's happy path and the errors of its semantics.

mod common;

use common::*;
use sso_admin::operation::{
    attach_managed_policy_to_permission_set::{
        AttachManagedPolicyToPermissionSetError, AttachManagedPolicyToPermissionSetInput,
    },
    create_account_assignment::CreateAccountAssignmentError,
    create_permission_set::{CreatePermissionSetError, CreatePermissionSetInput},
    delete_inline_policy_from_permission_set::DeleteInlinePolicyFromPermissionSetInput,
    delete_permission_set::{DeletePermissionSetError, DeletePermissionSetInput},
    describe_account_assignment_creation_status::{
        DescribeAccountAssignmentCreationStatusError, DescribeAccountAssignmentCreationStatusInput,
    },
    describe_account_assignment_deletion_status::DescribeAccountAssignmentDeletionStatusInput,
    describe_permission_set::{DescribePermissionSetError, DescribePermissionSetInput},
    describe_permission_set_provisioning_status::DescribePermissionSetProvisioningStatusInput,
    detach_managed_policy_from_permission_set::{
        DetachManagedPolicyFromPermissionSetError, DetachManagedPolicyFromPermissionSetInput,
    },
    get_inline_policy_for_permission_set::GetInlinePolicyForPermissionSetInput,
    list_account_assignment_creation_status::ListAccountAssignmentCreationStatusInput,
    list_account_assignment_deletion_status::ListAccountAssignmentDeletionStatusInput,
    list_accounts_for_provisioned_permission_set::ListAccountsForProvisionedPermissionSetInput,
    list_instances::ListInstancesInput,
    list_managed_policies_in_permission_set::ListManagedPoliciesInPermissionSetInput,
    list_permission_set_provisioning_status::ListPermissionSetProvisioningStatusInput,
    list_permission_sets::{ListPermissionSetsError, ListPermissionSetsInput},
    list_permission_sets_provisioned_to_account::ListPermissionSetsProvisionedToAccountInput,
    list_tags_for_resource::{ListTagsForResourceError, ListTagsForResourceInput},
    provision_permission_set::{ProvisionPermissionSetError, ProvisionPermissionSetInput},
    put_inline_policy_to_permission_set::{
        PutInlinePolicyToPermissionSetError, PutInlinePolicyToPermissionSetInput,
    },
    tag_resource::{TagResourceError, TagResourceInput},
    untag_resource::{UntagResourceError, UntagResourceInput},
    update_permission_set::{UpdatePermissionSetError, UpdatePermissionSetInput},
};
use sso_admin::types::{
    OperationStatusFilter, ProvisionTargetType, ProvisioningStatus, StatusValues, Tag,
};
use sso_admin_emulator::Emulator;

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}

fn describe(emulator: &Emulator, arn: &str) -> sso_admin::types::PermissionSet {
    emulator
        .describe_permission_set(
            DescribePermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(arn)
                .build()
                .unwrap(),
        )
        .unwrap()
        .permission_set
        .unwrap()
}

fn delete_permission_set(emulator: &Emulator, arn: &str) -> Result<(), DeletePermissionSetError> {
    emulator
        .delete_permission_set(
            DeletePermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(arn)
                .build()
                .unwrap(),
        )
        .map(|_| ())
}

fn is_uuid_v4(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && id
            .bytes()
            .all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && groups[2].starts_with('4')
}

fn tags_of(emulator: &Emulator, arn: &str) -> Vec<(String, String)> {
    emulator
        .list_tags_for_resource(
            ListTagsForResourceInput::builder()
                .instance_arn(INSTANCE)
                .resource_arn(arn)
                .build()
                .unwrap(),
        )
        .unwrap()
        .tags
        .unwrap()
        .into_iter()
        .map(|t| (t.key.unwrap(), t.value.unwrap_or_default()))
        .collect()
}

fn accounts_for(emulator: &Emulator, arn: &str, status: Option<ProvisioningStatus>) -> Vec<String> {
    emulator
        .list_accounts_for_provisioned_permission_set(
            ListAccountsForProvisionedPermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(arn)
                .set_provisioning_status(status)
                .build()
                .unwrap(),
        )
        .unwrap()
        .account_ids
        .unwrap()
}

fn sets_on(emulator: &Emulator, account: &str, status: Option<ProvisioningStatus>) -> Vec<String> {
    emulator
        .list_permission_sets_provisioned_to_account(
            ListPermissionSetsProvisionedToAccountInput::builder()
                .instance_arn(INSTANCE)
                .account_id(account)
                .set_provisioning_status(status)
                .build()
                .unwrap(),
        )
        .unwrap()
        .permission_sets
        .unwrap()
}

#[test]
fn list_instances_returns_the_one_instance() {
    let emulator = emulator();
    let output = emulator
        .list_instances(ListInstancesInput::builder().build())
        .unwrap();
    let instances = output.instances.unwrap();
    assert_eq!(instances.len(), 1);
    assert_eq!(instances[0].instance_arn.as_deref(), Some(INSTANCE));
    assert_eq!(instances[0].identity_store_id.as_deref(), Some(STORE));
    assert_eq!(output.next_token, None);

    let random = Emulator::new();
    let listed = random
        .list_instances(ListInstancesInput::builder().max_results(1).build())
        .unwrap()
        .instances
        .unwrap();
    assert_eq!(
        listed[0].instance_arn.as_deref(),
        Some(random.instance_arn())
    );
    assert_ne!(random.instance_arn(), Emulator::new().instance_arn());
}

#[test]
fn permission_set_lifecycle() {
    let emulator = emulator();
    let created = emulator
        .create_permission_set(
            CreatePermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .name("Admins")
                .description("Full access")
                .relay_state("https://console.aws.amazon.com/")
                .session_duration("PT4H")
                .build()
                .unwrap(),
        )
        .unwrap()
        .permission_set
        .unwrap();
    let arn = created.permission_set_arn.clone().unwrap();
    let suffix = arn
        .strip_prefix("arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-")
        .unwrap();
    assert_eq!(suffix.len(), 16);
    assert_eq!(created.name.as_deref(), Some("Admins"));
    assert_eq!(created.description.as_deref(), Some("Full access"));
    assert_eq!(created.session_duration.as_deref(), Some("PT4H"));
    assert!(created.created_date.is_some());
    assert_eq!(describe(&emulator, &arn), created);

    let plain = create_permission_set(&emulator, "ReadOnly");
    let plain_described = describe(&emulator, &plain);
    assert_eq!(plain_described.session_duration.as_deref(), Some("PT1H"));
    assert_eq!(plain_described.description, None);
    assert_eq!(all_permission_sets(&emulator), [arn.clone(), plain.clone()]);

    emulator
        .update_permission_set(
            UpdatePermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(&arn)
                .description("Changed")
                .session_duration("PT12H")
                .build()
                .unwrap(),
        )
        .unwrap();
    let updated = describe(&emulator, &arn);
    assert_eq!(updated.description.as_deref(), Some("Changed"));
    assert_eq!(updated.session_duration.as_deref(), Some("PT12H"));
    assert_eq!(
        updated.relay_state.as_deref(),
        Some("https://console.aws.amazon.com/")
    );
    assert_eq!(updated.created_date, created.created_date);

    delete_permission_set(&emulator, &arn).unwrap();
    assert_eq!(all_permission_sets(&emulator), [plain]);
    let error = emulator
        .describe_permission_set(
            DescribePermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(&arn)
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        DescribePermissionSetError::ResourceNotFoundException(_)
    ));
    assert!(matches!(
        delete_permission_set(&emulator, &arn),
        Err(DeletePermissionSetError::ResourceNotFoundException(_))
    ));
}

#[test]
fn permission_set_errors() {
    let emulator = emulator();
    create_permission_set(&emulator, "Dup");
    let error = emulator
        .create_permission_set(
            CreatePermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .name("Dup")
                .build()
                .unwrap(),
        )
        .unwrap_err();
    match error {
        CreatePermissionSetError::ConflictException(e) => assert_eq!(
            e.message.as_deref(),
            Some("PermissionSet with name Dup already exists.")
        ),
        other => panic!("{other:?}"),
    }

    let error = emulator
        .create_permission_set(
            CreatePermissionSetInput::builder()
                .instance_arn("arn:aws:sso:::instance/ssoins-2222222222222222")
                .name("Other")
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        CreatePermissionSetError::ResourceNotFoundException(_)
    ));

    for duration in ["PT30M", "PT13H", "P1D"] {
        let error = emulator
            .create_permission_set(
                CreatePermissionSetInput::builder()
                    .instance_arn(INSTANCE)
                    .name("Long")
                    .session_duration(duration)
                    .build()
                    .unwrap(),
            )
            .unwrap_err();
        assert!(
            matches!(error, CreatePermissionSetError::ValidationException(_)),
            "{duration}"
        );
    }

    let error = emulator
        .list_permission_sets(
            ListPermissionSetsInput::builder()
                .instance_arn("arn:aws:sso:::instance/ssoins-2222222222222222")
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        ListPermissionSetsError::ResourceNotFoundException(_)
    ));

    let error = emulator
        .update_permission_set(
            UpdatePermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(
                    "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-0000000000000000",
                )
                .description("x")
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        UpdatePermissionSetError::ResourceNotFoundException(_)
    ));
}

#[test]
fn tags() {
    let emulator = emulator();
    let arn = emulator
        .create_permission_set(
            CreatePermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .name("Tagged")
                .tags(tag("team", "blue"))
                .build()
                .unwrap(),
        )
        .unwrap()
        .permission_set
        .unwrap()
        .permission_set_arn
        .unwrap();
    assert_eq!(tags_of(&emulator, &arn), [("team".into(), "blue".into())]);

    let tag_input = |tags: Vec<Tag>| {
        TagResourceInput::builder()
            .instance_arn(INSTANCE)
            .resource_arn(&arn)
            .set_tags(Some(tags))
            .build()
            .unwrap()
    };
    emulator
        .tag_resource(tag_input(vec![tag("team", "red"), tag("env", "prod")]))
        .unwrap();
    assert_eq!(
        tags_of(&emulator, &arn),
        [("env".into(), "prod".into()), ("team".into(), "red".into())]
    );

    emulator
        .untag_resource(
            UntagResourceInput::builder()
                .instance_arn(INSTANCE)
                .resource_arn(&arn)
                .tag_keys("team")
                .tag_keys("absent")
                .build()
                .unwrap(),
        )
        .unwrap();
    assert_eq!(tags_of(&emulator, &arn), [("env".into(), "prod".into())]);

    let error = emulator
        .tag_resource(tag_input(vec![tag("aws:owner", "me")]))
        .unwrap_err();
    assert!(matches!(error, TagResourceError::ValidationException(_)));
    let error = emulator
        .untag_resource(
            UntagResourceInput::builder()
                .instance_arn(INSTANCE)
                .resource_arn(&arn)
                .tag_keys("aws:owner")
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(error, UntagResourceError::ValidationException(_)));

    // 1 existing + 49 new = 50: fine; one more new key: over the quota; replacing: fine.
    let many: Vec<Tag> = (0..49).map(|i| tag(&format!("k{i:02}"), "v")).collect();
    emulator.tag_resource(tag_input(many)).unwrap();
    assert_eq!(tags_of(&emulator, &arn).len(), 50);
    let error = emulator
        .tag_resource(tag_input(vec![tag("one-too-many", "v")]))
        .unwrap_err();
    assert!(matches!(
        error,
        TagResourceError::ServiceQuotaExceededException(_)
    ));
    emulator
        .tag_resource(tag_input(vec![tag("k00", "replaced")]))
        .unwrap();
    assert_eq!(tags_of(&emulator, &arn).len(), 50);
    assert!(tags_of(&emulator, &arn).contains(&("k00".into(), "replaced".into())));

    let too_many_at_create: Vec<Tag> = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
    let error = emulator
        .create_permission_set(
            CreatePermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .name("TooManyTags")
                .set_tags(Some(too_many_at_create))
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        CreatePermissionSetError::ServiceQuotaExceededException(_)
    ));
    let error = emulator
        .create_permission_set(
            CreatePermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .name("Reserved")
                .tags(tag("aws:x", "v"))
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        CreatePermissionSetError::ValidationException(_)
    ));

    let missing = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-0000000000000000";
    let error = emulator
        .list_tags_for_resource(
            ListTagsForResourceInput::builder()
                .instance_arn(INSTANCE)
                .resource_arn(missing)
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        ListTagsForResourceError::ResourceNotFoundException(_)
    ));
    let error = emulator
        .tag_resource(
            TagResourceInput::builder()
                .instance_arn(INSTANCE)
                .resource_arn(missing)
                .tags(tag("a", "b"))
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        TagResourceError::ResourceNotFoundException(_)
    ));
}

fn attach(
    emulator: &Emulator,
    arn: &str,
    policy: &str,
) -> Result<(), AttachManagedPolicyToPermissionSetError> {
    emulator
        .attach_managed_policy_to_permission_set(
            AttachManagedPolicyToPermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(arn)
                .managed_policy_arn(policy)
                .build()
                .unwrap(),
        )
        .map(|_| ())
}

fn managed_policies(emulator: &Emulator, arn: &str) -> Vec<(String, String)> {
    emulator
        .list_managed_policies_in_permission_set(
            ListManagedPoliciesInPermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(arn)
                .build()
                .unwrap(),
        )
        .unwrap()
        .attached_managed_policies
        .unwrap()
        .into_iter()
        .map(|p| (p.name.unwrap(), p.arn.unwrap()))
        .collect()
}

#[test]
fn managed_policies_attach_list_detach_and_limits() {
    let emulator = emulator();
    let arn = create_permission_set(&emulator, "Policies");
    attach(&emulator, &arn, "arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap();
    attach(
        &emulator,
        &arn,
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
    )
    .unwrap();
    attach(&emulator, &arn, "arn:aws:iam::123456789012:policy/Custom").unwrap();
    assert_eq!(
        managed_policies(&emulator, &arn),
        [
            (
                "ReadOnlyAccess".into(),
                "arn:aws:iam::aws:policy/ReadOnlyAccess".into()
            ),
            (
                "ViewOnlyAccess".into(),
                "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess".into()
            ),
            (
                "Custom".into(),
                "arn:aws:iam::123456789012:policy/Custom".into()
            ),
        ]
    );

    assert!(matches!(
        attach(&emulator, &arn, "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        Err(AttachManagedPolicyToPermissionSetError::ConflictException(
            _
        ))
    ));
    for bad in [
        "arn:aws:iam::12345:policy/Short",
        "arn:aws:s3:::my-bucket/policy/x",
        "arn:aws:iam::aws:role/NotAPolicy",
    ] {
        assert!(
            matches!(
                attach(&emulator, &arn, bad),
                Err(AttachManagedPolicyToPermissionSetError::ValidationException(_))
            ),
            "{bad}"
        );
    }
    for i in 3..10 {
        attach(&emulator, &arn, &format!("arn:aws:iam::aws:policy/P{i}")).unwrap();
    }
    assert!(matches!(
        attach(&emulator, &arn, "arn:aws:iam::aws:policy/Eleventh"),
        Err(AttachManagedPolicyToPermissionSetError::ServiceQuotaExceededException(_))
    ));

    let detach = |policy: &str| {
        emulator.detach_managed_policy_from_permission_set(
            DetachManagedPolicyFromPermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(&arn)
                .managed_policy_arn(policy)
                .build()
                .unwrap(),
        )
    };
    detach("arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap();
    assert_eq!(managed_policies(&emulator, &arn).len(), 9);
    assert!(matches!(
        detach("arn:aws:iam::aws:policy/ReadOnlyAccess"),
        Err(DetachManagedPolicyFromPermissionSetError::ResourceNotFoundException(_))
    ));
    attach(&emulator, &arn, "arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap();

    let missing = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-0000000000000000";
    assert!(matches!(
        attach(&emulator, missing, "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        Err(AttachManagedPolicyToPermissionSetError::ResourceNotFoundException(_))
    ));
}

#[test]
fn inline_policy_put_get_delete() {
    let emulator = emulator();
    let arn = create_permission_set(&emulator, "Inline");
    let get = || {
        emulator
            .get_inline_policy_for_permission_set(
                GetInlinePolicyForPermissionSetInput::builder()
                    .instance_arn(INSTANCE)
                    .permission_set_arn(&arn)
                    .build()
                    .unwrap(),
            )
            .unwrap()
            .inline_policy
    };
    let put = |policy: &str| {
        emulator.put_inline_policy_to_permission_set(
            PutInlinePolicyToPermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(&arn)
                .inline_policy(policy)
                .build()
                .unwrap(),
        )
    };
    assert_eq!(get(), None);
    let first = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
    let second = r#"{"Version":"2012-10-17","Statement":[]}"#;
    put(first).unwrap();
    assert_eq!(get().as_deref(), Some(first));
    put(second).unwrap();
    assert_eq!(get().as_deref(), Some(second));
    for bad in ["{not json", "[1, 2]", "\"text\""] {
        assert!(
            matches!(
                put(bad),
                Err(PutInlinePolicyToPermissionSetError::ValidationException(_))
            ),
            "{bad}"
        );
    }
    assert_eq!(get().as_deref(), Some(second));
    let delete = || {
        emulator.delete_inline_policy_from_permission_set(
            DeleteInlinePolicyFromPermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(&arn)
                .build()
                .unwrap(),
        )
    };
    delete().unwrap();
    assert_eq!(get(), None);
    delete().unwrap();
}

#[test]
fn account_assignment_async_flow() {
    let emulator = emulator();
    let arn = create_permission_set(&emulator, "Assigned");
    let user = principal(1);

    let status = assign(&emulator, &arn, ACCOUNT, &user);
    let request_id = status.request_id.clone().unwrap();
    assert!(is_uuid_v4(&request_id), "{request_id}");
    assert_eq!(status.target_id.as_deref(), Some(ACCOUNT));
    assert_eq!(status.permission_set_arn.as_deref(), Some(arn.as_str()));
    assert_eq!(status.principal_id.as_deref(), Some(user.as_str()));
    assert!(status.created_date.is_some());
    assert_eq!(status.failure_reason, None);

    let described = emulator
        .describe_account_assignment_creation_status(
            DescribeAccountAssignmentCreationStatusInput::builder()
                .instance_arn(INSTANCE)
                .account_assignment_creation_request_id(&request_id)
                .build()
                .unwrap(),
        )
        .unwrap()
        .account_assignment_creation_status
        .unwrap();
    assert_eq!(described.status, Some(StatusValues::Succeeded));
    assert_eq!(described.request_id, status.request_id);
    assert_eq!(described.created_date, status.created_date);
    assert_eq!(all_assignees(&emulator, &arn, ACCOUNT), vec![user.clone()]);

    // The identical assignment again succeeds without a duplicate (as AWS does).
    let again = assign(&emulator, &arn, ACCOUNT, &user);
    assert_ne!(again.request_id, status.request_id);
    assert_eq!(all_assignees(&emulator, &arn, ACCOUNT), vec![user.clone()]);

    let creations = emulator
        .list_account_assignment_creation_status(
            ListAccountAssignmentCreationStatusInput::builder()
                .instance_arn(INSTANCE)
                .filter(
                    OperationStatusFilter::builder()
                        .status(StatusValues::Succeeded)
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .unwrap()
        .account_assignments_creation_status
        .unwrap();
    assert_eq!(creations.len(), 2);
    assert_eq!(
        creations[0].request_id.as_deref(),
        Some(request_id.as_str())
    );

    // Unknown permission set: synchronous.
    let missing = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-0000000000000000";
    let error = emulator
        .create_account_assignment(create_assignment_input(missing, ACCOUNT, &user))
        .unwrap_err();
    assert!(matches!(
        error,
        CreateAccountAssignmentError::ResourceNotFoundException(_)
    ));
    let error = emulator
        .describe_account_assignment_creation_status(
            DescribeAccountAssignmentCreationStatusInput::builder()
                .instance_arn(INSTANCE)
                .account_assignment_creation_request_id("00000000-0000-4000-8000-000000000000")
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        DescribeAccountAssignmentCreationStatusError::ResourceNotFoundException(_)
    ));

    // Deleting: succeeds; deleting again: accepted, then FAILED with a reason.
    let deletion = unassign(&emulator, &arn, ACCOUNT, &user);
    assert_eq!(deletion.status, Some(StatusValues::InProgress));
    let describe_deletion = |id: &str| {
        emulator
            .describe_account_assignment_deletion_status(
                DescribeAccountAssignmentDeletionStatusInput::builder()
                    .instance_arn(INSTANCE)
                    .account_assignment_deletion_request_id(id)
                    .build()
                    .unwrap(),
            )
            .unwrap()
            .account_assignment_deletion_status
            .unwrap()
    };
    let done = describe_deletion(deletion.request_id.as_deref().unwrap());
    assert_eq!(done.status, Some(StatusValues::Succeeded));
    assert!(all_assignees(&emulator, &arn, ACCOUNT).is_empty());

    let failed = unassign(&emulator, &arn, ACCOUNT, &user);
    assert_eq!(failed.status, Some(StatusValues::InProgress));
    let failed = describe_deletion(failed.request_id.as_deref().unwrap());
    assert_eq!(failed.status, Some(StatusValues::Failed));
    assert!(failed.failure_reason.is_some());

    let list_deletions = |status: StatusValues| {
        emulator
            .list_account_assignment_deletion_status(
                ListAccountAssignmentDeletionStatusInput::builder()
                    .instance_arn(INSTANCE)
                    .filter(OperationStatusFilter::builder().status(status).build())
                    .build()
                    .unwrap(),
            )
            .unwrap()
            .account_assignments_deletion_status
            .unwrap()
    };
    assert_eq!(list_deletions(StatusValues::Failed).len(), 1);
    assert_eq!(list_deletions(StatusValues::Succeeded).len(), 1);
    assert_eq!(list_deletions(StatusValues::InProgress).len(), 0);
}

#[test]
fn provisioning_tracks_latest_versions() {
    let emulator = emulator();
    let arn = create_permission_set(&emulator, "Provisioned");
    let other = create_permission_set(&emulator, "Other");
    assign(&emulator, &arn, ACCOUNT, &principal(1));
    assign(&emulator, &arn, OTHER_ACCOUNT, &principal(2));
    assign(&emulator, &other, ACCOUNT, &principal(3));

    let latest = Some(ProvisioningStatus::LatestPermissionSetProvisioned);
    let outdated = Some(ProvisioningStatus::LatestPermissionSetNotProvisioned);
    assert_eq!(
        accounts_for(&emulator, &arn, None),
        [ACCOUNT, OTHER_ACCOUNT]
    );
    assert_eq!(
        accounts_for(&emulator, &arn, latest.clone()),
        [ACCOUNT, OTHER_ACCOUNT]
    );
    assert!(accounts_for(&emulator, &arn, outdated.clone()).is_empty());
    assert_eq!(
        sets_on(&emulator, ACCOUNT, None),
        [arn.clone(), other.clone()]
    );

    // Changing the set makes its accounts outdated.
    attach(&emulator, &arn, "arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap();
    assert_eq!(
        accounts_for(&emulator, &arn, outdated.clone()),
        [ACCOUNT, OTHER_ACCOUNT]
    );
    assert_eq!(
        sets_on(&emulator, ACCOUNT, outdated.clone()),
        vec![arn.clone()]
    );
    assert_eq!(
        sets_on(&emulator, ACCOUNT, latest.clone()),
        vec![other.clone()]
    );

    // Reprovisioning one account.
    let provision = |target_type: ProvisionTargetType, target: Option<&str>| {
        emulator.provision_permission_set(
            ProvisionPermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(&arn)
                .target_type(target_type)
                .set_target_id(target.map(str::to_owned))
                .build()
                .unwrap(),
        )
    };
    let status = provision(ProvisionTargetType::AwsAccount, Some(ACCOUNT))
        .unwrap()
        .permission_set_provisioning_status
        .unwrap();
    assert_eq!(status.status, Some(StatusValues::InProgress));
    assert_eq!(status.account_id.as_deref(), Some(ACCOUNT));
    assert_eq!(status.permission_set_arn.as_deref(), Some(arn.as_str()));
    assert!(is_uuid_v4(status.request_id.as_deref().unwrap()));
    let described = emulator
        .describe_permission_set_provisioning_status(
            DescribePermissionSetProvisioningStatusInput::builder()
                .instance_arn(INSTANCE)
                .provision_permission_set_request_id(status.request_id.clone().unwrap())
                .build()
                .unwrap(),
        )
        .unwrap()
        .permission_set_provisioning_status
        .unwrap();
    assert_eq!(described.status, Some(StatusValues::Succeeded));
    assert_eq!(accounts_for(&emulator, &arn, latest.clone()), [ACCOUNT]);
    assert_eq!(
        accounts_for(&emulator, &arn, outdated.clone()),
        [OTHER_ACCOUNT]
    );

    // Every update kind marks outdated; ALL_PROVISIONED_ACCOUNTS fixes all.
    emulator
        .update_permission_set(
            UpdatePermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(&arn)
                .relay_state("https://example.com/")
                .build()
                .unwrap(),
        )
        .unwrap();
    assert!(accounts_for(&emulator, &arn, latest.clone()).is_empty());
    provision(ProvisionTargetType::AllProvisionedAccounts, None).unwrap();
    assert_eq!(
        accounts_for(&emulator, &arn, latest.clone()),
        [ACCOUNT, OTHER_ACCOUNT]
    );
    emulator
        .put_inline_policy_to_permission_set(
            PutInlinePolicyToPermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(&arn)
                .inline_policy("{}")
                .build()
                .unwrap(),
        )
        .unwrap();
    assert_eq!(accounts_for(&emulator, &arn, outdated.clone()).len(), 2);

    // AWS_ACCOUNT without a TargetId.
    assert!(matches!(
        provision(ProvisionTargetType::AwsAccount, None),
        Err(ProvisionPermissionSetError::ValidationException(_))
    ));

    let statuses = emulator
        .list_permission_set_provisioning_status(
            ListPermissionSetProvisioningStatusInput::builder()
                .instance_arn(INSTANCE)
                .build()
                .unwrap(),
        )
        .unwrap()
        .permission_sets_provisioning_status
        .unwrap();
    assert_eq!(statuses.len(), 2);
    assert!(statuses
        .iter()
        .all(|s| s.status == Some(StatusValues::Succeeded)));

    // Provisioning to a new account without assignments puts the set there.
    provision(ProvisionTargetType::AwsAccount, Some("999999999999")).unwrap();
    assert_eq!(sets_on(&emulator, "999999999999", None), vec![arn.clone()]);
    let missing = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-0000000000000000";
    let error = emulator
        .provision_permission_set(
            ProvisionPermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(missing)
                .target_type(ProvisionTargetType::AllProvisionedAccounts)
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        ProvisionPermissionSetError::ResourceNotFoundException(_)
    ));
}

#[test]
fn deleting_a_permission_set_in_use_conflicts() {
    let emulator = emulator();
    let arn = create_permission_set(&emulator, "InUse");
    assign(&emulator, &arn, ACCOUNT, &principal(1));
    assign(&emulator, &arn, ACCOUNT, &principal(2));
    assert!(matches!(
        delete_permission_set(&emulator, &arn),
        Err(DeletePermissionSetError::ConflictException(_))
    ));
    unassign(&emulator, &arn, ACCOUNT, &principal(1));
    assert!(matches!(
        delete_permission_set(&emulator, &arn),
        Err(DeletePermissionSetError::ConflictException(_))
    ));
    // The last assignment gone, the set leaves the account and can be deleted.
    unassign(&emulator, &arn, ACCOUNT, &principal(2));
    assert!(sets_on(&emulator, ACCOUNT, None).is_empty());
    delete_permission_set(&emulator, &arn).unwrap();

    // Provisioned without assignments: also in use.
    let provisioned = create_permission_set(&emulator, "ProvisionedOnly");
    emulator
        .provision_permission_set(
            ProvisionPermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(&provisioned)
                .target_type(ProvisionTargetType::AwsAccount)
                .target_id(ACCOUNT)
                .build()
                .unwrap(),
        )
        .unwrap();
    assert!(matches!(
        delete_permission_set(&emulator, &provisioned),
        Err(DeletePermissionSetError::ConflictException(_))
    ));
}

#[test]
fn permission_set_quota_per_instance() {
    let emulator = emulator();
    for i in 0..sso_admin_emulator::MAX_PERMISSION_SETS_PER_INSTANCE {
        create_permission_set(&emulator, &format!("Q{i}"));
    }
    let error = emulator
        .create_permission_set(
            CreatePermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .name("OneTooMany")
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        CreatePermissionSetError::ServiceQuotaExceededException(_)
    ));
}

/// `ProvisionPermissionSet` to a new account adds a (set, account) pair: the pairs are bounded
/// (any 12-digit account id is accepted), while provisioning a pair again still works.
#[test]
fn provisioned_pairs_are_bounded_per_instance() {
    let emulator = emulator();
    let arn = create_permission_set(&emulator, "Everywhere");
    let provision = |account: &str| {
        emulator.provision_permission_set(
            ProvisionPermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(&arn)
                .target_type(ProvisionTargetType::AwsAccount)
                .target_id(account)
                .build()
                .unwrap(),
        )
    };
    let max = sso_admin_emulator::MAX_PROVISIONED_PAIRS_PER_INSTANCE;
    for account in 0..max {
        provision(&format!("{account:012}")).unwrap();
    }
    match provision(&format!("{max:012}")) {
        Err(ProvisionPermissionSetError::ValidationException(error)) => {
            assert!(error.message().unwrap().contains("maximum"), "{error:?}")
        }
        other => panic!("expected a ValidationException, got {other:?}"),
    }
    provision(&format!("{:012}", max - 1)).unwrap();
    assert_eq!(sets_on(&emulator, &format!("{:012}", 7), None), vec![arn]);
    assert!(sets_on(&emulator, &format!("{max:012}"), None).is_empty());
}

/// The request history is bounded by count: the oldest requests are forgotten first, listings
/// see exactly the ones kept, and a token issued before an eviction still resumes correctly.
#[test]
fn the_request_history_is_bounded_and_pages_resume_across_evictions() {
    const KEPT: usize = 50;
    let emulator = emulator().with_request_history(KEPT);
    let arn = create_permission_set(&emulator, "Repeated");
    let user = principal(1);
    let ids: Vec<String> = (0..3 * KEPT)
        .map(|_| {
            assign(&emulator, &arn, ACCOUNT, &user)
                .request_id
                .expect("a request id")
        })
        .collect();
    let describe = |id: &str| {
        emulator.describe_account_assignment_creation_status(
            DescribeAccountAssignmentCreationStatusInput::builder()
                .instance_arn(INSTANCE)
                .account_assignment_creation_request_id(id)
                .build()
                .unwrap(),
        )
    };
    assert!(matches!(
        describe(&ids[0]),
        Err(DescribeAccountAssignmentCreationStatusError::ResourceNotFoundException(_))
    ));
    assert!(describe(&ids[ids.len() - KEPT]).is_ok());
    assert!(describe(ids.last().unwrap()).is_ok());

    let page = |token: Option<String>, size: i32| {
        emulator
            .list_account_assignment_creation_status(
                ListAccountAssignmentCreationStatusInput::builder()
                    .instance_arn(INSTANCE)
                    .max_results(size)
                    .set_next_token(token)
                    .filter(
                        OperationStatusFilter::builder()
                            .status(StatusValues::Succeeded)
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
            .unwrap()
    };
    // A token taken now, then more requests that evict the item it points at.
    let first = page(None, 1);
    let listed_first = first.account_assignments_creation_status.unwrap()[0]
        .request_id
        .clone();
    assert_eq!(
        listed_first.as_deref(),
        Some(ids[ids.len() - KEPT].as_str())
    );
    let token = first.next_token;
    let more: Vec<String> = (0..10)
        .map(|_| {
            assign(&emulator, &arn, ACCOUNT, &user)
                .request_id
                .expect("a request id")
        })
        .collect();
    let mut listed = Vec::new();
    let mut token = token;
    loop {
        let output = page(token, 7);
        listed.extend(
            output
                .account_assignments_creation_status
                .unwrap()
                .into_iter()
                .map(|status| status.request_id.unwrap()),
        );
        token = output.next_token;
        if token.is_none() {
            break;
        }
    }
    let all: Vec<String> = ids.iter().chain(&more).cloned().collect();
    assert_eq!(listed, all[all.len() - KEPT..].to_vec());
}
