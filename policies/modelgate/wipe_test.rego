package modelgate_test

host_volume := {"name": "models", "path": "spec.template.spec.volumes[0]", "source": "hostPath", "hostPath": "/models"}

empty_volume := {"name": "cache", "path": "spec.template.spec.volumes[0]", "source": "emptyDir"}

test_wipe_001_denies_host_path if {
	obj := deployment(contract_labels, {"modelgate.io/rate-limit": "50rps"}, [good_image], [host_volume])
	r := judge(obj, [], good_facts)
	rules_of(r) == {"MG-WIPE-001"}
	some f in r.findings
	f.path == "spec.template.spec.volumes[0]"
}

test_wipe_001_allows_empty_dir if {
	obj := deployment(contract_labels, {"modelgate.io/rate-limit": "50rps"}, [good_image], [empty_volume])
	judge(obj, [], good_facts).decision == "allow"
}

test_wipe_002_denies_claim_on_retaining_class if {
	r := judge(with_claim("weights"), [pvc("weights", {}, "keep", ""), storage_class("keep", {}, "Retain")], good_facts)
	rules_of(r) == {"MG-WIPE-002"}
	some f in r.findings
	contains(f.message, "StorageClass keep has reclaimPolicy Retain")
}

test_wipe_002_denies_claim_bound_to_host_path_pv if {
	related := [pvc("weights", {}, "", "node-models"), pv("node-models", {}, "Retain", "hostPath")]
	r := judge(with_claim("weights"), related, good_facts)
	some f in r.findings
	f.rule == "MG-WIPE-002"
	contains(f.message, "volume \"weights\" -> claim \"weights\": PV node-models has reclaimPolicy Retain")
}

test_wipe_002_allows_claim_on_deleting_class if {
	r := judge(with_claim("weights"), [pvc("weights", {}, "fast", ""), storage_class("fast", {}, "Delete")], good_facts)
	r.decision == "allow"
}

test_wipe_003_denies_retained_model_pv if {
	r := judge(pv("models", {"modelgate.io/model-data": "true", "modelgate.io/data-custodian": "ml"}, "Retain", "csi"), [], good_facts)
	rules_of(r) == {"MG-WIPE-003"}
}

test_wipe_003_allows_deleting_model_pv if {
	r := judge(pv("models", {"modelgate.io/model-data": "true", "modelgate.io/data-custodian": "ml"}, "Delete", "csi"), [], good_facts)
	r.decision == "allow"
}

test_wipe_003_ignores_pv_without_model_data if {
	judge(pv("logs", {}, "Retain", "csi"), [], good_facts).decision == "allow"
}

test_wipe_003_reads_model_use_across_objects if {
	related := [with_claim("weights"), pvc("weights", {}, "", "models")]
	r := judge(pv("models", {"modelgate.io/data-custodian": "ml"}, "Retain", "csi"), related, good_facts)
	rules_of(r) == {"MG-WIPE-003"}
}

test_wipe_004_denies_retaining_model_class if {
	r := judge(storage_class("keep", {"modelgate.io/model-data": "true"}, "Retain"), [], good_facts)
	rules_of(r) == {"MG-WIPE-004"}
}

test_wipe_004_allows_deleting_model_class if {
	judge(storage_class("fast", {"modelgate.io/model-data": "true"}, "Delete"), [], good_facts).decision == "allow"
}

test_wipe_005_denies_host_path_model_pv if {
	r := judge(pv("models", {"modelgate.io/model-data": "true", "modelgate.io/data-custodian": "ml"}, "Delete", "hostPath"), [], good_facts)
	rules_of(r) == {"MG-WIPE-005"}
}

test_wipe_005_allows_provisioned_model_pv if {
	judge(pv("models", {"modelgate.io/model-data": "true", "modelgate.io/data-custodian": "ml"}, "Delete", "csi"), [], good_facts).decision == "allow"
}

test_wipe_006_denies_deleting_claim_whose_data_is_retained if {
	claim := pvc("weights", {"modelgate.io/model-data": "true"}, "", "models")
	r := judge_op("DELETE", "", claim, null, [pv("models", {}, "Retain", "csi")])
	rules_of(r) == {"MG-WIPE-006"}
}

test_wipe_006_allows_deleting_claim_whose_data_is_deleted if {
	claim := pvc("weights", {"modelgate.io/model-data": "true"}, "", "models")
	judge_op("DELETE", "", claim, null, [pv("models", {}, "Delete", "csi")]).decision == "allow"
}

test_wipe_006_denies_deleting_retained_model_pv if {
	r := judge_op("DELETE", "", pv("models", {"modelgate.io/model-data": "true"}, "Retain", "csi"), null, [])
	rules_of(r) == {"MG-WIPE-006"}
}

test_wipe_007_warns_on_unresolved_claim if {
	r := judge(with_claim("weights"), [], good_facts)
	rules_of(r) == {"MG-WIPE-007"}
	r.decision == "warn"
}

test_wipe_007_silent_when_claim_and_class_in_view if {
	r := judge(with_claim("weights"), [pvc("weights", {}, "fast", ""), storage_class("fast", {}, "Delete")], good_facts)
	not "MG-WIPE-007" in rules_of(r)
}

test_wipe_006_denies_deleting_unbound_claim_on_retaining_class if {
	claim := pvc("weights", {"modelgate.io/model-data": "true"}, "keep", "")
	not claim.storage.volumeName
	r := judge_op("DELETE", "", claim, null, [storage_class("keep", {}, "Retain")])
	rules_of(r) == {"MG-WIPE-006"}
}

stateful(templates, retention) := object.union(
	object.union(good_deployment, {"kind": "StatefulSet", "claimTemplates": templates}),
	{"claimRetention": {"whenDeleted": retention, "whenScaled": "Retain"}},
)

weights_template := {"name": "weights", "path": "spec.volumeClaimTemplates[0]", "storageClassName": "keep"}

test_wipe_002_denies_claim_template_on_retaining_class if {
	r := judge(stateful([weights_template], "Delete"), [storage_class("keep", {}, "Retain")], good_facts)
	rules_of(r) == {"MG-WIPE-002"}
	some f in r.findings
	f.path == "spec.volumeClaimTemplates[0]"
}

test_wipe_002_denies_ephemeral_volume_on_retaining_class if {
	vol := {"name": "scratch", "path": "spec.template.spec.volumes[0]", "source": "ephemeral", "storageClassName": "keep"}
	obj := deployment(contract_labels, {"modelgate.io/rate-limit": "50rps"}, [good_image], [vol])
	r := judge(obj, [storage_class("keep", {}, "Retain")], good_facts)
	rules_of(r) == {"MG-WIPE-002"}
}

test_wipe_002_allows_claim_template_on_deleting_class if {
	r := judge(stateful([weights_template], "Delete"), [storage_class("keep", {}, "Delete")], good_facts)
	r.decision == "allow"
}

test_wipe_008_denies_statefulset_keeping_its_claims if {
	r := judge(stateful([weights_template], "Retain"), [storage_class("keep", {}, "Delete")], good_facts)
	rules_of(r) == {"MG-WIPE-008"}
}

test_wipe_008_allows_statefulset_without_claim_templates if {
	judge(stateful([], "Retain"), [], good_facts).decision == "allow"
}

default_sc(policy) := object.union(storage_class("standard", {}, policy), {"annotations": {"storageclass.kubernetes.io/is-default-class": "true"}})

classless_claim := object.union(object.remove(pvc("weights", {}, "x", ""), ["storage"]), {"storage": {"type": "pvc"}})

test_wipe_002_reads_the_default_class_of_a_claim_naming_none if {
	r := judge(with_claim("weights"), [classless_claim, default_sc("Retain")], good_facts)
	rules_of(r) == {"MG-WIPE-002"}
	some f in r.findings
	contains(f.message, "StorageClass standard has reclaimPolicy Retain")
}

test_wipe_002_allows_a_deleting_default_class if {
	judge(with_claim("weights"), [classless_claim, default_sc("Delete")], good_facts).decision == "allow"
}

test_wipe_007_warns_when_the_class_is_not_in_view if {
	r := judge(with_claim("weights"), [pvc("weights", {}, "fast", "")], good_facts)
	rules_of(r) == {"MG-WIPE-007"}
	some f in r.findings
	contains(f.message, "StorageClass of claim \"weights\" (fast) is not in view")
}

test_wipe_002_reads_the_default_class_of_a_claim_template if {
	tmpl := {"name": "weights", "path": "spec.volumeClaimTemplates[0]"}
	r := judge(stateful([tmpl], "Delete"), [default_sc("Retain")], good_facts)
	rules_of(r) == {"MG-WIPE-002"}
}
