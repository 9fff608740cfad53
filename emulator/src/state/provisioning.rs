//! Provisioning permission sets to accounts, and its request history.

use serde::{Deserializer, Serializer};

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
                if !self.provisioned.contains(&arn, &account_id)
                    && self.provisioned.len() >= MAX_PROVISIONED_PAIRS_PER_INSTANCE
                {
                    return Err(validation(format!(
                        "The instance already has the maximum of \
                         {MAX_PROVISIONED_PAIRS_PER_INSTANCE} permission set provisionings to \
                         accounts"
                    )));
                }
                self.provisioned.insert(&arn, &account_id, true);
                Some(account_id)
            }
            ProvisionTargetType::AllProvisionedAccounts => {
                for (_, latest) in self.provisioned.accounts_of_mut(&arn) {
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
            .provisioned
            .accounts_of(&input.permission_set_arn, pager.after_key())
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
            .sets_in(&input.account_id)
            .filter(|(_, latest)| wanted.is_none_or(|w| w == *latest))
            .filter_map(|(ps, _)| {
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

/// Where each permission set is provisioned, by permission set (its accounts, in account order)
/// and by account (its permission sets), kept together so that neither listing scans the other
/// sets' or accounts' pairs. Saved as the by-set pairs; the by-account index is rebuilt on load.
#[derive(Debug, Default)]
pub(super) struct Provisioned {
    /// `(permission set ARN, account id)` → whether the latest version is provisioned there.
    by_set: BTreeMap<(String, String), bool>,
    /// `(account id, permission set ARN)` of every pair of `by_set`.
    by_account: BTreeSet<(String, String)>,
}

impl Provisioned {
    /// How many (permission set, account) pairs are provisioned.
    pub(super) fn len(&self) -> usize {
        self.by_set.len()
    }

    pub(super) fn contains(&self, permission_set_arn: &str, account_id: &str) -> bool {
        self.by_set
            .contains_key(&(permission_set_arn.to_owned(), account_id.to_owned()))
    }

    /// Provisions the permission set to the account, `latest` telling whether with its latest
    /// version.
    pub(super) fn insert(&mut self, permission_set_arn: &str, account_id: &str, latest: bool) {
        self.by_set.insert(
            (permission_set_arn.to_owned(), account_id.to_owned()),
            latest,
        );
        self.by_account
            .insert((account_id.to_owned(), permission_set_arn.to_owned()));
    }

    pub(super) fn remove(&mut self, permission_set_arn: &str, account_id: &str) {
        self.by_set
            .remove(&(permission_set_arn.to_owned(), account_id.to_owned()));
        self.by_account
            .remove(&(account_id.to_owned(), permission_set_arn.to_owned()));
    }

    /// The accounts a permission set is provisioned to, in account order, with whether they
    /// run its latest version: from after account `after` if given.
    pub(super) fn accounts_of<'a>(
        &'a self,
        permission_set_arn: &'a str,
        after: Option<&str>,
    ) -> impl Iterator<Item = (&'a str, bool)> + 'a {
        let start = (
            permission_set_arn.to_owned(),
            after.unwrap_or("").to_owned(),
        );
        let start = match after {
            Some(_) => Bound::Excluded(start),
            None => Bound::Included(start),
        };
        self.by_set
            .range((start, Bound::Unbounded))
            .take_while(move |((arn, _), _)| arn == permission_set_arn)
            .map(|((_, account), latest)| (account.as_str(), *latest))
    }

    /// [`accounts_of`](Self::accounts_of), from the start, for changing.
    pub(super) fn accounts_of_mut<'a>(
        &'a mut self,
        permission_set_arn: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a mut bool)> + 'a {
        self.by_set
            .range_mut((permission_set_arn.to_owned(), String::new())..)
            .take_while(move |((arn, _), _)| arn == permission_set_arn)
            .map(|((_, account), latest)| (account.as_str(), latest))
    }

    /// The permission sets provisioned to an account, in ARN order, with whether the account
    /// runs their latest version.
    pub(super) fn sets_in<'a>(
        &'a self,
        account_id: &'a str,
    ) -> impl Iterator<Item = (&'a str, bool)> + 'a {
        self.by_account
            .range((account_id.to_owned(), String::new())..)
            .take_while(move |(account, _)| account == account_id)
            .map(|(account, arn)| {
                let latest = self.by_set[&(arn.clone(), account.clone())];
                (arn.as_str(), latest)
            })
    }
}

impl Serialize for Provisioned {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::persist::pairs::serialize(&self.by_set, serializer)
    }
}

impl<'de> Deserialize<'de> for Provisioned {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let by_set: BTreeMap<(String, String), bool> =
            crate::persist::pairs::deserialize(deserializer)?;
        let by_account = by_set
            .keys()
            .map(|(arn, account)| (account.clone(), arn.clone()))
            .collect();
        Ok(Self { by_set, by_account })
    }
}
