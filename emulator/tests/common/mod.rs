//! Helpers shared by the emulator's integration tests.
#![allow(dead_code)]

use sso_admin::operation::{
    create_account_assignment::CreateAccountAssignmentInput,
    create_permission_set::CreatePermissionSetInput,
    delete_account_assignment::DeleteAccountAssignmentInput,
    list_account_assignments::ListAccountAssignmentsInput,
    list_permission_sets::ListPermissionSetsInput,
};
use sso_admin::types::{AccountAssignmentOperationStatus, PrincipalType, StatusValues, TargetType};
use sso_admin_emulator::Emulator;

pub const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-1111111111111111";
pub const STORE: &str = "d-1234567890";
pub const ACCOUNT: &str = "111122223333";
pub const OTHER_ACCOUNT: &str = "444455556666";

/// An emulator with the fixed test instance.
pub fn emulator() -> Emulator {
    Emulator::with_instance(INSTANCE, STORE)
}

/// A principal id shaped like an identity store id (a UUID).
pub fn principal(n: usize) -> String {
    format!("{n:08x}-0000-4000-8000-{n:012x}")
}

/// Creates a permission set and returns its ARN.
pub fn create_permission_set(emulator: &Emulator, name: &str) -> String {
    let input = CreatePermissionSetInput::builder()
        .instance_arn(INSTANCE)
        .name(name)
        .build()
        .unwrap();
    emulator
        .create_permission_set(input)
        .unwrap()
        .permission_set
        .unwrap()
        .permission_set_arn
        .unwrap()
}

pub fn create_assignment_input(
    permission_set_arn: &str,
    account: &str,
    principal_id: &str,
) -> CreateAccountAssignmentInput {
    CreateAccountAssignmentInput::builder()
        .instance_arn(INSTANCE)
        .target_id(account)
        .target_type(TargetType::AwsAccount)
        .permission_set_arn(permission_set_arn)
        .principal_type(PrincipalType::User)
        .principal_id(principal_id)
        .build()
        .unwrap()
}

pub fn delete_assignment_input(
    permission_set_arn: &str,
    account: &str,
    principal_id: &str,
) -> DeleteAccountAssignmentInput {
    DeleteAccountAssignmentInput::builder()
        .instance_arn(INSTANCE)
        .target_id(account)
        .target_type(TargetType::AwsAccount)
        .permission_set_arn(permission_set_arn)
        .principal_type(PrincipalType::User)
        .principal_id(principal_id)
        .build()
        .unwrap()
}

/// Assigns a user the permission set in the account; checks the `IN_PROGRESS` answer.
pub fn assign(
    emulator: &Emulator,
    permission_set_arn: &str,
    account: &str,
    principal_id: &str,
) -> AccountAssignmentOperationStatus {
    let status = emulator
        .create_account_assignment(create_assignment_input(
            permission_set_arn,
            account,
            principal_id,
        ))
        .unwrap()
        .account_assignment_creation_status
        .unwrap();
    assert_eq!(status.status, Some(StatusValues::InProgress));
    status
}

/// Removes a user's assignment; returns the `IN_PROGRESS` answer.
pub fn unassign(
    emulator: &Emulator,
    permission_set_arn: &str,
    account: &str,
    principal_id: &str,
) -> AccountAssignmentOperationStatus {
    emulator
        .delete_account_assignment(delete_assignment_input(
            permission_set_arn,
            account,
            principal_id,
        ))
        .unwrap()
        .account_assignment_deletion_status
        .unwrap()
}

/// Every permission set ARN, across all pages.
pub fn all_permission_sets(emulator: &Emulator) -> Vec<String> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let output = emulator
            .list_permission_sets(
                ListPermissionSetsInput::builder()
                    .instance_arn(INSTANCE)
                    .set_next_token(token)
                    .build()
                    .unwrap(),
            )
            .unwrap();
        all.extend(output.permission_sets.unwrap_or_default());
        match output.next_token {
            Some(next) => token = Some(next),
            None => return all,
        }
    }
}

/// Every principal id assigned the permission set in the account, across all pages.
pub fn all_assignees(emulator: &Emulator, permission_set_arn: &str, account: &str) -> Vec<String> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let output = emulator
            .list_account_assignments(
                ListAccountAssignmentsInput::builder()
                    .instance_arn(INSTANCE)
                    .account_id(account)
                    .permission_set_arn(permission_set_arn)
                    .max_results(7)
                    .set_next_token(token)
                    .build()
                    .unwrap(),
            )
            .unwrap();
        all.extend(
            output
                .account_assignments
                .unwrap_or_default()
                .into_iter()
                .map(|a| a.principal_id.unwrap()),
        );
        match output.next_token {
            Some(next) => token = Some(next),
            None => return all,
        }
    }
}
