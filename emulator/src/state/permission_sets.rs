//! The instance and its permission sets: `ListInstances`, create, describe, list, update and
//! delete permission sets.

use serde::{Deserializer, Serializer};

use super::*;

/// The permission sets by ARN, and their ARNs in creation order (the order of
/// `ListPermissionSets`, whose pages then cost O(log n + page)).
///
/// Saved as the map by ARN alone.
#[derive(Debug, Default)]
pub(super) struct PermissionSets {
    by_arn: HashMap<String, PermissionSetRecord>,
    by_seq: BTreeMap<u64, String>,
}

impl Serialize for PermissionSets {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.by_arn.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PermissionSets {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let by_arn = HashMap::<String, PermissionSetRecord>::deserialize(deserializer)?;
        let by_seq = by_arn
            .values()
            .map(|record| (record.seq, record.arn.clone()))
            .collect();
        Ok(Self { by_arn, by_seq })
    }
}

impl PermissionSets {
    pub(super) fn get(&self, arn: &str) -> Option<&PermissionSetRecord> {
        self.by_arn.get(arn)
    }

    pub(super) fn get_mut(&mut self, arn: &str) -> Option<&mut PermissionSetRecord> {
        self.by_arn.get_mut(arn)
    }

    pub(super) fn contains_key(&self, arn: &str) -> bool {
        self.by_arn.contains_key(arn)
    }

    pub(super) fn len(&self) -> usize {
        self.by_arn.len()
    }

    fn values(&self) -> impl Iterator<Item = &PermissionSetRecord> {
        self.by_arn.values()
    }

    fn insert(&mut self, record: PermissionSetRecord) {
        self.by_seq.insert(record.seq, record.arn.clone());
        if let Some(replaced) = self.by_arn.insert(record.arn.clone(), record) {
            self.by_seq.remove(&replaced.seq);
        }
    }

    fn remove(&mut self, arn: &str) {
        if let Some(record) = self.by_arn.remove(arn) {
            self.by_seq.remove(&record.seq);
        }
    }

    /// `(creation sequence number, ARN)` in creation order, after `after` if given.
    fn arns_after(&self, after: Option<u64>) -> impl Iterator<Item = (u64, &str)> {
        let start = after.map_or(0, |seq| seq.saturating_add(1));
        self.by_seq
            .range(start..)
            .map(|(seq, arn)| (*seq, arn.as_str()))
    }
}

impl State {
    pub(crate) fn list_instances(
        &self,
        input: ListInstancesInput,
    ) -> Result<ListInstancesOutput, ListInstancesError> {
        let pager = Pager::new(
            &self.codec,
            "ListInstances",
            String::new(),
            input.max_results,
            input.next_token.as_deref(),
        )?;
        pager.check_seq_bound(1)?;
        let instance = InstanceMetadata::builder()
            .instance_arn(self.instance_arn.clone())
            .identity_store_id(self.identity_store_id.clone())
            .build();
        let (instances, next) = pager.page(vec![(Cursor::Seq(0), instance)]);
        Ok(ListInstancesOutput::builder()
            .set_instances(Some(instances))
            .set_next_token(next)
            .build())
    }

    pub(crate) fn create_permission_set(
        &mut self,
        input: CreatePermissionSetInput,
    ) -> Result<CreatePermissionSetOutput, CreatePermissionSetError> {
        self.check_instance(&input.instance_arn)?;
        if self
            .permission_sets
            .values()
            .any(|ps| ps.name == input.name)
        {
            return Err(conflict(format!(
                "PermissionSet with name {} already exists.",
                input.name
            )));
        }
        if self.permission_sets.len() >= MAX_PERMISSION_SETS_PER_INSTANCE {
            return Err(quota(format!(
                "The instance already has the maximum of {MAX_PERMISSION_SETS_PER_INSTANCE} permission sets"
            )));
        }
        let session_duration = input
            .session_duration
            .unwrap_or_else(|| DEFAULT_SESSION_DURATION.to_owned());
        check_session_duration(&session_duration)?;
        let tags = checked_tags(input.tags.as_deref().unwrap_or_default())?;
        if tags.len() > MAX_TAGS_PER_RESOURCE {
            return Err(quota(format!(
                "A resource can have at most {MAX_TAGS_PER_RESOURCE} tags"
            )));
        }
        let arn = self.new_permission_set_arn();
        let record = PermissionSetRecord {
            seq: self.seq(),
            arn: arn.clone(),
            name: input.name,
            description: input.description,
            created: self.now(),
            session_duration,
            relay_state: input.relay_state,
            tags: tags.into_iter().collect(),
            managed_policies: Vec::new(),
            inline_policy: None,
        };
        let permission_set = record.to_api();
        self.permission_sets.insert(record);
        Ok(CreatePermissionSetOutput::builder()
            .permission_set(permission_set)
            .build())
    }

    pub(crate) fn describe_permission_set(
        &self,
        input: DescribePermissionSetInput,
    ) -> Result<DescribePermissionSetOutput, DescribePermissionSetError> {
        self.check_instance(&input.instance_arn)?;
        let record = self.permission_set(&input.permission_set_arn)?;
        Ok(DescribePermissionSetOutput::builder()
            .permission_set(record.to_api())
            .build())
    }

    pub(crate) fn list_permission_sets(
        &self,
        input: ListPermissionSetsInput,
    ) -> Result<ListPermissionSetsOutput, ListPermissionSetsError> {
        self.check_instance(&input.instance_arn)?;
        let pager = Pager::new(
            &self.codec,
            "ListPermissionSets",
            input.instance_arn,
            input.max_results,
            input.next_token.as_deref(),
        )?;
        pager.check_seq_bound(self.next_seq)?;
        let items = self
            .permission_sets
            .arns_after(pager.after_seq())
            .map(|(seq, arn)| (Cursor::Seq(seq), arn.to_owned()));
        let (permission_sets, next) = pager.page(items);
        Ok(ListPermissionSetsOutput::builder()
            .set_permission_sets(Some(permission_sets))
            .set_next_token(next)
            .build())
    }

    pub(crate) fn update_permission_set(
        &mut self,
        input: UpdatePermissionSetInput,
    ) -> Result<UpdatePermissionSetOutput, UpdatePermissionSetError> {
        self.check_instance(&input.instance_arn)?;
        if let Some(duration) = &input.session_duration {
            check_session_duration(duration)?;
        }
        let record = self.permission_set_mut(&input.permission_set_arn)?;
        if let Some(description) = input.description {
            record.description = Some(description);
        }
        if let Some(duration) = input.session_duration {
            record.session_duration = duration;
        }
        if let Some(relay_state) = input.relay_state {
            record.relay_state = Some(relay_state);
        }
        self.mark_outdated(&input.permission_set_arn);
        Ok(UpdatePermissionSetOutput::builder().build())
    }

    pub(crate) fn delete_permission_set(
        &mut self,
        input: DeletePermissionSetInput,
    ) -> Result<DeletePermissionSetOutput, DeletePermissionSetError> {
        self.check_instance(&input.instance_arn)?;
        let arn = input.permission_set_arn;
        self.permission_set(&arn)?;
        let assigned = self.assignments.has_permission_set(&arn);
        let provisioned = self.provisioned.accounts_of(&arn, None).next().is_some();
        if assigned || provisioned {
            return Err(conflict(
                "Could not delete because PermissionSet has ApplicationProfile associated with it",
            ));
        }
        self.permission_sets.remove(&arn);
        Ok(DeletePermissionSetOutput::builder().build())
    }
}
