package modelgate_test

test_decom_001_denies_model_store_without_custodian if {
	store := with_cloud(bucket("weights", {"modelgate.io/model-data": "true"}, {}), {"forceDestroy": true})
	r := cloud_judge(store, [])
	rules_of(r) == {"MG-DECOM-001"}
	some f in r.findings
	f.path == "tags"
	contains(f.message, "namespaces.pulumi:dev.dataCustodian")
}

test_decom_001_allows_model_store_with_custodian if {
	store := with_cloud(bucket("weights", model_data, {}), {"forceDestroy": true})
	cloud_judge(store, []).decision == "allow"
}

unmapped(kind, labels) := cloud_object(kind, "thing", "unmapped", labels, {})

test_decom_004_warns_on_uncovered_model_service if {
	r := cloud_judge(unmapped("aws:bedrock/customModel:CustomModel", {}), [])
	rules_of(r) == {"MG-DECOM-004"}
	r.decision == "warn"
	some f in r.findings
	f.path == "type"
}

test_decom_004_warns_on_helm_release if {
	rules_of(cloud_judge(unmapped("kubernetes:helm.sh/v3:Release", {}), [])) == {"MG-DECOM-004"}
}

test_decom_004_warns_on_uncovered_type_marked_as_model_data if {
	r := cloud_judge(unmapped("aws:fsx/lustreFileSystem:LustreFileSystem", {"modelgate.io/model-data": "true"}), [])
	rules_of(r) == {"MG-DECOM-004"}
}

test_decom_004_ignores_access_control_resources if {
	cloud_judge(unmapped("gcp:vertex/aiEndpointIamMember:AiEndpointIamMember", {}), []).decision == "allow"
}

test_decom_004_ignores_unrelated_types if {
	cloud_judge(unmapped("aws:iam/role:Role", {}), []).decision == "allow"
}
