//! Account assignments and the history of their creation and deletion requests.

use super::*;

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
        if !self.assignments.contains_key(&key) {
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
        self.provisioned.insert(
            (key.permission_set_arn.clone(), key.account_id.clone()),
            true,
        );
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
        let (status, failure_reason) = if self.assignments.remove(&key).is_some() {
            let still_assigned = self.assignments.keys().any(|other| {
                other.permission_set_arn == key.permission_set_arn
                    && other.account_id == key.account_id
            });
            if !still_assigned {
                // The last assignment of the set in the account: its role is removed there.
                self.provisioned
                    .remove(&(key.permission_set_arn.clone(), key.account_id.clone()));
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
        let mut items: Vec<(Cursor, AccountAssignment)> = self
            .assignments
            .iter()
            .filter(|(key, _)| {
                key.permission_set_arn == input.permission_set_arn
                    && key.account_id == input.account_id
            })
            .map(|(key, seq)| {
                (
                    Cursor::Seq(*seq),
                    AccountAssignment::builder()
                        .account_id(key.account_id.clone())
                        .permission_set_arn(key.permission_set_arn.clone())
                        .principal_type(key.principal_type.clone())
                        .principal_id(key.principal_id.clone())
                        .build(),
                )
            })
            .collect();
        items.sort_by(|a, b| a.0.cmp(&b.0));
        let (assignments, next) = pager.page(items);
        Ok(ListAccountAssignmentsOutput::builder()
            .set_account_assignments(Some(assignments))
            .set_next_token(next)
            .build())
    }
}
