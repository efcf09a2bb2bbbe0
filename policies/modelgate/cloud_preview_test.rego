package modelgate_test

labels_path := "spec.template.metadata.labels"

at_preview(o, unknown, secret) := object.union(o, {"unknown": unknown, "secret": secret})

deferred_rules(r) := {f.rule | some f in r.findings; f.deferred}

test_unknown_labels_make_a_possible_model_workload if {
	obj := at_preview(deployment({}, {"modelgate.io/rate-limit": "50rps"}, [good_image], []), [labels_path], [])
	r := judge(obj, [], good_facts)
	deferred_rules(r) == {"MG-DECOM-003", "MG-DECOM-001", "MG-DECOM-002"}
	every f in r.findings {
		object.get(f, "conditional", false) == object.get(f, "deferred", false)
	}
	some f in r.findings
	f.rule == "MG-DECOM-003"
	f.path == labels_path
	contains(f.message, "is not known until apply, so whether llm is a model workload cannot be judged at preview")
	contains(f.message, "pulumi up and at admission")
}

test_unknown_labels_defer_only_rules_whose_evidence_is_missing if {
	config := object.union(mg_config, {"namespaces": {"inference": {"dataCustodian": "ml-platform", "modes": {}}}})
	obj := at_preview(deployment({}, {"modelgate.io/rate-limit": "50rps"}, [good_image], []), [labels_path], [])
	r := judge_with(obj, [], good_facts, config)
	deferred_rules(r) == {"MG-DECOM-003", "MG-DECOM-002"}
}

test_possible_model_is_judged_as_one if {
	unsigned := tagged("quay.io/x/llm:dev", "quay.io/x/llm")
	obj := at_preview(deployment({}, {"modelgate.io/rate-limit": "50rps"}, [unsigned], []), [labels_path], [])
	r := judge(obj, [], {"images": {}})
	"MG-PROV-002" in rules_of(r)
	some f in r.findings
	f.rule == "MG-PROV-002"
	not f.deferred
}

test_known_model_with_unknown_annotations_defers_the_rate_limit if {
	obj := at_preview(deployment(contract_labels, {}, [good_image], []), ["spec.template.metadata.annotations"], [])
	r := judge(obj, [], good_facts)
	deferred_rules(r) == {"MG-RATE-001"}
	every f in r.findings {
		not f.conditional
	}
}

test_unknown_image_of_a_model_defers_provenance if {
	path := "spec.template.spec.containers[0].image"
	obj := at_preview(deployment(contract_labels, {"modelgate.io/rate-limit": "50rps"}, [], []), [path], [])
	r := judge(obj, [], good_facts)
	deferred_rules(r) == {"MG-PROV-003"}
	some f in r.findings
	f.path == path
	contains(f.message, "the image's digest and signature cannot be judged at preview")
}

test_unknown_image_of_a_workload_without_model_markers_is_not_deferred if {
	path := "spec.template.spec.containers[0].image"
	obj := at_preview(deployment({"app": "web"}, {}, [], []), [path], [])
	r := judge(obj, [], good_facts)
	r.decision == "allow"
}

test_unknown_claim_of_a_model_volume_is_deferred if {
	path := "spec.template.spec.volumes[0].persistentVolumeClaim.claimName"
	vol := {"name": "weights", "path": "spec.template.spec.volumes[0]", "source": "persistentVolumeClaim"}
	obj := at_preview(deployment(contract_labels, {"modelgate.io/rate-limit": "50rps"}, [good_image], [vol]), [path], [])
	deferred_rules(judge(obj, [], good_facts)) == {"MG-WIPE-007"}
}

test_unknown_model_uri_is_deferred if {
	obj := at_preview(sagemaker_model(model_tags, [], [], []), ["primaryContainer.modelDataUrl"], [])
	r := cloud_judge(obj, [])
	deferred_rules(r) == {"MG-PROV-004"}
	some f in r.findings
	endswith(f.message, "modelgate judges it again at pulumi up")
}

test_secret_labels_are_named_as_secrets if {
	path := "spec.template.metadata.labels[\"modelgate.io/decommission\"]"
	labels := object.remove(contract_labels, ["modelgate.io/decommission"])
	obj := at_preview(deployment(labels, {"modelgate.io/rate-limit": "50rps"}, [good_image], []), [path], [path])
	r := judge(obj, [], good_facts)
	deferred_rules(r) == {"MG-DECOM-002"}
	some f in r.findings
	contains(f.message, "is a secret, which modelgate does not read")
}

test_whole_unknown_spec_of_a_deployment_is_deferred if {
	obj := at_preview(object.union(deployment({}, {}, [], []), {"templates": []}), ["spec"], [])
	r := judge(obj, [], good_facts)
	"MG-DECOM-003" in deferred_rules(r)
}

test_unknown_labels_of_a_config_map_defer_nothing if {
	cm := {
		"apiVersion": "v1", "group": "", "kind": "ConfigMap", "name": "c", "namespace": "inference",
		"labels": {}, "annotations": {}, "templates": [], "images": [], "modelUris": [], "serves": true,
		"unknown": ["metadata.labels"],
	}
	r := judge(cm, [], good_facts)
	count(r.findings) == 0
}

test_objects_without_preview_fields_are_unchanged if {
	r := judge(good_deployment, [], good_facts)
	r.decision == "allow"
	count(r.findings) == 0
}

test_unknown_value_of_another_key_defers_nothing if {
	labels := object.remove(contract_labels, ["modelgate.io/decommission"])
	path := "metadata.annotations.token"
	obj := at_preview(deployment(labels, {"modelgate.io/rate-limit": "50rps"}, [good_image], []), [path], [path])
	r := judge(obj, [], good_facts)
	deferred_rules(r) == set()
	rules_of(r) == {"MG-DECOM-002"}
}

test_unknown_model_uri_with_a_recorded_digest_is_not_deferred if {
	tags := object.union(model_tags, {"modelgate.io/model-digest": digest})
	obj := at_preview(sagemaker_model(tags, [], [], []), ["primaryContainer.modelDataUrl"], [])
	cloud_judge(obj, []).decision == "allow"
}
