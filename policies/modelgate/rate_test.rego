package modelgate_test

test_rate_001_denies_missing_rate_limit if {
	obj := deployment(contract_labels, {}, [good_image], [])
	r := judge(obj, [], good_facts)
	rules_of(r) == {"MG-RATE-001"}
	some f in r.findings
	f.path == "spec.template.metadata.annotations"
}

test_rate_001_allows_batch_job_without_rate_limit if {
	job := object.union(deployment(contract_labels, {}, [good_image], []), {"kind": "Job", "serves": false})
	r := judge(job, [], good_facts)
	r.decision == "allow"
}

test_rate_001_denies_job_behind_a_service if {
	job := object.union(deployment(contract_labels, {}, [good_image], []), {"kind": "Job", "serves": false})
	svc := service("ClusterIP", {"app": "llm"}, {})
	r := judge(job, [svc], good_facts)
	"MG-RATE-001" in rules_of(r)
}

test_rate_002_denies_malformed_value if {
	obj := deployment(contract_labels, {"modelgate.io/rate-limit": "lots"}, [good_image], [])
	r := judge(obj, [], good_facts)
	rules_of(r) == {"MG-RATE-002"}
	some f in r.findings
	contains(f.message, "<n>/s, <n>/m, <n>/h, <n>rps or <n>rpm")
}

test_rate_002_allows_every_accepted_form if {
	every value in ["10/s", "120/m", "5000/h", "50rps", "600rpm"] {
		obj := deployment(contract_labels, {"modelgate.io/rate-limit": value}, [good_image], [])
		judge(obj, [], good_facts).decision == "allow"
	}
}

test_rate_003_denies_ingress_without_limit if {
	r := judge(ingress({}), [service("ClusterIP", {"app": "llm"}, {}), good_deployment], good_facts)
	rules_of(r) == {"MG-RATE-003"}
	r.decision == "deny"
}

test_rate_003_allows_nginx_limit if {
	r := judge(ingress({"nginx.ingress.kubernetes.io/limit-rps": "20"}), [service("ClusterIP", {"app": "llm"}, {}), good_deployment], good_facts)
	r.decision == "allow"
}

test_rate_003_allows_traefik_middleware_with_rate_limit if {
	mw := {
		"apiVersion": "traefik.io/v1alpha1", "group": "traefik.io", "kind": "Middleware", "name": "limit",
		"namespace": "inference", "labels": {}, "annotations": {}, "templates": [], "images": [],
		"modelUris": [], "serves": true, "policy": {"rateLimit": true, "targets": []},
	}
	ing := ingress({"traefik.ingress.kubernetes.io/router.middlewares": "inference-limit@kubernetescrd"})
	r := judge(ing, [mw, service("ClusterIP", {"app": "llm"}, {}), good_deployment], good_facts)
	r.decision == "allow"
}

test_rate_003_ignores_ingress_to_non_model_service if {
	r := judge(ingress({}), [service("ClusterIP", {"app": "web"}, {})], good_facts)
	r.decision == "allow"
}

route := {
	"apiVersion": "gateway.networking.k8s.io/v1", "group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
	"name": "llm-route", "namespace": "inference", "labels": {}, "annotations": {}, "templates": [],
	"images": [], "modelUris": [], "serves": true,
	"exposure": {"type": "httproute", "parents": [{"name": "gw", "namespace": "inference"}], "backends": [{"path": "spec.rules[0].backendRefs[0]", "kind": "InferencePool", "group": "inference.networking.x-k8s.io", "name": "pool"}]},
}

test_rate_003_denies_route_to_inference_pool if {
	r := judge(route, [], good_facts)
	rules_of(r) == {"MG-RATE-003"}
}

test_rate_003_allows_route_under_gateway_rate_policy if {
	policy := {
		"apiVersion": "gateway.envoyproxy.io/v1alpha1", "group": "gateway.envoyproxy.io", "kind": "BackendTrafficPolicy",
		"name": "limit", "namespace": "inference", "labels": {}, "annotations": {}, "templates": [], "images": [],
		"modelUris": [], "serves": true, "policy": {"rateLimit": true, "targets": [{"kind": "Gateway", "name": "gw"}]},
	}
	r := judge(route, [policy], good_facts)
	r.decision == "allow"
}

test_rate_004_denies_load_balancer_onto_model_pods if {
	r := judge(service("LoadBalancer", {"app": "llm"}, {}), [good_deployment], good_facts)
	rules_of(r) == {"MG-RATE-004"}
}

test_rate_004_allows_cluster_ip if {
	r := judge(service("ClusterIP", {"app": "llm"}, {}), [good_deployment], good_facts)
	r.decision == "allow"
}

test_rate_004_allows_load_balancer_onto_other_pods if {
	r := judge(service("NodePort", {"app": "web"}, {}), [good_deployment], good_facts)
	r.decision == "allow"
}

test_rate_003_names_an_invalid_limit_value if {
	r := judge(ingress({"nginx.ingress.kubernetes.io/limit-rps": "0"}), [service("ClusterIP", {"app": "llm"}, {}), good_deployment], good_facts)
	rules_of(r) == {"MG-RATE-003"}
	some f in r.findings
	contains(f.message, "nginx.ingress.kubernetes.io/limit-rps is \"0\", which is not a positive whole number")
}

gateway_policy(ns) := {
	"apiVersion": "gateway.envoyproxy.io/v1alpha1", "group": "gateway.envoyproxy.io", "kind": "BackendTrafficPolicy",
	"name": "limit", "namespace": ns, "labels": {}, "annotations": {}, "templates": [], "images": [],
	"modelUris": [], "serves": true, "policy": {"rateLimit": true, "targets": [{"kind": "Gateway", "name": "gw"}]},
}

test_rate_003_denies_route_when_policy_is_on_a_same_named_gateway_elsewhere if {
	shared_gw := object.union(route, {"exposure": object.union(route.exposure, {"parents": [{"name": "gw", "namespace": "infra"}]})})
	r := judge(shared_gw, [gateway_policy("inference")], good_facts)
	rules_of(r) == {"MG-RATE-003"}
}

test_rate_003_allows_route_under_policy_in_the_gateway_namespace if {
	shared_gw := object.union(route, {"exposure": object.union(route.exposure, {"parents": [{"name": "gw", "namespace": "infra"}]})})
	judge(shared_gw, [gateway_policy("infra")], good_facts).decision == "allow"
}

test_rate_004_denies_host_network if {
	t := object.union(template(contract_labels, {"modelgate.io/rate-limit": "50rps"}, []), {"hostNetwork": true})
	obj := object.union(good_deployment, {"templates": [t]})
	r := judge(obj, [], good_facts)
	rules_of(r) == {"MG-RATE-004"}
}

test_rate_004_denies_host_port if {
	path := "spec.template.spec.containers[0].ports[0].hostPort"
	t := object.union(template(contract_labels, {"modelgate.io/rate-limit": "50rps"}, []), {"hostPorts": [path]})
	r := judge(object.union(good_deployment, {"templates": [t]}), [], good_facts)
	some f in r.findings
	f.rule == "MG-RATE-004"
	f.path == path
}

test_rate_004_denies_external_ips_onto_model_pods if {
	svc := service("ClusterIP", {"app": "llm"}, {})
	with_ips := object.union(svc, {"exposure": object.union(svc.exposure, {"externalIPs": ["203.0.113.7"]})})
	r := judge(with_ips, [good_deployment], good_facts)
	rules_of(r) == {"MG-RATE-004"}
}
