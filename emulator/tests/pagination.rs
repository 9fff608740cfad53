//! Every list operation pages with `MaxResults = 1`, each item once; tokens are tamper-evident.

mod common;

use common::*;
use sso_admin::operation::{
    attach_managed_policy_to_permission_set::AttachManagedPolicyToPermissionSetInput,
    create_permission_set::CreatePermissionSetInput,
    list_account_assignment_creation_status::{
        ListAccountAssignmentCreationStatusError, ListAccountAssignmentCreationStatusInput,
    },
    list_account_assignment_deletion_status::ListAccountAssignmentDeletionStatusInput,
    list_account_assignments::{ListAccountAssignmentsError, ListAccountAssignmentsInput},
    list_accounts_for_provisioned_permission_set::{
        ListAccountsForProvisionedPermissionSetError, ListAccountsForProvisionedPermissionSetInput,
    },
    list_instances::{ListInstancesError, ListInstancesInput},
    list_managed_policies_in_permission_set::ListManagedPoliciesInPermissionSetInput,
    list_permission_set_provisioning_status::ListPermissionSetProvisioningStatusInput,
    list_permission_sets::{ListPermissionSetsError, ListPermissionSetsInput},
    list_permission_sets_provisioned_to_account::ListPermissionSetsProvisionedToAccountInput,
    list_tags_for_resource::{ListTagsForResourceError, ListTagsForResourceInput},
    provision_permission_set::ProvisionPermissionSetInput,
};
use sso_admin::types::{
    OperationStatusFilter, ProvisionTargetType, ProvisioningStatus, StatusValues, Tag,
};
use sso_admin_emulator::Emulator;

/// Pages through a listing; returns every item and the number of pages.
fn collect<F>(mut page: F) -> (Vec<String>, usize)
where
    F: FnMut(Option<String>) -> (Vec<String>, Option<String>),
{
    let mut all = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let (items, next) = page(token.take());
        pages += 1;
        assert!(pages < 1000, "pagination does not end");
        all.extend(items);
        match next {
            Some(next) => {
                assert!(next
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+/=-".contains(&b)));
                token = Some(next);
            }
            None => return (all, pages),
        }
    }
}

/// A populated emulator: 4 permission sets; the first assigned to 5 users in `ACCOUNT` and to
/// 3 more accounts, with 4 managed policies and 5 tags; 2 deletions; 3 provisionings.
struct World {
    emulator: Emulator,
    sets: Vec<String>,
    accounts: Vec<String>,
    users: Vec<String>,
}

fn world() -> World {
    let emulator = emulator().with_list_tags_page_size(1);
    let sets: Vec<String> = (0..4)
        .map(|i| create_permission_set(&emulator, &format!("Set{i}")))
        .collect();
    let users: Vec<String> = (0..5).map(principal).collect();
    for user in &users {
        assign(&emulator, &sets[0], ACCOUNT, user);
    }
    let accounts: Vec<String> = vec![
        ACCOUNT.to_owned(),
        "222222222222".to_owned(),
        "333333333333".to_owned(),
        "444444444444".to_owned(),
    ];
    for account in &accounts[1..] {
        assign(&emulator, &sets[0], account, &principal(99));
    }
    for set in &sets[1..] {
        assign(&emulator, set, ACCOUNT, &principal(50));
    }
    for i in 0..4 {
        emulator
            .attach_managed_policy_to_permission_set(
                AttachManagedPolicyToPermissionSetInput::builder()
                    .instance_arn(INSTANCE)
                    .permission_set_arn(&sets[0])
                    .managed_policy_arn(format!("arn:aws:iam::aws:policy/P{i}"))
                    .build()
                    .unwrap(),
            )
            .unwrap();
    }
    emulator
        .tag_resource(
            sso_admin::operation::tag_resource::TagResourceInput::builder()
                .instance_arn(INSTANCE)
                .resource_arn(&sets[0])
                .set_tags(Some(
                    (0..5)
                        .map(|i| Tag::builder().key(format!("k{i}")).value("v").build())
                        .collect(),
                ))
                .build()
                .unwrap(),
        )
        .unwrap();
    unassign(&emulator, &sets[3], ACCOUNT, &principal(50));
    unassign(&emulator, &sets[3], ACCOUNT, &principal(50)); // FAILED
    for account in &accounts[..3] {
        emulator
            .provision_permission_set(
                ProvisionPermissionSetInput::builder()
                    .instance_arn(INSTANCE)
                    .permission_set_arn(&sets[0])
                    .target_type(ProvisionTargetType::AwsAccount)
                    .target_id(account)
                    .build()
                    .unwrap(),
            )
            .unwrap();
    }
    World {
        emulator,
        sets,
        accounts,
        users,
    }
}

fn assert_each_once(items: &[String], expected: &[String]) {
    assert_eq!(items, expected);
    let mut unique = items.to_vec();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), items.len(), "duplicates in {items:?}");
}

#[test]
fn every_list_operation_pages_one_item_at_a_time() {
    let World {
        emulator,
        sets,
        accounts,
        users,
    } = world();

    let (items, pages) = collect(|token| {
        let out = emulator
            .list_instances(
                ListInstancesInput::builder()
                    .max_results(1)
                    .set_next_token(token)
                    .build(),
            )
            .unwrap();
        let items = out
            .instances
            .unwrap()
            .into_iter()
            .map(|i| i.instance_arn.unwrap())
            .collect();
        (items, out.next_token)
    });
    assert_eq!((items, pages), (vec![INSTANCE.to_owned()], 1));

    let (items, pages) = collect(|token| {
        let out = emulator
            .list_permission_sets(
                ListPermissionSetsInput::builder()
                    .instance_arn(INSTANCE)
                    .max_results(1)
                    .set_next_token(token)
                    .build()
                    .unwrap(),
            )
            .unwrap();
        (out.permission_sets.unwrap(), out.next_token)
    });
    assert_each_once(&items, &sets);
    assert_eq!(pages, 4);

    let (items, pages) = collect(|token| {
        let out = emulator
            .list_account_assignments(
                ListAccountAssignmentsInput::builder()
                    .instance_arn(INSTANCE)
                    .account_id(ACCOUNT)
                    .permission_set_arn(&sets[0])
                    .max_results(1)
                    .set_next_token(token)
                    .build()
                    .unwrap(),
            )
            .unwrap();
        let items = out
            .account_assignments
            .unwrap()
            .into_iter()
            .map(|a| a.principal_id.unwrap())
            .collect();
        (items, out.next_token)
    });
    assert_each_once(&items, &users);
    assert_eq!(pages, 5);

    let (items, _) = collect(|token| {
        let out = emulator
            .list_accounts_for_provisioned_permission_set(
                ListAccountsForProvisionedPermissionSetInput::builder()
                    .instance_arn(INSTANCE)
                    .permission_set_arn(&sets[0])
                    .max_results(1)
                    .set_next_token(token)
                    .build()
                    .unwrap(),
            )
            .unwrap();
        (out.account_ids.unwrap(), out.next_token)
    });
    assert_each_once(&items, &accounts);

    let (items, _) = collect(|token| {
        let out = emulator
            .list_permission_sets_provisioned_to_account(
                ListPermissionSetsProvisionedToAccountInput::builder()
                    .instance_arn(INSTANCE)
                    .account_id(ACCOUNT)
                    .provisioning_status(ProvisioningStatus::LatestPermissionSetProvisioned)
                    .max_results(1)
                    .set_next_token(token)
                    .build()
                    .unwrap(),
            )
            .unwrap();
        (out.permission_sets.unwrap(), out.next_token)
    });
    // sets[3] lost its only assignment in ACCOUNT, so it is no longer provisioned there.
    assert_each_once(&items, &sets[..3]);

    let (items, _) = collect(|token| {
        let out = emulator
            .list_managed_policies_in_permission_set(
                ListManagedPoliciesInPermissionSetInput::builder()
                    .instance_arn(INSTANCE)
                    .permission_set_arn(&sets[0])
                    .max_results(1)
                    .set_next_token(token)
                    .build()
                    .unwrap(),
            )
            .unwrap();
        let items = out
            .attached_managed_policies
            .unwrap()
            .into_iter()
            .map(|p| p.name.unwrap())
            .collect();
        (items, out.next_token)
    });
    assert_each_once(&items, &["P0", "P1", "P2", "P3"].map(String::from));

    let (items, pages) = collect(|token| {
        let out = emulator
            .list_tags_for_resource(
                ListTagsForResourceInput::builder()
                    .instance_arn(INSTANCE)
                    .resource_arn(&sets[0])
                    .set_next_token(token)
                    .build()
                    .unwrap(),
            )
            .unwrap();
        let items = out
            .tags
            .unwrap()
            .into_iter()
            .map(|t| t.key.unwrap())
            .collect();
        (items, out.next_token)
    });
    assert_each_once(&items, &["k0", "k1", "k2", "k3", "k4"].map(String::from));
    assert_eq!(pages, 5);

    let (items, pages) = collect(|token| {
        let out = emulator
            .list_account_assignment_creation_status(
                ListAccountAssignmentCreationStatusInput::builder()
                    .instance_arn(INSTANCE)
                    .max_results(1)
                    .set_next_token(token)
                    .build()
                    .unwrap(),
            )
            .unwrap();
        let items = out
            .account_assignments_creation_status
            .unwrap()
            .into_iter()
            .map(|s| s.request_id.unwrap())
            .collect();
        (items, out.next_token)
    });
    assert_eq!(pages, 11);
    assert_each_once(&items, &items.clone());

    let (items, _) = collect(|token| {
        let out = emulator
            .list_account_assignment_deletion_status(
                ListAccountAssignmentDeletionStatusInput::builder()
                    .instance_arn(INSTANCE)
                    .max_results(1)
                    .set_next_token(token)
                    .build()
                    .unwrap(),
            )
            .unwrap();
        let items = out
            .account_assignments_deletion_status
            .unwrap()
            .into_iter()
            .map(|s| s.status.unwrap().as_str().to_owned())
            .collect();
        (items, out.next_token)
    });
    assert_eq!(items, ["SUCCEEDED", "FAILED"]);

    let (items, pages) = collect(|token| {
        let out = emulator
            .list_permission_set_provisioning_status(
                ListPermissionSetProvisioningStatusInput::builder()
                    .instance_arn(INSTANCE)
                    .filter(
                        OperationStatusFilter::builder()
                            .status(StatusValues::Succeeded)
                            .build(),
                    )
                    .max_results(1)
                    .set_next_token(token)
                    .build()
                    .unwrap(),
            )
            .unwrap();
        let items = out
            .permission_sets_provisioning_status
            .unwrap()
            .into_iter()
            .map(|s| s.request_id.unwrap())
            .collect();
        (items, out.next_token)
    });
    assert_eq!(pages, 3);
    assert_each_once(&items, &items.clone());
}

fn list_sets(
    emulator: &Emulator,
    max: i32,
    token: Option<String>,
) -> Result<(Vec<String>, Option<String>), ListPermissionSetsError> {
    emulator
        .list_permission_sets(
            ListPermissionSetsInput::builder()
                .instance_arn(INSTANCE)
                .max_results(max)
                .set_next_token(token)
                .build()
                .unwrap(),
        )
        .map(|out| (out.permission_sets.unwrap(), out.next_token))
}

#[test]
fn forged_foreign_and_stale_tokens_are_rejected() {
    let World { emulator, sets, .. } = world();
    let (_, token) = list_sets(&emulator, 1, None).unwrap();
    let token = token.unwrap();

    // Tampered: every single-character change is detected.
    let bytes = token.as_bytes();
    for index in 0..bytes.len() {
        let mut forged = bytes.to_vec();
        forged[index] = if forged[index] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(forged).unwrap();
        if forged == token {
            continue;
        }
        assert!(
            matches!(
                list_sets(&emulator, 1, Some(forged.clone())),
                Err(ListPermissionSetsError::ValidationException(_))
            ),
            "accepted {forged}"
        );
    }
    for garbage in [
        "xyz",
        "not a token!",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "e30=",
    ] {
        assert!(matches!(
            list_sets(&emulator, 1, Some(garbage.to_owned())),
            Err(ListPermissionSetsError::ValidationException(_))
        ));
    }

    // A token of the same shape from another emulator.
    let other = world();
    let (_, foreign) = list_sets(&other.emulator, 1, None).unwrap();
    assert!(matches!(
        list_sets(&emulator, 1, foreign),
        Err(ListPermissionSetsError::ValidationException(_))
    ));

    // Issued for another operation.
    let error = emulator
        .list_instances(
            ListInstancesInput::builder()
                .next_token(token.clone())
                .build(),
        )
        .unwrap_err();
    assert!(matches!(error, ListInstancesError::ValidationException(_)));
    let error = emulator
        .list_account_assignment_creation_status(
            ListAccountAssignmentCreationStatusInput::builder()
                .instance_arn(INSTANCE)
                .next_token(token.clone())
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        ListAccountAssignmentCreationStatusError::ValidationException(_)
    ));

    // Issued for other parameters: another account, another filter, another resource.
    let (_, assignments_token) = emulator
        .list_account_assignments(
            ListAccountAssignmentsInput::builder()
                .instance_arn(INSTANCE)
                .account_id(ACCOUNT)
                .permission_set_arn(&sets[0])
                .max_results(1)
                .build()
                .unwrap(),
        )
        .map(|o| (o.account_assignments, o.next_token))
        .unwrap();
    let error = emulator
        .list_account_assignments(
            ListAccountAssignmentsInput::builder()
                .instance_arn(INSTANCE)
                .account_id("222222222222")
                .permission_set_arn(&sets[0])
                .set_next_token(assignments_token)
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        ListAccountAssignmentsError::ValidationException(_)
    ));

    let accounts_page = |status: Option<ProvisioningStatus>, token: Option<String>| {
        emulator.list_accounts_for_provisioned_permission_set(
            ListAccountsForProvisionedPermissionSetInput::builder()
                .instance_arn(INSTANCE)
                .permission_set_arn(&sets[0])
                .set_provisioning_status(status)
                .max_results(1)
                .set_next_token(token)
                .build()
                .unwrap(),
        )
    };
    let filtered_token = accounts_page(
        Some(ProvisioningStatus::LatestPermissionSetProvisioned),
        None,
    )
    .unwrap()
    .next_token;
    assert!(filtered_token.is_some());
    assert!(matches!(
        accounts_page(None, filtered_token),
        Err(ListAccountsForProvisionedPermissionSetError::ValidationException(_))
    ));

    let tags_token = emulator
        .list_tags_for_resource(
            ListTagsForResourceInput::builder()
                .instance_arn(INSTANCE)
                .resource_arn(&sets[0])
                .build()
                .unwrap(),
        )
        .unwrap()
        .next_token;
    let error = emulator
        .list_tags_for_resource(
            ListTagsForResourceInput::builder()
                .instance_arn(INSTANCE)
                .resource_arn(&sets[1])
                .set_next_token(tags_token)
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        ListTagsForResourceError::ValidationException(_)
    ));

    // MaxResults out of the model's range (had the server not caught it).
    assert!(matches!(
        list_sets(&emulator, 0, None),
        Err(ListPermissionSetsError::ValidationException(_))
    ));
    assert!(matches!(
        list_sets(&emulator, 101, None),
        Err(ListPermissionSetsError::ValidationException(_))
    ));

    // The genuine token still works.
    let (page, _) = list_sets(&emulator, 1, Some(token)).unwrap();
    assert_eq!(page, [sets[1].clone()]);
}

#[test]
fn paging_is_stable_while_items_come_and_go() {
    let emulator = emulator();
    let sets: Vec<String> = (0..6)
        .map(|i| create_permission_set(&emulator, &format!("S{i}")))
        .collect();
    let delete = |arn: &str| {
        emulator
            .delete_permission_set(
                sso_admin::operation::delete_permission_set::DeletePermissionSetInput::builder()
                    .instance_arn(INSTANCE)
                    .permission_set_arn(arn)
                    .build()
                    .unwrap(),
            )
            .unwrap();
    };

    let (first, token) = list_sets(&emulator, 2, None).unwrap();
    assert_eq!(first, sets[..2]);
    // The last item returned and a later one disappear; a new one appears.
    delete(&sets[1]);
    delete(&sets[3]);
    let added = create_permission_set(&emulator, "Late");
    let (second, token) = list_sets(&emulator, 2, token).unwrap();
    assert_eq!(second, [sets[2].clone(), sets[4].clone()]);
    let (third, token) = list_sets(&emulator, 2, token).unwrap();
    assert_eq!(third, [sets[5].clone(), added]);
    assert_eq!(token, None);
}

#[test]
fn default_page_size_is_one_hundred() {
    let emulator = emulator();
    for i in 0..101 {
        emulator
            .create_permission_set(
                CreatePermissionSetInput::builder()
                    .instance_arn(INSTANCE)
                    .name(format!("Many{i}"))
                    .build()
                    .unwrap(),
            )
            .unwrap();
    }
    let first = emulator
        .list_permission_sets(
            ListPermissionSetsInput::builder()
                .instance_arn(INSTANCE)
                .build()
                .unwrap(),
        )
        .unwrap();
    assert_eq!(first.permission_sets.unwrap().len(), 100);
    assert!(first.next_token.is_some());
    assert_eq!(all_permission_sets(&emulator).len(), 101);
}
