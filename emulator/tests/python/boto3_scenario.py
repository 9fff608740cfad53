"""boto3 against the SSO Admin emulator: a realistic administration scenario that calls all 27
operations, pages every list operation with boto3's paginators, and expects modeled errors as
boto3's modeled exceptions.

Usage:
    python boto3_scenario.py ENDPOINT ACCESS_KEY SECRET_KEY scenario
    python boto3_scenario.py ENDPOINT ACCESS_KEY SECRET_KEY auth-fails ERROR_CODE

`scenario` runs everything against a fresh emulator started with `--list-tags-page-size 2`
(so ListTagsForResource, which has no MaxResults, pages too). `auth-fails` expects the first
call to be refused with HTTP 403 and ERROR_CODE. Prints "boto3 scenario: all checks passed" at
the end; any failed check raises.
"""

import datetime
import json
import sys
import time

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError

ALL_OPERATIONS = {
    "AttachManagedPolicyToPermissionSet", "CreateAccountAssignment", "CreatePermissionSet",
    "DeleteAccountAssignment", "DeleteInlinePolicyFromPermissionSet", "DeletePermissionSet",
    "DescribeAccountAssignmentCreationStatus", "DescribeAccountAssignmentDeletionStatus",
    "DescribePermissionSet", "DescribePermissionSetProvisioningStatus",
    "DetachManagedPolicyFromPermissionSet", "GetInlinePolicyForPermissionSet",
    "ListAccountAssignmentCreationStatus", "ListAccountAssignmentDeletionStatus",
    "ListAccountAssignments", "ListAccountsForProvisionedPermissionSet", "ListInstances",
    "ListManagedPoliciesInPermissionSet", "ListPermissionSetProvisioningStatus",
    "ListPermissionSets", "ListPermissionSetsProvisionedToAccount", "ListTagsForResource",
    "ProvisionPermissionSet", "PutInlinePolicyToPermissionSet", "TagResource", "UntagResource",
    "UpdatePermissionSet",
}
ACCOUNT_A = "111111111111"
ACCOUNT_B = "222222222222"
ACCOUNT_EMPTY = "333333333333"


def principal(n):
    return "%08x-1111-4222-8333-%012x" % (n, n)


def make_client(endpoint, key, secret):
    return boto3.session.Session().client(
        "sso-admin",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def expect_error(exception_class, call, *args, **kwargs):
    """Calls and returns the modeled exception's (code, message, status); fails otherwise."""
    try:
        call(*args, **kwargs)
    except exception_class as error:
        response = error.response
        assert len(response["ResponseMetadata"]["RequestId"]) == 36, response
        return (
            response["Error"]["Code"],
            response["Error"]["Message"],
            response["ResponseMetadata"]["HTTPStatusCode"],
        )
    raise AssertionError("expected %s from %s" % (exception_class.__name__, call))


def paginate(client, operation, result_key, page_size=1, **kwargs):
    """Every item of a listing, via boto3's paginator; checks the pages were small."""
    paginator = client.get_paginator(operation)
    config = {"PageSize": page_size} if page_size else {}
    items, pages = [], 0
    for page in paginator.paginate(PaginationConfig=config, **kwargs):
        pages += 1
        if page_size:
            assert len(page[result_key]) <= page_size, page
        items.extend(page.get(result_key, []))
    return items, pages


def exactly_once(items, key=None):
    keys = [item[key] if key else item for item in items]
    assert len(keys) == len(set(keys)), "an item was returned twice: %r" % keys
    return set(keys)


def wait_for(describe, key, **kwargs):
    """Polls a Describe…Status operation until the request is no longer IN_PROGRESS."""
    for _ in range(50):
        status = describe(**kwargs)[key]
        if status["Status"] != "IN_PROGRESS":
            return status
        time.sleep(0.1)
    raise AssertionError("still IN_PROGRESS: %r" % kwargs)


def scenario(sso):
    called = set()
    sso.meta.events.register(
        "after-call.sso-admin", lambda model, **_: called.add(model.name)
    )
    errors = sso.exceptions

    # -- the instance --
    instances = sso.list_instances()["Instances"]
    assert len(instances) == 1, instances
    instance = instances[0]["InstanceArn"]
    assert instance.startswith("arn:aws:sso:::instance/ssoins-"), instance
    assert instances[0]["IdentityStoreId"], instances
    paged, _ = paginate(sso, "list_instances", "Instances")
    assert [i["InstanceArn"] for i in paged] == [instance], paged

    # -- permission sets --
    created = sso.create_permission_set(
        InstanceArn=instance,
        Name="AdministratorAccess",
        Description="Full access for the platform team",
        SessionDuration="PT4H",
        RelayState="https://console.aws.amazon.com/ec2/",
        Tags=[{"Key": "team", "Value": "platform"}, {"Key": "env", "Value": "dev"}],
    )["PermissionSet"]
    admin = created["PermissionSetArn"]
    assert admin.startswith("arn:aws:sso:::permissionSet/ssoins-"), admin
    assert "/ps-" in admin, admin
    assert created["Name"] == "AdministratorAccess", created
    assert created["SessionDuration"] == "PT4H", created
    assert created["RelayState"] == "https://console.aws.amazon.com/ec2/", created
    assert isinstance(created["CreatedDate"], datetime.datetime), created

    others = {}
    for name in ["ReadOnly", "Billing", "Developer"]:
        ps = sso.create_permission_set(InstanceArn=instance, Name=name)["PermissionSet"]
        assert ps["SessionDuration"] == "PT1H", ps
        others[name] = ps["PermissionSetArn"]

    code, message, status = expect_error(
        errors.ConflictException, sso.create_permission_set,
        InstanceArn=instance, Name="ReadOnly",
    )
    assert (code, status) == ("ConflictException", 409), (code, status)
    assert message == "PermissionSet with name ReadOnly already exists.", message

    code, message, status = expect_error(
        errors.ValidationException, sso.create_permission_set,
        InstanceArn=instance, Name="TooLong", SessionDuration="PT13H",
    )
    assert status == 400 and "SessionDuration" in message, message
    code, message, _ = expect_error(
        errors.ValidationException, sso.create_permission_set,
        InstanceArn=instance, Name="x" * 33,
    )
    assert "name" in message and "32" in message, message

    described = sso.describe_permission_set(InstanceArn=instance, PermissionSetArn=admin)
    assert described["PermissionSet"] == created, (described, created)

    sso.update_permission_set(
        InstanceArn=instance, PermissionSetArn=admin,
        Description="Full access, reviewed", SessionDuration="PT8H",
    )
    described = sso.describe_permission_set(
        InstanceArn=instance, PermissionSetArn=admin
    )["PermissionSet"]
    assert described["Description"] == "Full access, reviewed", described
    assert described["SessionDuration"] == "PT8H", described
    assert described["RelayState"] == "https://console.aws.amazon.com/ec2/", described

    listed, pages = paginate(sso, "list_permission_sets", "PermissionSets", InstanceArn=instance)
    assert listed == [admin] + list(others.values()), listed
    assert pages >= 4, pages
    assert exactly_once(listed) == {admin, *others.values()}
    listed, _ = paginate(
        sso, "list_permission_sets", "PermissionSets", page_size=3, InstanceArn=instance
    )
    assert listed == [admin] + list(others.values()), listed

    missing = admin[: -len("0000000000000000")] + "0000000000000000"
    code, message, status = expect_error(
        errors.ResourceNotFoundException, sso.describe_permission_set,
        InstanceArn=instance, PermissionSetArn=missing,
    )
    assert (code, status) == ("ResourceNotFoundException", 404), (code, status)
    assert missing in message, message
    code, message, _ = expect_error(
        errors.ResourceNotFoundException, sso.list_permission_sets,
        InstanceArn="arn:aws:sso:::instance/ssoins-0000000000000000",
    )
    assert "ssoins-0000000000000000" in message, message

    # -- tags --
    sso.tag_resource(
        InstanceArn=instance, ResourceArn=admin,
        Tags=[{"Key": "owner", "Value": "alice"}, {"Key": "cost-center", "Value": "42"},
              {"Key": "team", "Value": "security"}],
    )
    sso.untag_resource(InstanceArn=instance, ResourceArn=admin, TagKeys=["env", "absent"])
    tags, pages = paginate(
        sso, "list_tags_for_resource", "Tags", page_size=None,
        InstanceArn=instance, ResourceArn=admin,
    )
    assert tags == [{"Key": "cost-center", "Value": "42"}, {"Key": "owner", "Value": "alice"},
                    {"Key": "team", "Value": "security"}], tags
    assert pages == 2, "the emulator pages tags by 2 here: %d pages" % pages
    exactly_once(tags, "Key")
    direct = sso.list_tags_for_resource(InstanceArn=instance, ResourceArn=admin)
    assert direct["Tags"] == tags[:2] and direct["NextToken"], direct

    _, message, _ = expect_error(
        errors.ValidationException, sso.tag_resource,
        InstanceArn=instance, ResourceArn=admin, Tags=[{"Key": "aws:reserved", "Value": "x"}],
    )
    assert "aws:" in message, message
    many = [{"Key": "k%02d" % n, "Value": "v"} for n in range(48)]
    code, message, status = expect_error(
        errors.ServiceQuotaExceededException, sso.tag_resource,
        InstanceArn=instance, ResourceArn=admin, Tags=many,
    )
    assert code == "ServiceQuotaExceededException" and status == 402, (code, status)
    assert "50" in message, message

    # -- managed policies --
    policies = ["arn:aws:iam::aws:policy/AdministratorAccess",
                "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
                "arn:aws:iam::123456789012:policy/CustomAudit"]
    for arn in policies:
        sso.attach_managed_policy_to_permission_set(
            InstanceArn=instance, PermissionSetArn=admin, ManagedPolicyArn=arn
        )
    attached, _ = paginate(
        sso, "list_managed_policies_in_permission_set", "AttachedManagedPolicies",
        InstanceArn=instance, PermissionSetArn=admin,
    )
    assert [p["Arn"] for p in attached] == policies, attached
    assert [p["Name"] for p in attached] == ["AdministratorAccess", "ViewOnlyAccess",
                                             "CustomAudit"], attached
    exactly_once(attached, "Arn")
    expect_error(
        errors.ConflictException, sso.attach_managed_policy_to_permission_set,
        InstanceArn=instance, PermissionSetArn=admin, ManagedPolicyArn=policies[0],
    )
    sso.detach_managed_policy_from_permission_set(
        InstanceArn=instance, PermissionSetArn=admin, ManagedPolicyArn=policies[1]
    )
    attached = sso.list_managed_policies_in_permission_set(
        InstanceArn=instance, PermissionSetArn=admin
    )["AttachedManagedPolicies"]
    assert [p["Arn"] for p in attached] == [policies[0], policies[2]], attached
    _, message, _ = expect_error(
        errors.ResourceNotFoundException, sso.detach_managed_policy_from_permission_set,
        InstanceArn=instance, PermissionSetArn=admin, ManagedPolicyArn=policies[1],
    )
    assert "ViewOnlyAccess" in message, message
    expect_error(
        errors.ValidationException, sso.attach_managed_policy_to_permission_set,
        InstanceArn=instance, PermissionSetArn=admin,
        ManagedPolicyArn="arn:aws:s3:::not-a-policy-at-all",
    )
    billing = others["Billing"]
    for n in range(10):
        sso.attach_managed_policy_to_permission_set(
            InstanceArn=instance, PermissionSetArn=billing,
            ManagedPolicyArn="arn:aws:iam::123456789012:policy/Billing%d" % n,
        )
    _, message, _ = expect_error(
        errors.ServiceQuotaExceededException, sso.attach_managed_policy_to_permission_set,
        InstanceArn=instance, PermissionSetArn=billing,
        ManagedPolicyArn="arn:aws:iam::123456789012:policy/Billing10",
    )
    assert "10" in message, message

    # -- inline policy --
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}]}
    got = sso.get_inline_policy_for_permission_set(InstanceArn=instance, PermissionSetArn=admin)
    assert not got.get("InlinePolicy"), got
    sso.put_inline_policy_to_permission_set(
        InstanceArn=instance, PermissionSetArn=admin, InlinePolicy=json.dumps(policy)
    )
    got = sso.get_inline_policy_for_permission_set(InstanceArn=instance, PermissionSetArn=admin)
    assert json.loads(got["InlinePolicy"]) == policy, got
    expect_error(
        errors.ValidationException, sso.put_inline_policy_to_permission_set,
        InstanceArn=instance, PermissionSetArn=admin, InlinePolicy="not json",
    )
    sso.delete_inline_policy_from_permission_set(InstanceArn=instance, PermissionSetArn=admin)
    got = sso.get_inline_policy_for_permission_set(InstanceArn=instance, PermissionSetArn=admin)
    assert not got.get("InlinePolicy"), got

    # -- account assignments --
    assignments = [
        (admin, ACCOUNT_A, "USER", principal(1)),
        (admin, ACCOUNT_A, "GROUP", principal(2)),
        (admin, ACCOUNT_A, "USER", principal(3)),
        (admin, ACCOUNT_B, "USER", principal(1)),
        (others["ReadOnly"], ACCOUNT_A, "GROUP", principal(2)),
    ]
    creation_ids = []
    for ps, account, kind, who in assignments:
        status = sso.create_account_assignment(
            InstanceArn=instance, TargetId=account, TargetType="AWS_ACCOUNT",
            PermissionSetArn=ps, PrincipalType=kind, PrincipalId=who,
        )["AccountAssignmentCreationStatus"]
        assert status["Status"] == "IN_PROGRESS", status
        assert len(status["RequestId"]) == 36, status
        final = wait_for(
            sso.describe_account_assignment_creation_status, "AccountAssignmentCreationStatus",
            InstanceArn=instance, AccountAssignmentCreationRequestId=status["RequestId"],
        )
        assert final["Status"] == "SUCCEEDED", final
        assert final["PermissionSetArn"] == ps and final["TargetId"] == account, final
        assert final["PrincipalId"] == who and final["PrincipalType"] == kind, final
        creation_ids.append(status["RequestId"])
    expect_error(
        errors.ResourceNotFoundException, sso.describe_account_assignment_creation_status,
        InstanceArn=instance,
        AccountAssignmentCreationRequestId="00000000-0000-4000-8000-000000000000",
    )
    expect_error(
        errors.ResourceNotFoundException, sso.create_account_assignment,
        InstanceArn=instance, TargetId=ACCOUNT_A, TargetType="AWS_ACCOUNT",
        PermissionSetArn=missing, PrincipalType="USER", PrincipalId=principal(9),
    )

    listed, _ = paginate(
        sso, "list_account_assignments", "AccountAssignments",
        InstanceArn=instance, AccountId=ACCOUNT_A, PermissionSetArn=admin,
    )
    assert exactly_once(listed, "PrincipalId") == {principal(1), principal(2), principal(3)}
    assert all(a["AccountId"] == ACCOUNT_A and a["PermissionSetArn"] == admin for a in listed)
    assert {(a["PrincipalType"], a["PrincipalId"]) for a in listed} == {
        ("USER", principal(1)), ("GROUP", principal(2)), ("USER", principal(3))}

    accounts, _ = paginate(
        sso, "list_accounts_for_provisioned_permission_set", "AccountIds",
        InstanceArn=instance, PermissionSetArn=admin,
    )
    assert sorted(accounts) == [ACCOUNT_A, ACCOUNT_B] and exactly_once(accounts), accounts

    provisioned, _ = paginate(
        sso, "list_permission_sets_provisioned_to_account", "PermissionSets",
        InstanceArn=instance, AccountId=ACCOUNT_A,
    )
    assert sorted(provisioned) == sorted([admin, others["ReadOnly"]]), provisioned
    exactly_once(provisioned)
    empty, _ = paginate(
        sso, "list_permission_sets_provisioned_to_account", "PermissionSets",
        InstanceArn=instance, AccountId=ACCOUNT_EMPTY,
    )
    assert empty == [], empty

    # -- provisioning after a change --
    sso.update_permission_set(
        InstanceArn=instance, PermissionSetArn=admin, Description="Changed again"
    )
    stale, _ = paginate(
        sso, "list_accounts_for_provisioned_permission_set", "AccountIds",
        InstanceArn=instance, PermissionSetArn=admin,
        ProvisioningStatus="LATEST_PERMISSION_SET_NOT_PROVISIONED",
    )
    assert sorted(stale) == [ACCOUNT_A, ACCOUNT_B], stale
    provisioning_ids = []
    for target in [{"TargetType": "AWS_ACCOUNT", "TargetId": ACCOUNT_A},
                   {"TargetType": "ALL_PROVISIONED_ACCOUNTS"}]:
        status = sso.provision_permission_set(
            InstanceArn=instance, PermissionSetArn=admin, **target
        )["PermissionSetProvisioningStatus"]
        assert status["Status"] == "IN_PROGRESS", status
        final = wait_for(
            sso.describe_permission_set_provisioning_status, "PermissionSetProvisioningStatus",
            InstanceArn=instance, ProvisionPermissionSetRequestId=status["RequestId"],
        )
        assert final["Status"] == "SUCCEEDED", final
        assert final["PermissionSetArn"] == admin, final
        provisioning_ids.append(status["RequestId"])
    stale = sso.list_accounts_for_provisioned_permission_set(
        InstanceArn=instance, PermissionSetArn=admin,
        ProvisioningStatus="LATEST_PERMISSION_SET_NOT_PROVISIONED",
    )["AccountIds"]
    assert stale == [], stale
    latest = sso.list_permission_sets_provisioned_to_account(
        InstanceArn=instance, AccountId=ACCOUNT_B,
        ProvisioningStatus="LATEST_PERMISSION_SET_PROVISIONED",
    )["PermissionSets"]
    assert latest == [admin], latest
    _, message, _ = expect_error(
        errors.ValidationException, sso.provision_permission_set,
        InstanceArn=instance, PermissionSetArn=admin, TargetType="AWS_ACCOUNT",
    )
    assert "TargetId" in message, message

    statuses, _ = paginate(
        sso, "list_permission_set_provisioning_status", "PermissionSetsProvisioningStatus",
        InstanceArn=instance,
    )
    assert [s["RequestId"] for s in statuses] == provisioning_ids, statuses
    assert all(s["Status"] == "SUCCEEDED" for s in statuses), statuses
    failed_only = sso.list_permission_set_provisioning_status(
        InstanceArn=instance, Filter={"Status": "FAILED"}
    )["PermissionSetsProvisioningStatus"]
    assert failed_only == [], failed_only

    statuses, _ = paginate(
        sso, "list_account_assignment_creation_status", "AccountAssignmentsCreationStatus",
        InstanceArn=instance,
    )
    assert [s["RequestId"] for s in statuses] == creation_ids, statuses
    exactly_once(statuses, "RequestId")

    # -- deleting --
    _, message, _ = expect_error(
        errors.ConflictException, sso.delete_permission_set,
        InstanceArn=instance, PermissionSetArn=admin,
    )
    assert message, message
    deletion_ids = []
    for ps, account, kind, who in assignments[:4]:
        status = sso.delete_account_assignment(
            InstanceArn=instance, TargetId=account, TargetType="AWS_ACCOUNT",
            PermissionSetArn=ps, PrincipalType=kind, PrincipalId=who,
        )["AccountAssignmentDeletionStatus"]
        assert status["Status"] == "IN_PROGRESS", status
        final = wait_for(
            sso.describe_account_assignment_deletion_status, "AccountAssignmentDeletionStatus",
            InstanceArn=instance, AccountAssignmentDeletionRequestId=status["RequestId"],
        )
        assert final["Status"] == "SUCCEEDED", final
        deletion_ids.append(status["RequestId"])
    gone = sso.delete_account_assignment(
        InstanceArn=instance, TargetId=ACCOUNT_B, TargetType="AWS_ACCOUNT",
        PermissionSetArn=admin, PrincipalType="GROUP", PrincipalId=principal(7),
    )["AccountAssignmentDeletionStatus"]
    final = wait_for(
        sso.describe_account_assignment_deletion_status, "AccountAssignmentDeletionStatus",
        InstanceArn=instance, AccountAssignmentDeletionRequestId=gone["RequestId"],
    )
    assert final["Status"] == "FAILED" and final["FailureReason"], final
    deletion_ids.append(gone["RequestId"])

    statuses, _ = paginate(
        sso, "list_account_assignment_deletion_status", "AccountAssignmentsDeletionStatus",
        InstanceArn=instance,
    )
    assert [s["RequestId"] for s in statuses] == deletion_ids, statuses
    failed = sso.list_account_assignment_deletion_status(
        InstanceArn=instance, Filter={"Status": "FAILED"}
    )["AccountAssignmentsDeletionStatus"]
    assert [s["RequestId"] for s in failed] == [gone["RequestId"]], failed

    listed = sso.list_account_assignments(
        InstanceArn=instance, AccountId=ACCOUNT_A, PermissionSetArn=admin
    )["AccountAssignments"]
    assert listed == [], listed
    accounts = sso.list_accounts_for_provisioned_permission_set(
        InstanceArn=instance, PermissionSetArn=admin
    )["AccountIds"]
    assert accounts == [], accounts

    sso.delete_permission_set(InstanceArn=instance, PermissionSetArn=admin)
    expect_error(
        errors.ResourceNotFoundException, sso.describe_permission_set,
        InstanceArn=instance, PermissionSetArn=admin,
    )
    expect_error(
        errors.ResourceNotFoundException, sso.delete_permission_set,
        InstanceArn=instance, PermissionSetArn=admin,
    )
    listed, _ = paginate(sso, "list_permission_sets", "PermissionSets", InstanceArn=instance)
    assert listed == list(others.values()), listed

    # -- tokens --
    first = sso.list_permission_sets(InstanceArn=instance, MaxResults=1)
    token = first["NextToken"]
    code, message, status = expect_error(
        errors.ValidationException, sso.list_permission_sets,
        InstanceArn=instance, NextToken="Zm9yZ2VkLXRva2VuLXdpdGgtZW5vdWdoLWJ5dGVz",
    )
    assert (code, status) == ("ValidationException", 400), (code, status)
    assert message == "The NextToken is invalid or has expired", message
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    expect_error(
        errors.ValidationException, sso.list_permission_sets,
        InstanceArn=instance, NextToken=tampered,
    )
    _, message, _ = expect_error(
        errors.ValidationException, sso.list_account_assignments,
        InstanceArn=instance, AccountId=ACCOUNT_A, PermissionSetArn=others["ReadOnly"],
        NextToken=token,
    )
    assert message == "The NextToken is invalid or has expired", message
    rest = sso.list_permission_sets(InstanceArn=instance, NextToken=token)["PermissionSets"]
    assert [first["PermissionSets"][0]] + rest == list(others.values()), rest

    missing_ops = ALL_OPERATIONS - called
    assert not missing_ops, "operations never called: %s" % sorted(missing_ops)
    assert called <= ALL_OPERATIONS, called - ALL_OPERATIONS


def auth_fails(sso, expected_code):
    try:
        sso.list_instances()
    except ClientError as error:
        response = error.response
        assert response["Error"]["Code"] == expected_code, response
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 403, response
        assert response["Error"]["Message"], response
        return
    raise AssertionError("the request was accepted")


def main():
    endpoint, key, secret, mode = sys.argv[1:5]
    print("boto3 %s, botocore %s" % (boto3.__version__, botocore.__version__))
    sso = make_client(endpoint, key, secret)
    if mode == "scenario":
        scenario(sso)
    elif mode == "auth-fails":
        auth_fails(sso, sys.argv[5])
    else:
        raise SystemExit("unknown mode %r" % mode)
    print("boto3 scenario: all checks passed")


if __name__ == "__main__":
    main()
