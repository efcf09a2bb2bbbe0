package modelgate_test

with_images(images) := deployment(contract_labels, {"modelgate.io/rate-limit": "50rps"}, images, [])

test_prov_001_denies_unsigned_image if {
	facts := {"images": {signed_ref: object.union(signed_fact, {"signatures": 0, "signers": []})}}
	r := judge(good_deployment, [], facts)
	r.decision == "deny"
	some f in r.findings
	f.rule == "MG-PROV-001"
	contains(f.message, "has no cosign signature")
	f.path == "spec.template.spec.containers[0].image"
}

test_prov_001_denies_untrusted_signer if {
	facts := {"images": {signed_ref: object.union(signed_fact, {"signers": ["other"]})}}
	r := judge(good_deployment, [], facts)
	some f in r.findings
	f.rule == "MG-PROV-001"
	contains(f.message, "by no key that trust authority \"ml\" accepts")
}

test_prov_001_denies_image_no_authority_covers if {
	img := image(sprintf("quay.io/x/llm@%s", [digest]), "quay.io/x/llm", digest, "spec.template.spec.containers[0].image")
	r := judge(with_images([img]), [], {"images": {}})
	some f in r.findings
	f.rule == "MG-PROV-001"
	contains(f.message, "no trust authority covers")
}

test_prov_001_denies_unparseable_image if {
	bad := {"path": "spec.template.spec.containers[0].image", "role": "container", "raw": "UPPER/Case", "error": "not valid"}
	r := judge(with_images([bad]), [], {"images": {}})
	"MG-PROV-001" in rules_of(r)
}

test_prov_001_allows_trusted_identity if {
	ref := sprintf("docker.io/ollama/ollama@%s", [digest])
	img := image(ref, "docker.io/ollama/ollama", digest, "spec.template.spec.containers[0].image")
	fact := {"ref": ref, "digest": digest, "signatures": 1, "signers": [], "identities": [{"issuer": "https://issuer.example", "subject": "ollama-publisher"}]}
	r := judge(with_images([img]), [], {"images": {ref: fact}})
	r.decision == "allow"
}

test_prov_002_denies_tag_and_names_resolved_digest if {
	ref := "registry.example.com/ml/llm:1.0"
	fact := object.union(signed_fact, {"ref": ref})
	r := judge(with_images([tagged(ref, "registry.example.com/ml/llm")]), [], {"images": {ref: fact}})
	rules_of(r) == {"MG-PROV-002"}
	some f in r.findings
	contains(f.message, sprintf("registry.example.com/ml/llm@%s", [digest]))
}

test_prov_002_allows_digest_pin if {
	r := judge(good_deployment, [], good_facts)
	not "MG-PROV-002" in rules_of(r)
}

test_prov_003_denies_registry_error if {
	fact := {"ref": signed_ref, "signatures": 0, "signers": [], "error": {"code": "REGISTRY_TIMEOUT", "message": "verification timed out after 3000 ms"}}
	r := judge(good_deployment, [], {"images": {signed_ref: fact}})
	rules_of(r) == {"MG-PROV-003"}
	r.decision == "deny"
}

test_prov_003_denies_missing_fact if {
	r := judge(good_deployment, [], {"images": {}})
	rules_of(r) == {"MG-PROV-003"}
}

test_prov_003_warns_when_configured_open if {
	fact := {"ref": signed_ref, "signatures": 0, "signers": [], "error": {"code": "REGISTRY_UNREACHABLE", "message": "down"}}
	config := object.union(mg_config, {"rules": {"MG-PROV-003": "warn"}})
	r := judge_with(good_deployment, [], {"images": {signed_ref: fact}}, config)
	r.decision == "warn"
}

test_prov_004_denies_mutable_model_uri if {
	obj := object.union(good_deployment, {"modelUris": [{"path": "spec.predictor.model.storageUri", "uri": "gs://bucket/model", "scheme": "gs"}]})
	r := judge(obj, [], good_facts)
	rules_of(r) == {"MG-PROV-004"}
}

test_prov_004_allows_model_uri_with_digest_annotation if {
	annotations := {"modelgate.io/rate-limit": "50rps", "modelgate.io/model-digest": digest}
	base := deployment(contract_labels, annotations, [good_image], [])
	obj := object.union(base, {"modelUris": [{"path": "spec.predictor.model.storageUri", "uri": "gs://bucket/model", "scheme": "gs"}]})
	r := judge(obj, [], good_facts)
	r.decision == "allow"
}

scale_obj(replicas, old) := {
	"apiVersion": "autoscaling/v1", "group": "autoscaling", "kind": "Scale", "name": "llm",
	"namespace": "inference", "labels": {}, "annotations": {}, "templates": [], "images": [],
	"modelUris": [], "serves": true, "scale": {"replicas": replicas, "oldReplicas": old},
}

test_prov_005_denies_unresolvable_scale_up if {
	r := judge_op("UPDATE", "scale", scale_obj(2, 0), null, [])
	rules_of(r) == {"MG-PROV-005"}
}

test_scale_up_judges_the_scaled_workload if {
	unsigned := object.union(good_deployment, {"images": [tagged("quay.io/x/llm:staged", "quay.io/x/llm")]})
	r := judge_op("UPDATE", "scale", scale_obj(2, 0), null, [unsigned])
	r.decision == "deny"
	"MG-PROV-002" in rules_of(r)
}

test_scale_down_is_allowed if {
	unsigned := object.union(good_deployment, {"images": [tagged("quay.io/x/llm:staged", "quay.io/x/llm")]})
	r := judge_op("UPDATE", "scale", scale_obj(0, 2), null, [unsigned])
	r.decision == "allow"
}

test_wanted_lists_covered_images_of_model_workloads if {
	w := data.modelgate.wanted with input as {"operation": "CREATE", "subResource": "", "object": good_deployment, "related": [], "now": 0}
		with data.config as mg_config
	w == {signed_ref}
}

test_wanted_is_empty_where_provenance_is_off if {
	config := object.union(mg_config, {"rules": {"MG-PROV": "off"}})
	w := data.modelgate.wanted with input as {"operation": "CREATE", "subResource": "", "object": good_deployment, "related": [], "now": 0}
		with data.config as config
	count(w) == 0
}
