# Shared fixtures for the policy tests: a config, a compliant model
# Deployment in normalized form, and helpers to judge variants of it.
package modelgate_test

digest := "sha256:6e381d6979403d753c300ec0598ac7711c27abd1af1e737d5c255db4ae4b263b"

signed_ref := sprintf("registry.example.com/ml/llm@%s", [digest])

mg_config := {
	"defaultMode": "enforce",
	"rules": {},
	"namespaces": {"inference": {"modes": {}}},
	"modelDetection": {
		"images": ["**/*vllm*"],
		"accelerators": ["nvidia.com/*"],
		"kinds": ["InferenceService"],
	},
	"trust": {
		"keys": ["release", "other"],
		"authorities": [
			{"name": "ml", "images": ["registry.example.com/ml/**"], "keys": ["release"], "identities": []},
			{"name": "ollama", "images": ["docker.io/ollama/**"], "keys": [], "identities": [{"issuer": "https://issuer.example", "subject": "ollama-publisher"}]},
		],
	},
	"decommissionProcedures": ["wipe", "secure-wipe", "crypto-erase"],
	"exemptions": [
		{"name": "legacy", "justification": "migration in progress", "approver": "ciso", "expires": "2030-01-01", "expiresAt": 1893456000000, "rules": ["MG-PROV"], "namespaces": []},
		{"name": "old", "justification": "migration in progress", "approver": "ciso", "expires": "2020-01-01", "expiresAt": 1577836800000, "rules": [], "namespaces": []},
		{"name": "elsewhere", "justification": "migration in progress", "approver": "ciso", "expires": "2030-01-01", "expiresAt": 1893456000000, "rules": [], "namespaces": ["other"]},
	],
}

image(ref, name, d, path) := {
	"path": path, "role": "container", "raw": ref, "ref": ref, "name": name, "digest": d,
}

tagged(ref, name) := {
	"path": "spec.template.spec.containers[0].image", "role": "container",
	"raw": ref, "ref": ref, "name": name,
}

good_image := image(signed_ref, "registry.example.com/ml/llm", digest, "spec.template.spec.containers[0].image")

contract_labels := {
	"app": "llm",
	"modelgate.io/model": "true",
	"modelgate.io/decommission": "wipe",
	"modelgate.io/data-custodian": "ml-platform",
}

template(labels, annotations, volumes) := {
	"specPath": "spec.template.spec",
	"labels": labels,
	"annotations": annotations,
	"volumes": volumes,
	"resources": [],
}

deployment(labels, annotations, images, volumes) := {
	"apiVersion": "apps/v1", "group": "apps", "kind": "Deployment",
	"name": "llm", "namespace": "inference", "labels": {}, "annotations": {},
	"templates": [template(labels, annotations, volumes)],
	"images": images, "modelUris": [], "serves": true,
}

good_deployment := deployment(contract_labels, {"modelgate.io/rate-limit": "50rps"}, [good_image], [])

signed_fact := {"ref": signed_ref, "digest": digest, "signatures": 1, "signers": ["release"]}

good_facts := {"images": {signed_ref: signed_fact}}

judge(obj, related, facts) := judge_with(obj, related, facts, mg_config)

judge_with(obj, related, facts, config) := r if {
	r := data.modelgate.result with input as {
		"operation": "CREATE", "subResource": "", "object": obj, "old": null,
		"related": array.concat([obj], related), "facts": facts, "now": 1767225600000,
	}
		with data.config as config
}

judge_op(op, sub, obj, old, related) := r if {
	r := data.modelgate.result with input as {
		"operation": op, "subResource": sub, "object": obj, "old": old,
		"related": array.concat([obj], related), "facts": good_facts, "now": 1767225600000,
	}
		with data.config as mg_config
}

rules_of(result) := {f.rule | some f in result.findings}

pvc(name, labels, sc, volume) := {
	"apiVersion": "v1", "group": "", "kind": "PersistentVolumeClaim", "name": name,
	"namespace": "inference", "labels": labels, "annotations": {}, "templates": [],
	"images": [], "modelUris": [], "serves": true,
	"storage": object.filter({"type": "pvc", "storageClassName": sc, "volumeName": volume}, {k | some k, v in {"type": 1, "storageClassName": sc, "volumeName": volume}; v != ""}),
}

pv(name, labels, policy, source) := {
	"apiVersion": "v1", "group": "", "kind": "PersistentVolume", "name": name,
	"namespace": "", "labels": labels, "annotations": {}, "templates": [],
	"images": [], "modelUris": [], "serves": true,
	"storage": {"type": "pv", "reclaimPolicy": policy, "source": source},
}

storage_class(name, labels, policy) := {
	"apiVersion": "storage.k8s.io/v1", "group": "storage.k8s.io", "kind": "StorageClass",
	"name": name, "namespace": "", "labels": labels, "annotations": {}, "templates": [],
	"images": [], "modelUris": [], "serves": true,
	"storage": {"type": "storageclass", "reclaimPolicy": policy},
}

claim_volume(claim) := {
	"name": "weights", "path": "spec.template.spec.volumes[0]",
	"source": "persistentVolumeClaim", "claimName": claim,
}

with_claim(claim) := deployment(
	contract_labels, {"modelgate.io/rate-limit": "50rps"},
	[good_image], [claim_volume(claim)],
)

service(type, selector, labels) := {
	"apiVersion": "v1", "group": "", "kind": "Service", "name": "llm-svc",
	"namespace": "inference", "labels": labels, "annotations": {}, "templates": [],
	"images": [], "modelUris": [], "serves": true,
	"exposure": {"type": "service", "serviceType": type, "selector": selector, "backends": []},
}

ingress(annotations) := {
	"apiVersion": "networking.k8s.io/v1", "group": "networking.k8s.io", "kind": "Ingress",
	"name": "llm-ing", "namespace": "inference", "labels": {}, "annotations": annotations,
	"templates": [], "images": [], "modelUris": [], "serves": true,
	"exposure": {"type": "ingress", "backends": [{"path": "spec.defaultBackend", "kind": "Service", "group": "", "name": "llm-svc"}]},
}

test_compliant_deployment_is_allowed if {
	r := judge(good_deployment, [], good_facts)
	r.decision == "allow"
	count(r.findings) == 0
	r.judged
}

test_non_model_deployment_is_not_judged if {
	plain := deployment({"app": "web"}, {}, [tagged("docker.io/library/nginx:latest", "docker.io/library/nginx")], [])
	r := judge(plain, [], {"images": {}})
	r.decision == "allow"
	not r.judged
}
