//! Many threads creating and deleting assignments and permission sets at once: afterwards the
//! state is exactly what the successful calls imply.

mod common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::thread;

use common::*;
use sso_admin::operation::{
    create_permission_set::{CreatePermissionSetError, CreatePermissionSetInput},
    delete_permission_set::{DeletePermissionSetError, DeletePermissionSetInput},
    describe_account_assignment_creation_status::DescribeAccountAssignmentCreationStatusInput,
    list_account_assignment_creation_status::ListAccountAssignmentCreationStatusInput,
};
use sso_admin::types::StatusValues;

const THREADS: usize = 8;
const ROUNDS: usize = 40;

#[test]
fn parallel_clients_lose_and_duplicate_nothing() {
    let emulator = Arc::new(emulator());
    let shared = create_permission_set(&emulator, "Shared");
    // What the successful calls imply.
    let created_sets = Arc::new(Mutex::new(BTreeSet::new()));
    let deleted_sets = Arc::new(Mutex::new(BTreeSet::new()));
    let request_ids = Arc::new(Mutex::new(Vec::new()));

    let handles: Vec<_> = (0..THREADS)
        .map(|thread_index| {
            let emulator = Arc::clone(&emulator);
            let shared = shared.clone();
            let created_sets = Arc::clone(&created_sets);
            let deleted_sets = Arc::clone(&deleted_sets);
            let request_ids = Arc::clone(&request_ids);
            thread::spawn(move || {
                for round in 0..ROUNDS {
                    // Every thread races to create the same few names: exactly one wins each.
                    let name = format!("Race{}", round % 5);
                    match emulator.create_permission_set(
                        CreatePermissionSetInput::builder()
                            .instance_arn(INSTANCE)
                            .name(&name)
                            .build()
                            .unwrap(),
                    ) {
                        Ok(output) => {
                            let arn = output.permission_set.unwrap().permission_set_arn.unwrap();
                            created_sets.lock().unwrap().insert(arn);
                        }
                        Err(CreatePermissionSetError::ConflictException(_)) => {}
                        Err(other) => panic!("{other:?}"),
                    }
                    // ... and to delete whatever exists under that name.
                    let existing: Vec<String> = all_permission_sets(&emulator)
                        .into_iter()
                        .filter(|arn| *arn != shared)
                        .collect();
                    if let Some(arn) = existing.get(round % existing.len().max(1)) {
                        match emulator.delete_permission_set(
                            DeletePermissionSetInput::builder()
                                .instance_arn(INSTANCE)
                                .permission_set_arn(arn)
                                .build()
                                .unwrap(),
                        ) {
                            Ok(_) => {
                                assert!(
                                    deleted_sets.lock().unwrap().insert(arn.clone()),
                                    "{arn} deleted twice"
                                );
                            }
                            Err(DeletePermissionSetError::ResourceNotFoundException(_)) => {}
                            Err(other) => panic!("{other:?}"),
                        }
                    }

                    // Each thread owns its principals; all share the permission set and account.
                    let user = principal(thread_index * 1000 + round);
                    let status = assign(&emulator, &shared, ACCOUNT, &user);
                    request_ids.lock().unwrap().push(status.request_id.unwrap());
                    // Same assignment from the same thread again: idempotent.
                    assign(&emulator, &shared, ACCOUNT, &user);
                    if round % 3 == 0 {
                        unassign(&emulator, &shared, ACCOUNT, &user);
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }

    // Assignments: every (thread, round) with round % 3 != 0, each exactly once.
    let mut expected: Vec<String> = (0..THREADS)
        .flat_map(|t| {
            (0..ROUNDS)
                .filter(|r| r % 3 != 0)
                .map(move |r| principal(t * 1000 + r))
        })
        .collect();
    expected.sort();
    let mut assignees = all_assignees(&emulator, &shared, ACCOUNT);
    let listed = assignees.len();
    assignees.sort();
    assignees.dedup();
    assert_eq!(listed, assignees.len(), "duplicated assignments");
    assert_eq!(assignees, expected);

    // Permission sets: the shared one plus those created and not deleted.
    let created = created_sets.lock().unwrap().clone();
    let deleted = deleted_sets.lock().unwrap().clone();
    assert!(deleted.is_subset(&created));
    let mut expected_sets: BTreeSet<String> = created.difference(&deleted).cloned().collect();
    expected_sets.insert(shared.clone());
    let listed_sets = all_permission_sets(&emulator);
    assert_eq!(listed_sets.len(), expected_sets.len(), "{listed_sets:?}");
    assert_eq!(
        listed_sets.into_iter().collect::<BTreeSet<_>>(),
        expected_sets
    );

    // Every creation request is recorded once and succeeded.
    let ids = request_ids.lock().unwrap().clone();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), THREADS * ROUNDS);
    for id in ids.iter().take(20) {
        let status = emulator
            .describe_account_assignment_creation_status(
                DescribeAccountAssignmentCreationStatusInput::builder()
                    .instance_arn(INSTANCE)
                    .account_assignment_creation_request_id(id)
                    .build()
                    .unwrap(),
            )
            .unwrap()
            .account_assignment_creation_status
            .unwrap();
        assert_eq!(status.status, Some(StatusValues::Succeeded));
    }
    let mut listed_requests = 0;
    let mut token = None;
    loop {
        let out = emulator
            .list_account_assignment_creation_status(
                ListAccountAssignmentCreationStatusInput::builder()
                    .instance_arn(INSTANCE)
                    .max_results(100)
                    .set_next_token(token)
                    .build()
                    .unwrap(),
            )
            .unwrap();
        listed_requests += out.account_assignments_creation_status.unwrap().len();
        token = out.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(listed_requests, 2 * THREADS * ROUNDS);
}
