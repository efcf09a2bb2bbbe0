package modelgate_test

unsigned_deployment := deployment(contract_labels, {}, [tagged("quay.io/x/llm:dev", "quay.io/x/llm")], [])

test_delete_of_noncompliant_workload_is_allowed if {
	r := judge_op("DELETE", "", unsigned_deployment, null, [])
	r.decision == "allow"
	count(r.findings) == 0
}

test_connect_is_allowed if {
	judge_op("CONNECT", "", unsigned_deployment, null, []).decision == "allow"
}

test_status_update_is_allowed if {
	judge_op("UPDATE", "status", unsigned_deployment, null, []).decision == "allow"
}

test_update_dropping_model_label_stays_in_scope if {
	dropped := deployment({"app": "llm"}, {"modelgate.io/rate-limit": "50rps"}, [tagged("quay.io/x/llm:patched", "quay.io/x/llm")], [])
	r := judge_op("UPDATE", "", dropped, good_deployment, [])
	r.decision == "deny"
	"MG-DECOM-002" in rules_of(r)
}

test_ephemeral_subresource_judges_only_the_debug_image if {
	debug := {"path": "spec.ephemeralContainers[0].image", "role": "ephemeral", "raw": "busybox:1.36", "ref": "docker.io/library/busybox:1.36", "name": "docker.io/library/busybox", "tag": "1.36"}
	pod := object.union(good_deployment, {"kind": "Pod", "images": [good_image, debug]})
	r := judge_op("UPDATE", "ephemeralcontainers", pod, pod, [])
	r.decision == "deny"
	every f in r.findings {
		f.path == "spec.ephemeralContainers[0].image"
	}
}

test_mode_per_namespace_overrides_rule_mode if {
	obj := deployment(contract_labels, {}, [good_image], [])
	config := object.union(mg_config, {
		"rules": {"MG-RATE": "enforce"},
		"namespaces": {"inference": {"modes": {"MG-RATE-001": "audit"}}},
	})
	r := judge_with(obj, [], good_facts, config)
	r.decision == "allow"
	some f in r.findings
	f.mode == "audit"
}

test_mode_off_drops_the_finding if {
	obj := deployment(contract_labels, {}, [good_image], [])
	config := object.union(mg_config, {"rules": {"MG-RATE": "off"}})
	r := judge_with(obj, [], good_facts, config)
	count(r.findings) == 0
}

test_default_mode_warn_warns if {
	obj := deployment(contract_labels, {}, [good_image], [])
	config := object.union(mg_config, {"defaultMode": "warn"})
	judge_with(obj, [], good_facts, config).decision == "warn"
}

exempted(name) := object.union(unsigned_deployment, {"annotations": {"modelgate.io/exemption": name}})

test_valid_exemption_waives_its_rules_only if {
	r := judge(exempted("legacy"), [], {"images": {}})
	r.decision == "deny"
	every f in r.findings {
		exempted_as_expected(f)
	}
}

exempted_as_expected(f) if {
	startswith(f.rule, "MG-PROV-")
	f.exemption == "legacy"
}

exempted_as_expected(f) if {
	not startswith(f.rule, "MG-PROV-")
	not f.exemption
}

test_valid_exemption_allows_when_it_covers_all if {
	obj := object.union(good_deployment, {"annotations": {"modelgate.io/exemption": "legacy"}})
	r := judge(obj, [], {"images": {}})
	r.decision == "allow"
	some f in r.findings
	f.exemption == "legacy"
}

test_expired_exemption_exempts_nothing_and_says_so if {
	obj := object.union(good_deployment, {"annotations": {"modelgate.io/exemption": "old"}})
	r := judge(obj, [], {"images": {}})
	r.decision == "deny"
	some f in r.findings
	f.rule == "MG-EXEMPT-001"
	contains(f.message, "expired on 2020-01-01")
}

test_unknown_exemption_exempts_nothing_and_says_so if {
	obj := object.union(good_deployment, {"annotations": {"modelgate.io/exemption": "nope"}})
	r := judge(obj, [], {"images": {}})
	r.decision == "deny"
	"MG-EXEMPT-001" in rules_of(r)
}

test_exemption_for_another_namespace_exempts_nothing if {
	obj := object.union(good_deployment, {"annotations": {"modelgate.io/exemption": "elsewhere"}})
	r := judge(obj, [], {"images": {}})
	r.decision == "deny"
	"MG-EXEMPT-001" in rules_of(r)
}

test_exempt_001_allows_valid_exemption if {
	obj := object.union(good_deployment, {"annotations": {"modelgate.io/exemption": "legacy"}})
	not "MG-EXEMPT-001" in rules_of(judge(obj, [], good_facts))
}

test_gpu_request_marks_a_model_workload if {
	t := template({"app": "x"}, {}, [])
	obj := object.union(deployment({"app": "x"}, {}, [], []), {
		"templates": [object.union(t, {"resources": ["nvidia.com/gpu"]})],
		"modelSignals": ["accelerator:nvidia.com/gpu"],
	})
	r := judge(obj, [], good_facts)
	r.judged
	"MG-DECOM-002" in rules_of(r)
}

test_model_server_image_marks_a_model_workload if {
	img := tagged("docker.io/vllm/vllm-openai:latest", "docker.io/vllm/vllm-openai")
	obj := object.union(deployment({"app": "x"}, {}, [img], []), {"modelSignals": ["image:docker.io/vllm/vllm-openai"]})
	r := judge(obj, [], {"images": {}})
	r.judged
	r.decision == "deny"
}

test_every_catalog_rule_has_provisions_and_severity if {
	every id, meta in data.modelgate.catalog {
		regex.match(`^MG-[A-Z]+-[0-9]{3}$`, id)
		count(meta.provisions) > 0
		meta.severity in {"high", "medium", "low"}
	}
}

ns_object(labels) := {
	"apiVersion": "v1", "group": "", "kind": "Namespace", "name": "inference",
	"namespace": "", "labels": labels, "annotations": {}, "templates": [],
	"images": [], "modelUris": [], "serves": true,
}

test_namespace_label_tightens_the_mode if {
	obj := deployment(contract_labels, {}, [good_image], [])
	config := object.union(mg_config, {"defaultMode": "audit"})
	judge_with(obj, [ns_object({"modelgate.io/mode": "enforce"})], good_facts, config).decision == "deny"
}

test_namespace_label_cannot_loosen_the_mode if {
	obj := deployment(contract_labels, {}, [good_image], [])
	judge(obj, [ns_object({"modelgate.io/mode": "off"})], good_facts).decision == "deny"
}

test_namespace_family_label_tightens_one_family if {
	obj := deployment(contract_labels, {}, [good_image], [])
	config := object.union(mg_config, {"defaultMode": "audit"})
	labels := {"modelgate.io/mode": "warn", "mode.modelgate.io/MG-RATE": "enforce"}
	judge_with(obj, [ns_object(labels)], good_facts, config).decision == "deny"
}

test_invalid_namespace_label_mode_is_ignored if {
	obj := deployment(contract_labels, {}, [good_image], [])
	config := object.union(mg_config, {"defaultMode": "warn"})
	judge_with(obj, [ns_object({"modelgate.io/mode": "please-deny"})], good_facts, config).decision == "warn"
}

test_uncatalogued_rule_still_denies if {
	r := data.modelgate.result with input as {
		"operation": "CREATE", "subResource": "", "object": good_deployment, "old": null,
		"related": [good_deployment], "facts": good_facts, "now": 1767225600000,
	}
		with data.config as mg_config
		with data.modelgate.catalog as object.remove(data.modelgate.catalog, ["MG-RATE-001"])
		with data.modelgate.violation as {{"rule": "MG-RATE-001", "path": "p", "message": "m"}}
	r.decision == "deny"
}

test_every_violation_rule_is_in_the_catalog if {
	base := deployment({"app": "x"}, {}, [tagged("docker.io/vllm/vllm-openai:latest", "docker.io/vllm/vllm-openai")], [{"name": "h", "path": "p", "source": "hostPath"}])
	obj := object.union(base, {"modelSignals": ["image:docker.io/vllm/vllm-openai"]})
	rules := {v.rule |
		some v in data.modelgate.violation with input as {
			"operation": "CREATE", "subResource": "", "object": obj,
			"old": null, "related": [], "facts": {"images": {}}, "now": 0,
		}
			with data.config as mg_config
	}
	count(rules) > 3
	every rule in rules {
		rule in object.keys(data.modelgate.catalog)
	}
}

test_model_custom_resource_with_an_image_is_judged if {
	cr := {
		"apiVersion": "apps.example.com/v1", "group": "apps.example.com", "kind": "ModelServer",
		"name": "m", "namespace": "inference", "labels": {"modelgate.io/model": "true"}, "annotations": {},
		"templates": [], "images": [tagged("docker.io/vllm/vllm-openai:latest", "docker.io/vllm/vllm-openai")],
		"modelUris": [], "serves": true,
	}
	r := judge(cr, [], {"images": {}})
	r.decision == "deny"
	"MG-DECOM-002" in rules_of(r)
}

test_duplicate_related_names_do_not_stop_evaluation if {
	ns := ns_object({"modelgate.io/mode": "enforce"})
	r := judge(with_claim("weights"), [ns, ns, pvc("weights", {}, "keep", ""), pvc("weights", {}, "keep", ""), storage_class("keep", {}, "Retain"), storage_class("keep", {}, "Retain")], good_facts)
	rules_of(r) == {"MG-WIPE-002"}
}

test_two_valid_exemptions_pick_one_deterministically if {
	config := object.union(mg_config, {"exemptions": array.concat(mg_config.exemptions, [object.union(mg_config.exemptions[0], {"name": "also"})])})
	base := object.union(unsigned_deployment, {"annotations": {"modelgate.io/exemption": "legacy"}})
	t := object.union(base.templates[0], {"annotations": {"modelgate.io/exemption": "also"}})
	r := judge_with(object.union(base, {"templates": [t]}), [], {"images": {}}, config)
	some f in r.findings
	f.exemption == "also"
}

test_custom_kind_named_scale_is_not_a_scale_request if {
	cr := object.union(good_deployment, {"kind": "Scale", "group": "example.com", "templates": [], "images": [tagged("docker.io/vllm/vllm-openai:latest", "docker.io/vllm/vllm-openai")], "labels": {"modelgate.io/model": "true"}})
	r := judge(cr, [], {"images": {}})
	r.decision == "deny"
}

test_model_signal_alone_marks_a_model_workload if {
	obj := object.union(deployment({"app": "x"}, {}, [good_image], []), {"modelSignals": ["env:VLLM_PORT"]})
	judge(obj, [], good_facts).judged
}

test_no_signal_and_no_label_is_not_a_model_workload if {
	obj := object.union(deployment({"app": "x"}, {}, [good_image], []), {"modelSignals": []})
	not judge(obj, [], good_facts).judged
}
