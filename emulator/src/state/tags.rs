//! Tags on permission sets: `TagResource`, `UntagResource`, `ListTagsForResource`.

use super::*;

impl State {
    pub(crate) fn tag_resource(
        &mut self,
        input: TagResourceInput,
    ) -> Result<TagResourceOutput, TagResourceError> {
        self.check_instance(&input.instance_arn)?;
        let tags = checked_tags(&input.tags)?;
        let resource = self.resource_mut(&input.resource_arn)?;
        let new_keys = tags
            .iter()
            .filter(|(key, _)| !resource.tags.contains_key(key))
            .count();
        if resource.tags.len() + new_keys > MAX_TAGS_PER_RESOURCE {
            return Err(quota(format!(
                "A resource can have at most {MAX_TAGS_PER_RESOURCE} tags"
            )));
        }
        resource.tags.extend(tags);
        Ok(TagResourceOutput::builder().build())
    }

    pub(crate) fn untag_resource(
        &mut self,
        input: UntagResourceInput,
    ) -> Result<UntagResourceOutput, UntagResourceError> {
        self.check_instance(&input.instance_arn)?;
        for key in &input.tag_keys {
            check_tag_key(key)?;
        }
        let resource = self.resource_mut(&input.resource_arn)?;
        for key in &input.tag_keys {
            resource.tags.remove(key);
        }
        Ok(UntagResourceOutput::builder().build())
    }

    pub(crate) fn list_tags_for_resource(
        &self,
        input: ListTagsForResourceInput,
    ) -> Result<ListTagsForResourceOutput, ListTagsForResourceError> {
        self.check_instance(&input.instance_arn)?;
        let resource = self.resource(&input.resource_arn)?;
        let items: Vec<(Cursor, Tag)> = resource
            .tags
            .iter()
            .map(|(key, value)| {
                (
                    Cursor::Key(key.clone()),
                    Tag::builder()
                        .key(key.clone())
                        .set_value(value.clone())
                        .build(),
                )
            })
            .collect();
        let pager = Pager::with_size(
            &self.codec,
            "ListTagsForResource",
            format!("{}\n{}", input.instance_arn, input.resource_arn),
            self.tags_page_size,
            input.next_token.as_deref(),
        )?;
        let (tags, next) = pager.page(items);
        Ok(ListTagsForResourceOutput::builder()
            .set_tags(Some(tags))
            .set_next_token(next)
            .build())
    }
}
