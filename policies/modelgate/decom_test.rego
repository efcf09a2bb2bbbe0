package modelgate_test

without(labels, key) := object.remove(labels, [key])

test_decom_001_denies_missing_custodian if {
	obj := deployment(without(contract_labels, "modelgate.io/data-custodian"), {"modelgate.io/rate-limit": "50rps"}, [good_image], [])
	r := judge(obj, [], good_facts)
	rules_of(r) == {"MG-DECOM-001"}
}

test_decom_001_allows_namespace_custodian_from_config if {
	obj := deployment(without(contract_labels, "modelgate.io/data-custodian"), {"modelgate.io/rate-limit": "50rps"}, [good_image], [])
	config := object.union(mg_config, {"namespaces": {"inference": {"modes": {}, "dataCustodian": "ml-platform"}}})
	judge_with(obj, [], good_facts, config).decision == "allow"
}

test_decom_001_denies_model_data_claim_without_custodian if {
	claim := pvc("weights", {"modelgate.io/model-data": "true"}, "fast", "")
	r := judge(claim, [], good_facts)
	rules_of(r) == {"MG-DECOM-001"}
}

test_decom_001_allows_model_data_claim_with_custodian if {
	claim := pvc("weights", {"modelgate.io/model-data": "true", "modelgate.io/data-custodian": "ml"}, "fast", "")
	judge(claim, [], good_facts).decision == "allow"
}

test_decom_002_denies_missing_procedure if {
	obj := deployment(without(contract_labels, "modelgate.io/decommission"), {"modelgate.io/rate-limit": "50rps"}, [good_image], [])
	r := judge(obj, [], good_facts)
	rules_of(r) == {"MG-DECOM-002"}
}

test_decom_002_denies_unknown_procedure if {
	labels := object.union(contract_labels, {"modelgate.io/decommission": "shred-later"})
	r := judge(deployment(labels, {"modelgate.io/rate-limit": "50rps"}, [good_image], []), [], good_facts)
	rules_of(r) == {"MG-DECOM-002"}
	some f in r.findings
	contains(f.message, "wipe, secure-wipe, crypto-erase")
}

test_decom_002_allows_each_procedure if {
	every p in ["wipe", "secure-wipe", "crypto-erase"] {
		labels := object.union(contract_labels, {"modelgate.io/decommission": p})
		judge(deployment(labels, {"modelgate.io/rate-limit": "50rps"}, [good_image], []), [], good_facts).decision == "allow"
	}
}

test_decom_labels_on_object_metadata_count if {
	base := deployment({"app": "llm"}, {"modelgate.io/rate-limit": "50rps"}, [good_image], [])
	obj := object.union(base, {"labels": contract_labels})
	judge(obj, [], good_facts).decision == "allow"
}
