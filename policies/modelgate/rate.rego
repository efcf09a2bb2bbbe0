# MG-RATE: a model that answers requests declares a rate limit, and nothing
# exposes it around that limit.
package modelgate

rate_key := "modelgate.io/rate-limit"

rate_forms := "<n>/s, <n>/m, <n>/h, <n>rps or <n>rpm"

serving if subject.serves

serving if exposed_by_service(subject)

violation contains v if {
	model_workload
	serving
	count(meta_values(subject, rate_key)) == 0
	v := finding("MG-RATE-001", rate_path, sprintf(
		"model workload %s declares no rate limit; add annotation %s (%s) and enforce it at the gateway",
		[subject.name, rate_key, rate_forms],
	))
}

violation contains v if {
	model_workload
	some value in meta_values(subject, rate_key)
	not regex.match(`^[1-9][0-9]{0,8}(/s|/m|/h|rps|rpm)$`, value)
	v := finding("MG-RATE-002", rate_path, sprintf(
		"rate limit \"%s\" is not understood; use one of %s",
		[value, rate_forms],
	))
}

rate_path := sprintf("%s.metadata.annotations", [template_root]) if {
	template_root
} else := "metadata.annotations"

# `spec.template` when the contract labels belong on a pod template; a
# Pod, or a custom resource without one, carries them itself.
template_root := trim_suffix(t.specPath, ".spec") if {
	t := subject.templates[0]
	endswith(t.specPath, "template.spec")
}

# Routes (Ingress, HTTPRoute) in front of a model need enforcing config.
violation contains v if {
	subject.exposure.type in {"ingress", "httproute"}
	some b in subject.exposure.backends
	backend_is_model(b)
	not route_rate_limited
	v := finding("MG-RATE-003", b.path, sprintf(
		"%s %s routes to model backend %s without an enforced rate limit; %s",
		[subject.kind, subject.name, b.name, route_hint],
	))
}

# Say what is wrong with a limit that is present but not a positive number.
route_hint := sprintf("%s is \"%s\", which is not a positive whole number of requests", [key, value]) if {
	some key in limit_annotations
	value := subject.annotations[key]
	not positive_int(value)
} else := route_fix[subject.exposure.type]

limit_annotations := {
	"nginx.ingress.kubernetes.io/limit-rps",
	"nginx.ingress.kubernetes.io/limit-rpm",
	"haproxy.org/rate-limit-requests",
}

route_fix := {
	"ingress": "add nginx.ingress.kubernetes.io/limit-rps or limit-rpm, haproxy.org/rate-limit-requests, or a Traefik or Kong rate-limit plugin",
	"httproute": "attach a rate-limit policy (Envoy Gateway BackendTrafficPolicy with rateLimit, or a Kuadrant RateLimitPolicy) to the route or its Gateway",
}

backend_is_model(b) if b.kind in {"InferencePool", "InferenceService", "LLMInferenceService"}

backend_is_model(_) if has_model_label(subject)

backend_is_model(b) if {
	b.kind == "Service"
	svc := related_named("Service", subject.namespace, b.name)
	service_fronts_model(svc)
}

service_fronts_model(svc) if has_model_label(svc)

service_fronts_model(svc) if count(model_workloads_selected_by(svc)) > 0

positive_int(s) if regex.match(`^[1-9][0-9]*$`, s)

route_rate_limited if {
	some key in limit_annotations
	positive_int(subject.annotations[key])
}

route_rate_limited if {
	refs := split(subject.annotations["traefik.ingress.kubernetes.io/router.middlewares"], ",")
	some ref in refs
	some p in related
	p.kind == "Middleware"
	p.policy.rateLimit
	trim_space(ref) == sprintf("%s-%s@kubernetescrd", [p.namespace, p.name])
}

route_rate_limited if {
	names := split(subject.annotations["konghq.com/plugins"], ",")
	some name in names
	p := related_named("KongPlugin", subject.namespace, trim_space(name))
	p.policy.rateLimit
}

route_rate_limited if {
	some p in related
	p.policy.rateLimit
	some t in p.policy.targets
	policy_targets(p, t)
}

# A policy on the route itself lives in the route's namespace; one on a
# Gateway lives in the Gateway's, which may be another namespace.
policy_targets(p, t) if {
	p.namespace == subject.namespace
	t.kind == subject.kind
	t.name == subject.name
}

policy_targets(p, t) if {
	t.kind == "Gateway"
	some parent in object.get(subject.exposure, "parents", [])
	t.name == parent.name
	p.namespace == parent.namespace
}

# A LoadBalancer or NodePort Service straight onto model pods skips any
# gateway that would enforce the limit.
violation contains v if {
	subject.exposure.type == "service"
	subject.exposure.serviceType in {"LoadBalancer", "NodePort"}
	service_fronts_model(subject)
	v := finding("MG-RATE-004", "spec.type", sprintf(
		"Service %s exposes model pods as %s, bypassing any rate limit; make it ClusterIP and route through an Ingress or Gateway that enforces one",
		[subject.name, subject.exposure.serviceType],
	))
}

# Pods that take the node's network, or Services with external addresses,
# reach model pods around any gateway.
violation contains v if {
	model_workload
	some t in subject.templates
	object.get(t, "hostNetwork", false) == true
	v := finding("MG-RATE-004", sprintf("%s.hostNetwork", [t.specPath]), sprintf(
		"model workload %s uses the node's network, bypassing any rate limit; remove hostNetwork and expose it through an Ingress or Gateway that enforces one",
		[subject.name],
	))
}

violation contains v if {
	model_workload
	some t in subject.templates
	some path in object.get(t, "hostPorts", [])
	v := finding("MG-RATE-004", path, sprintf(
		"model workload %s binds a port on the node, bypassing any rate limit; remove hostPort and expose it through an Ingress or Gateway that enforces one",
		[subject.name],
	))
}

violation contains v if {
	subject.exposure.type == "service"
	count(object.get(subject.exposure, "externalIPs", [])) > 0
	service_fronts_model(subject)
	v := finding("MG-RATE-004", "spec.externalIPs", sprintf(
		"Service %s exposes model pods on external IPs, bypassing any rate limit; drop externalIPs and route through an Ingress or Gateway that enforces one",
		[subject.name],
	))
}
