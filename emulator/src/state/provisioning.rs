//! Provisioning permission sets to accounts, and its request history.

use super::*;

impl State {
    pub(crate) fn provision_permission_set(
        &mut self,
        input: ProvisionPermissionSetInput,
    ) -> Result<ProvisionPermissionSetOutput, ProvisionPermissionSetError> {
        self.check_instance(&input.instance_arn)?;
        self.permission_set(&input.permission_set_arn)?;
        let arn = input.permission_set_arn;
        let account_id = match input.target_type {
            ProvisionTargetType::AwsAccount => {
                let Some(account_id) = input.target_id else {
                    return Err(validation(
                        "TargetId is required when TargetType is AWS_ACCOUNT",
                    ));
                };
                self.provisioned
                    .insert((arn.clone(), account_id.clone()), true);
                Some(account_id)
            }
            ProvisionTargetType::AllProvisionedAccounts => {
                for (_, latest) in self.provisioned_to_mut(&arn) {
                    *latest = true;
                }
                None
            }
            other => {
                return Err(validation(format!(
                    "TargetType {} is not supported; use AWS_ACCOUNT or ALL_PROVISIONED_ACCOUNTS",
                    other.as_str()
                )))
            }
        };
        let request_id = self.new_request_id();
        let request = ProvisioningRequest {
            request_id: request_id.clone(),
            status: StatusValues::Succeeded,
            failure_reason: None,
            account_id,
            permission_set_arn: arn,
            created: self.now(),
        };
        let status = request.to_api(StatusValues::InProgress);
        self.provisionings.push(request_id, request);
        Ok(ProvisionPermissionSetOutput::builder()
            .permission_set_provisioning_status(status)
            .build())
    }

    pub(crate) fn describe_permission_set_provisioning_status(
        &self,
        input: DescribePermissionSetProvisioningStatusInput,
    ) -> Result<
        DescribePermissionSetProvisioningStatusOutput,
        DescribePermissionSetProvisioningStatusError,
    > {
        self.check_instance(&input.instance_arn)?;
        let id = input.provision_permission_set_request_id;
        let request = self
            .provisionings
            .find(&id, "PermissionSetProvisioningRequest")?;
        Ok(DescribePermissionSetProvisioningStatusOutput::builder()
            .permission_set_provisioning_status(
                request.to_api(self.shown(request.created, &request.status)),
            )
            .build())
    }

    pub(crate) fn list_permission_set_provisioning_status(
        &self,
        input: ListPermissionSetProvisioningStatusInput,
    ) -> Result<ListPermissionSetProvisioningStatusOutput, ListPermissionSetProvisioningStatusError>
    {
        self.check_instance(&input.instance_arn)?;
        let status = filter_status(input.filter.as_ref())?;
        let scope = format!(
            "{}\n{}",
            input.instance_arn,
            status.as_ref().map_or("", StatusValues::as_str)
        );
        let pager = Pager::new(
            &self.codec,
            "ListPermissionSetProvisioningStatus",
            scope,
            input.max_results,
            input.next_token.as_deref(),
        )?;
        pager.check_seq_bound(self.provisionings.seq_bound())?;
        let items = self
            .provisionings
            .entries_after(pager.after_seq(), status.as_ref(), self.in_progress_since())
            .map(|(seq, request, shown)| (Cursor::Seq(seq), request.to_metadata(shown)));
        let (statuses, next) = pager.page(items);
        Ok(ListPermissionSetProvisioningStatusOutput::builder()
            .set_permission_sets_provisioning_status(Some(statuses))
            .set_next_token(next)
            .build())
    }

    /// Whether a provisioned account's `latest` flag passes the requested filter.
    fn provisioning_filter(
        status: Option<&ProvisioningStatus>,
    ) -> Result<Option<bool>, ValidationException> {
        match status {
            None => Ok(None),
            Some(ProvisioningStatus::LatestPermissionSetProvisioned) => Ok(Some(true)),
            Some(ProvisioningStatus::LatestPermissionSetNotProvisioned) => Ok(Some(false)),
            Some(other) => Err(validation(format!(
                "ProvisioningStatus {} is not supported",
                other.as_str()
            ))),
        }
    }

    pub(crate) fn list_accounts_for_provisioned_permission_set(
        &self,
        input: ListAccountsForProvisionedPermissionSetInput,
    ) -> Result<
        ListAccountsForProvisionedPermissionSetOutput,
        ListAccountsForProvisionedPermissionSetError,
    > {
        self.check_instance(&input.instance_arn)?;
        self.permission_set(&input.permission_set_arn)?;
        let wanted = Self::provisioning_filter(input.provisioning_status.as_ref())?;
        let pager = Pager::new(
            &self.codec,
            "ListAccountsForProvisionedPermissionSet",
            format!(
                "{}\n{}\n{}",
                input.instance_arn,
                input.permission_set_arn,
                input
                    .provisioning_status
                    .as_ref()
                    .map_or("", ProvisioningStatus::as_str)
            ),
            input.max_results,
            input.next_token.as_deref(),
        )?;
        let items = self
            .provisioned_to(&input.permission_set_arn, pager.after_key())
            .filter(|(_, latest)| wanted.is_none_or(|w| w == *latest))
            .map(|(account, _)| (Cursor::Key(account.to_owned()), account.to_owned()));
        let (accounts, next) = pager.page(items);
        Ok(ListAccountsForProvisionedPermissionSetOutput::builder()
            .set_account_ids(Some(accounts))
            .set_next_token(next)
            .build())
    }

    pub(crate) fn list_permission_sets_provisioned_to_account(
        &self,
        input: ListPermissionSetsProvisionedToAccountInput,
    ) -> Result<
        ListPermissionSetsProvisionedToAccountOutput,
        ListPermissionSetsProvisionedToAccountError,
    > {
        self.check_instance(&input.instance_arn)?;
        let wanted = Self::provisioning_filter(input.provisioning_status.as_ref())?;
        let pager = Pager::new(
            &self.codec,
            "ListPermissionSetsProvisionedToAccount",
            format!(
                "{}\n{}\n{}",
                input.instance_arn,
                input.account_id,
                input
                    .provisioning_status
                    .as_ref()
                    .map_or("", ProvisioningStatus::as_str)
            ),
            input.max_results,
            input.next_token.as_deref(),
        )?;
        pager.check_seq_bound(self.next_seq)?;
        let mut items: Vec<(Cursor, String)> = self
            .provisioned
            .iter()
            .filter(|((_, account), latest)| {
                *account == input.account_id && wanted.is_none_or(|w| w == **latest)
            })
            .filter_map(|((ps, _), _)| {
                self.permission_sets
                    .get(ps)
                    .map(|record| (Cursor::Seq(record.seq), record.arn.clone()))
            })
            .collect();
        items.sort();
        let (permission_sets, next) = pager.page(items);
        Ok(ListPermissionSetsProvisionedToAccountOutput::builder()
            .set_permission_sets(Some(permission_sets))
            .set_next_token(next)
            .build())
    }
}
