//! Account assignments and the history of their creation and deletion requests.

use serde::{Deserializer, Serializer};

use super::*;

/// The principals assigned one permission set in one account: by principal, and in creation
/// order (the order of `ListAccountAssignments`).
#[derive(Debug, Default)]
struct Target {
    by_principal: BTreeMap<(PrincipalType, String), u64>,
    by_seq: BTreeMap<u64, (PrincipalType, String)>,
}

/// Every account assignment with its creation sequence number, grouped by permission set and
/// account, so that finding one, listing a page of one (permission set, account) pair and
/// asking whether a permission set or a pair has any cost O(log n + page), not O(n).
///
/// Saved as the list of `(assignment, sequence number)` pairs in assignment order.
#[derive(Debug, Default)]
pub(super) struct Assignments {
    /// Permission set ARN → account id → its principals.
    by_permission_set: BTreeMap<String, BTreeMap<String, Target>>,
    len: usize,
}

/// An assignment as saved: the fields of [`AssignmentKey`], borrowed.
#[derive(Serialize)]
struct SavedKey<'a> {
    permission_set_arn: &'a str,
    account_id: &'a str,
    principal_type: &'a PrincipalType,
    principal_id: &'a str,
}

impl Serialize for Assignments {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.by_permission_set.iter().flat_map(|(arn, accounts)| {
            accounts.iter().flat_map(move |(account, target)| {
                target
                    .by_principal
                    .iter()
                    .map(move |((principal_type, principal_id), seq)| {
                        let key = SavedKey {
                            permission_set_arn: arn,
                            account_id: account,
                            principal_type,
                            principal_id,
                        };
                        (key, *seq)
                    })
            })
        }))
    }
}

impl<'de> Deserialize<'de> for Assignments {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut assignments = Self::default();
        for (key, seq) in Vec::<(AssignmentKey, u64)>::deserialize(deserializer)? {
            assignments.insert(key, seq);
        }
        Ok(assignments)
    }
}

impl Assignments {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    fn target(&self, permission_set_arn: &str, account_id: &str) -> Option<&Target> {
        self.by_permission_set
            .get(permission_set_arn)?
            .get(account_id)
    }

    pub(super) fn contains(&self, key: &AssignmentKey) -> bool {
        self.target(&key.permission_set_arn, &key.account_id)
            .is_some_and(|target| {
                target
                    .by_principal
                    .contains_key(&(key.principal_type.clone(), key.principal_id.clone()))
            })
    }

    /// Adds `key` with sequence number `seq`, unless it is there already.
    pub(super) fn insert(&mut self, key: AssignmentKey, seq: u64) {
        let target = self
            .by_permission_set
            .entry(key.permission_set_arn)
            .or_default()
            .entry(key.account_id)
            .or_default();
        let principal = (key.principal_type, key.principal_id);
        if target.by_principal.contains_key(&principal) {
            return;
        }
        target.by_principal.insert(principal.clone(), seq);
        target.by_seq.insert(seq, principal);
        self.len += 1;
    }

    /// Removes `key`; whether it was there.
    pub(super) fn remove(&mut self, key: &AssignmentKey) -> bool {
        let Some(accounts) = self.by_permission_set.get_mut(&key.permission_set_arn) else {
            return false;
        };
        let Some(target) = accounts.get_mut(&key.account_id) else {
            return false;
        };
        let principal = (key.principal_type.clone(), key.principal_id.clone());
        let Some(seq) = target.by_principal.remove(&principal) else {
            return false;
        };
        target.by_seq.remove(&seq);
        self.len -= 1;
        if target.by_principal.is_empty() {
            accounts.remove(&key.account_id);
            if accounts.is_empty() {
                self.by_permission_set.remove(&key.permission_set_arn);
            }
        }
        true
    }

    /// Whether the permission set is assigned to anyone in the account.
    pub(super) fn has_target(&self, permission_set_arn: &str, account_id: &str) -> bool {
        self.target(permission_set_arn, account_id).is_some()
    }

    /// Whether the permission set is assigned to anyone anywhere.
    pub(super) fn has_permission_set(&self, permission_set_arn: &str) -> bool {
        self.by_permission_set.contains_key(permission_set_arn)
    }

    /// The principals assigned the permission set in the account, in creation order, from
    /// after sequence number `after`: `(sequence number, principal type, principal id)`.
    fn listed_after<'a>(
        &'a self,
        permission_set_arn: &str,
        account_id: &str,
        after: Option<u64>,
    ) -> impl Iterator<Item = (u64, &'a PrincipalType, &'a str)> + 'a {
        let start = after.map_or(0, |seq| seq.saturating_add(1));
        self.target(permission_set_arn, account_id)
            .into_iter()
            .flat_map(move |target| target.by_seq.range(start..))
            .map(|(seq, (principal_type, principal_id))| {
                (*seq, principal_type, principal_id.as_str())
            })
    }
}

impl State {
    pub(crate) fn create_account_assignment(
        &mut self,
        input: CreateAccountAssignmentInput,
    ) -> Result<CreateAccountAssignmentOutput, CreateAccountAssignmentError> {
        self.check_instance(&input.instance_arn)?;
        check_target_type(&input.target_type)?;
        check_principal_type(&input.principal_type)?;
        self.permission_set(&input.permission_set_arn)?;
        let key = AssignmentKey {
            permission_set_arn: input.permission_set_arn,
            account_id: input.target_id,
            principal_type: input.principal_type,
            principal_id: input.principal_id,
        };
        if !self.assignments.contains(&key) {
            if self.assignments.len() >= MAX_ACCOUNT_ASSIGNMENTS_PER_INSTANCE {
                return Err(quota(format!(
                    "The instance already has the maximum of {MAX_ACCOUNT_ASSIGNMENTS_PER_INSTANCE} \
                     account assignments"
                )));
            }
            let seq = self.seq();
            self.assignments.insert(key.clone(), seq);
        }
        // Assigning provisions the current version of the permission set to the account.
        self.provisioned
            .insert(&key.permission_set_arn, &key.account_id, true);
        let request_id = self.new_request_id();
        let request = AssignmentRequest {
            request_id: request_id.clone(),
            status: StatusValues::Succeeded,
            failure_reason: None,
            key,
            created: self.now(),
        };
        let status = request.to_api(StatusValues::InProgress);
        self.creations.push(request_id, request);
        Ok(CreateAccountAssignmentOutput::builder()
            .account_assignment_creation_status(status)
            .build())
    }

    pub(crate) fn delete_account_assignment(
        &mut self,
        input: DeleteAccountAssignmentInput,
    ) -> Result<DeleteAccountAssignmentOutput, DeleteAccountAssignmentError> {
        self.check_instance(&input.instance_arn)?;
        check_target_type(&input.target_type)?;
        check_principal_type(&input.principal_type)?;
        self.permission_set(&input.permission_set_arn)?;
        let key = AssignmentKey {
            permission_set_arn: input.permission_set_arn,
            account_id: input.target_id,
            principal_type: input.principal_type,
            principal_id: input.principal_id,
        };
        let (status, failure_reason) = if self.assignments.remove(&key) {
            if !self
                .assignments
                .has_target(&key.permission_set_arn, &key.account_id)
            {
                // The last assignment of the set in the account: its role is removed there.
                self.provisioned
                    .remove(&key.permission_set_arn, &key.account_id);
            }
            (StatusValues::Succeeded, None)
        } else {
            (
                StatusValues::Failed,
                Some(format!(
                    "Could not find the account assignment of {} {} to account {} with permission set {}",
                    key.principal_type.as_str(),
                    key.principal_id,
                    key.account_id,
                    key.permission_set_arn
                )),
            )
        };
        let request_id = self.new_request_id();
        let request = AssignmentRequest {
            request_id: request_id.clone(),
            status,
            failure_reason,
            key,
            created: self.now(),
        };
        let status = request.to_api(StatusValues::InProgress);
        self.deletions.push(request_id, request);
        Ok(DeleteAccountAssignmentOutput::builder()
            .account_assignment_deletion_status(status)
            .build())
    }

    pub(crate) fn describe_account_assignment_creation_status(
        &self,
        input: DescribeAccountAssignmentCreationStatusInput,
    ) -> Result<
        DescribeAccountAssignmentCreationStatusOutput,
        DescribeAccountAssignmentCreationStatusError,
    > {
        self.check_instance(&input.instance_arn)?;
        let id = input.account_assignment_creation_request_id;
        let request = self
            .creations
            .find(&id, "AccountAssignmentCreationRequest")?;
        Ok(DescribeAccountAssignmentCreationStatusOutput::builder()
            .account_assignment_creation_status(
                request.to_api(self.shown(request.created, &request.status)),
            )
            .build())
    }

    pub(crate) fn describe_account_assignment_deletion_status(
        &self,
        input: DescribeAccountAssignmentDeletionStatusInput,
    ) -> Result<
        DescribeAccountAssignmentDeletionStatusOutput,
        DescribeAccountAssignmentDeletionStatusError,
    > {
        self.check_instance(&input.instance_arn)?;
        let id = input.account_assignment_deletion_request_id;
        let request = self
            .deletions
            .find(&id, "AccountAssignmentDeletionRequest")?;
        Ok(DescribeAccountAssignmentDeletionStatusOutput::builder()
            .account_assignment_deletion_status(
                request.to_api(self.shown(request.created, &request.status)),
            )
            .build())
    }

    /// A page of `log` for `List…Status` operation `operation` (the instance and the filter
    /// checked by the caller).
    fn list_assignment_requests(
        &self,
        operation: &'static str,
        log: &RequestLog<AssignmentRequest>,
        instance_arn: &str,
        status: Option<StatusValues>,
        max_results: Option<i32>,
        next_token: Option<&str>,
    ) -> Result<
        (
            Vec<AccountAssignmentOperationStatusMetadata>,
            Option<String>,
        ),
        ValidationException,
    > {
        let scope = format!(
            "{instance_arn}\n{}",
            status.as_ref().map_or("", StatusValues::as_str)
        );
        let pager = Pager::new(&self.codec, operation, scope, max_results, next_token)?;
        pager.check_seq_bound(log.seq_bound())?;
        let items = log
            .entries_after(pager.after_seq(), status.as_ref(), self.in_progress_since())
            .map(|(seq, request, shown)| (Cursor::Seq(seq), request.to_metadata(shown)));
        Ok(pager.page(items))
    }

    pub(crate) fn list_account_assignment_creation_status(
        &self,
        input: ListAccountAssignmentCreationStatusInput,
    ) -> Result<ListAccountAssignmentCreationStatusOutput, ListAccountAssignmentCreationStatusError>
    {
        self.check_instance(&input.instance_arn)?;
        let status = filter_status(input.filter.as_ref())?;
        let (statuses, next) = self.list_assignment_requests(
            "ListAccountAssignmentCreationStatus",
            &self.creations,
            &input.instance_arn,
            status,
            input.max_results,
            input.next_token.as_deref(),
        )?;
        Ok(ListAccountAssignmentCreationStatusOutput::builder()
            .set_account_assignments_creation_status(Some(statuses))
            .set_next_token(next)
            .build())
    }

    pub(crate) fn list_account_assignment_deletion_status(
        &self,
        input: ListAccountAssignmentDeletionStatusInput,
    ) -> Result<ListAccountAssignmentDeletionStatusOutput, ListAccountAssignmentDeletionStatusError>
    {
        self.check_instance(&input.instance_arn)?;
        let status = filter_status(input.filter.as_ref())?;
        let (statuses, next) = self.list_assignment_requests(
            "ListAccountAssignmentDeletionStatus",
            &self.deletions,
            &input.instance_arn,
            status,
            input.max_results,
            input.next_token.as_deref(),
        )?;
        Ok(ListAccountAssignmentDeletionStatusOutput::builder()
            .set_account_assignments_deletion_status(Some(statuses))
            .set_next_token(next)
            .build())
    }

    pub(crate) fn list_account_assignments(
        &self,
        input: ListAccountAssignmentsInput,
    ) -> Result<ListAccountAssignmentsOutput, ListAccountAssignmentsError> {
        self.check_instance(&input.instance_arn)?;
        self.permission_set(&input.permission_set_arn)?;
        let pager = Pager::new(
            &self.codec,
            "ListAccountAssignments",
            format!(
                "{}\n{}\n{}",
                input.instance_arn, input.account_id, input.permission_set_arn
            ),
            input.max_results,
            input.next_token.as_deref(),
        )?;
        pager.check_seq_bound(self.next_seq)?;
        let items = self
            .assignments
            .listed_after(
                &input.permission_set_arn,
                &input.account_id,
                pager.after_seq(),
            )
            .map(|(seq, principal_type, principal_id)| {
                (
                    Cursor::Seq(seq),
                    AccountAssignment::builder()
                        .account_id(input.account_id.clone())
                        .permission_set_arn(input.permission_set_arn.clone())
                        .principal_type(principal_type.clone())
                        .principal_id(principal_id)
                        .build(),
                )
            });
        let (assignments, next) = pager.page(items);
        Ok(ListAccountAssignmentsOutput::builder()
            .set_account_assignments(Some(assignments))
            .set_next_token(next)
            .build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(permission_set: &str, account: &str, principal: &str) -> AssignmentKey {
        AssignmentKey {
            permission_set_arn: permission_set.to_owned(),
            account_id: account.to_owned(),
            principal_type: PrincipalType::User,
            principal_id: principal.to_owned(),
        }
    }

    #[test]
    fn assignments_are_saved_as_before_and_listed_by_pair_in_creation_order() {
        let keys = [
            (key("ps-b", "111111111111", "u1"), 0),
            (key("ps-a", "222222222222", "u9"), 1),
            (key("ps-a", "111111111111", "u2"), 2),
            (key("ps-a", "111111111111", "u1"), 3),
        ];
        let mut assignments = Assignments::default();
        for (key, seq) in keys.clone() {
            assignments.insert(key.clone(), seq);
            assignments.insert(key, seq + 100);
        }
        assert_eq!(assignments.len(), 4);
        // The format of version 1: the pairs of a map ordered by assignment.
        let flat: BTreeMap<AssignmentKey, u64> = keys.iter().cloned().collect();
        let saved = serde_json::to_value(&assignments).unwrap();
        assert_eq!(
            saved,
            serde_json::to_value(flat.iter().collect::<Vec<_>>()).unwrap()
        );
        let reloaded: Assignments = serde_json::from_value(saved.clone()).unwrap();
        assert_eq!(serde_json::to_value(&reloaded).unwrap(), saved);

        let listed: Vec<(u64, &str)> = assignments
            .listed_after("ps-a", "111111111111", None)
            .map(|(seq, _, principal)| (seq, principal))
            .collect();
        assert_eq!(listed, [(2, "u2"), (3, "u1")]);
        let rest: Vec<u64> = assignments
            .listed_after("ps-a", "111111111111", Some(2))
            .map(|(seq, _, _)| seq)
            .collect();
        assert_eq!(rest, [3]);

        assert!(assignments.remove(&key("ps-a", "111111111111", "u2")));
        assert!(!assignments.remove(&key("ps-a", "111111111111", "u2")));
        assert!(assignments.has_target("ps-a", "111111111111"));
        assert!(assignments.remove(&key("ps-a", "111111111111", "u1")));
        assert!(!assignments.has_target("ps-a", "111111111111"));
        assert!(assignments.has_permission_set("ps-a"));
        assert!(assignments.remove(&key("ps-a", "222222222222", "u9")));
        assert!(!assignments.has_permission_set("ps-a"));
        assert!(!assignments.contains(&key("ps-a", "222222222222", "u9")));
        assert!(assignments.contains(&key("ps-b", "111111111111", "u1")));
        assert_eq!(assignments.len(), 1);
    }
}
