package modelgate_test

test_cloud_model_signed_and_tagged_is_allowed if {
	r := cloud_judge(good_model, [])
	r.decision == "allow"
	r.judged
}

test_cloud_model_with_unsigned_image_is_denied if {
	img := sm_image("quay.io/x/llm@sha256:1111111111111111111111111111111111111111111111111111111111111111", "quay.io/x/llm", "sha256:1111111111111111111111111111111111111111111111111111111111111111")
	r := cloud_judge(sagemaker_model(model_tags, [img], [], []), [])
	rules_of(r) == {"MG-PROV-001"}
	some f in r.findings
	f.path == "primaryContainer.image"
}

test_cloud_model_is_a_model_by_kind_without_tags if {
	r := cloud_judge(sagemaker_model({}, [sm_image(signed_ref, "registry.example.com/ml/llm", digest)], [], []), [])
	rules_of(r) == {"MG-DECOM-001", "MG-DECOM-002"}
	r.decision == "deny"
}

test_cloud_model_artifact_needs_a_digest_tag if {
	uri := {"path": "primaryContainer.modelDataUrl", "uri": "s3://weights/llm.tar.gz", "scheme": "s3"}
	r := cloud_judge(sagemaker_model(model_tags, [], [uri], []), [])
	rules_of(r) == {"MG-PROV-004"}
}

test_cloud_model_artifact_with_digest_tag_is_allowed if {
	uri := {"path": "primaryContainer.modelDataUrl", "uri": "s3://weights/llm.tar.gz", "scheme": "s3"}
	tags := object.union(model_tags, {"modelgate.io/model-digest": digest})
	cloud_judge(sagemaker_model(tags, [], [uri], []), []).decision == "allow"
}

test_cloud_endpoint_needs_a_rate_limit_tag if {
	r := cloud_judge(sagemaker_endpoint(model_tags), [])
	rules_of(r) == {"MG-RATE-001"}
}

test_cloud_endpoint_with_rate_limit_tag_is_allowed if {
	tags := object.union(model_tags, {"modelgate.io/rate-limit": "100rps"})
	cloud_judge(sagemaker_endpoint(tags), []).decision == "allow"
}

test_cloud_stack_namespace_supplies_the_custodian if {
	config := object.union(mg_config, {"namespaces": {stack_ns: {"dataCustodian": "ml-platform", "modes": {}}}})
	obj := sagemaker_model({"modelgate.io/decommission": "wipe"}, [sm_image(signed_ref, "registry.example.com/ml/llm", digest)], [], [])
	judge_with(obj, [], good_facts, config).decision == "allow"
}

test_bucket_used_by_a_model_is_model_data if {
	store := bucket("weights", {}, {})
	model := sagemaker_model(model_tags, [], [], [store.urn])
	r := cloud_judge(store, [model])
	rules_of(r) == {"MG-DECOM-001", "MG-WIPE-003"}
	r.judged
}

test_bucket_named_by_a_model_uri_is_model_data if {
	uri := {"path": "primaryContainer.modelDataUrl", "uri": "s3://weights/llm.tar.gz", "scheme": "s3"}
	model := sagemaker_model(model_tags, [], [uri], [])
	r := cloud_judge(bucket("weights", custodian_tags, {}), [model])
	rules_of(r) == {"MG-WIPE-003"}
}

test_bucket_named_like_another_store_is_not_model_data if {
	uri := {"path": "primaryContainer.modelDataUrl", "uri": "s3://weights-archive/llm.tar.gz", "scheme": "s3"}
	model := sagemaker_model(model_tags, [], [uri], [])
	r := cloud_judge(bucket("weights", {}, {}), [model])
	r.decision == "allow"
	not r.judged
}

test_bucket_without_model_data_is_not_judged if {
	r := cloud_judge(bucket("logs", {}, {}), [])
	r.decision == "allow"
	not r.judged
}
