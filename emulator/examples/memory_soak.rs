//! Memory and listing cost of the emulator over a long mixed workload, through its Rust API.
//!
//! ```sh
//! cargo run --release -p sso-admin-emulator --example memory_soak [-- OPERATIONS]
//! ```
//!
//! Runs OPERATIONS (default 1,000,000) operations mixing permission sets, tags, policies,
//! assignments (created, repeated and deleted), provisioning and listings, and prints the
//! resident set size (Linux `/proc/self/statm`) and the time of a one-item page of
//! `ListAccountAssignmentCreationStatus` every tenth of the way. Flat figures mean bounded state.

use std::time::Instant;

use sso_admin::operation::{
    create_account_assignment::CreateAccountAssignmentInput,
    create_permission_set::CreatePermissionSetInput,
    delete_account_assignment::DeleteAccountAssignmentInput,
    delete_permission_set::DeletePermissionSetInput,
    list_account_assignment_creation_status::ListAccountAssignmentCreationStatusInput,
    list_permission_sets::ListPermissionSetsInput,
    provision_permission_set::ProvisionPermissionSetInput,
    put_inline_policy_to_permission_set::PutInlinePolicyToPermissionSetInput,
    tag_resource::TagResourceInput,
};
use sso_admin::types::{PrincipalType, ProvisionTargetType, Tag, TargetType};
use sso_admin_emulator::Emulator;

fn rss_mib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|pages| pages.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / (1024.0 * 1024.0)
}

fn main() {
    let total: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let emulator = Emulator::new();
    let instance = emulator.instance_arn().to_owned();
    let mut sets: Vec<String> = Vec::new();
    let started = Instant::now();
    println!("operations,rss_mib,one_item_status_page_us");
    for n in 0..total {
        let account = format!("{:012}", n % 1_000);
        let principal = format!("user-{}", n % 50);
        match n % 10 {
            0 => {
                // Keep about 100 permission sets: create one, delete the oldest when over.
                let name = format!("Set{n}");
                let created = emulator.create_permission_set(
                    CreatePermissionSetInput::builder()
                        .instance_arn(&instance)
                        .name(name)
                        .build()
                        .expect("input"),
                );
                if let Ok(output) = created {
                    if let Some(arn) = output.permission_set.and_then(|set| set.permission_set_arn)
                    {
                        sets.push(arn);
                    }
                }
                if sets.len() > 100 {
                    let oldest = sets.remove(0);
                    let _ = emulator.delete_permission_set(
                        DeletePermissionSetInput::builder()
                            .instance_arn(&instance)
                            .permission_set_arn(oldest)
                            .build()
                            .expect("input"),
                    );
                }
            }
            1..=4 if !sets.is_empty() => {
                let set = &sets[(n as usize) % sets.len()];
                let _ = emulator.create_account_assignment(
                    CreateAccountAssignmentInput::builder()
                        .instance_arn(&instance)
                        .permission_set_arn(set)
                        .target_id(&account)
                        .target_type(TargetType::AwsAccount)
                        .principal_type(PrincipalType::User)
                        .principal_id(&principal)
                        .build()
                        .expect("input"),
                );
            }
            5 | 6 if !sets.is_empty() => {
                let set = &sets[(n as usize) % sets.len()];
                let _ = emulator.delete_account_assignment(
                    DeleteAccountAssignmentInput::builder()
                        .instance_arn(&instance)
                        .permission_set_arn(set)
                        .target_id(&account)
                        .target_type(TargetType::AwsAccount)
                        .principal_type(PrincipalType::User)
                        .principal_id(&principal)
                        .build()
                        .expect("input"),
                );
            }
            7 if !sets.is_empty() => {
                let set = &sets[(n as usize) % sets.len()];
                let _ = emulator.tag_resource(
                    TagResourceInput::builder()
                        .instance_arn(&instance)
                        .resource_arn(set)
                        .tags(
                            Tag::builder()
                                .key(format!("k{}", n % 60))
                                .value("v")
                                .build(),
                        )
                        .build()
                        .expect("input"),
                );
                let _ = emulator.put_inline_policy_to_permission_set(
                    PutInlinePolicyToPermissionSetInput::builder()
                        .instance_arn(&instance)
                        .permission_set_arn(set)
                        .inline_policy(format!("{{\"Version\":\"2012-10-17\",\"n\":{n}}}"))
                        .build()
                        .expect("input"),
                );
            }
            8 if !sets.is_empty() => {
                let set = &sets[(n as usize) % sets.len()];
                let _ = emulator.provision_permission_set(
                    ProvisionPermissionSetInput::builder()
                        .instance_arn(&instance)
                        .permission_set_arn(set)
                        .target_type(ProvisionTargetType::AllProvisionedAccounts)
                        .build()
                        .expect("input"),
                );
            }
            _ => {
                let _ = emulator.list_permission_sets(
                    ListPermissionSetsInput::builder()
                        .instance_arn(&instance)
                        .max_results(10)
                        .build()
                        .expect("input"),
                );
            }
        }
        if (n + 1) % (total / 10).max(1) == 0 {
            let page_started = Instant::now();
            let _ = emulator.list_account_assignment_creation_status(
                ListAccountAssignmentCreationStatusInput::builder()
                    .instance_arn(&instance)
                    .max_results(1)
                    .build()
                    .expect("input"),
            );
            let page_us = page_started.elapsed().as_secs_f64() * 1e6;
            println!("{},{:.1},{:.1}", n + 1, rss_mib(), page_us);
        }
    }
    eprintln!(
        "{total} operations in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
