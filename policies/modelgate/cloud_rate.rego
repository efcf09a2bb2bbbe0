# MG-RATE on AWS API Gateway: a stage that routes to a model enforces a
# throttle, through method settings for every method, a usage plan, or a
# WAFv2 web ACL with a rate-based rule associated with the stage.
package modelgate

gateway(o) := object.get(o, ["cloud", "gateway"], {})

same_api(a, b) if {
	some r in object.get(gateway(a), "api", [])
	r in object.get(gateway(b), "api", [])
}

stage_fronts_model(stage) if has_model_label(stage)

stage_fronts_model(stage) if {
	some i in related
	i.cloud.role == "integration"
	same_api(i, stage)
	integration_to_model(i)
}

integration_to_model(i) if gateway(i).model

integration_to_model(i) if {
	some o in related
	uses(i, o)
	is_model_object(o)
}

positive(n) if {
	is_number(n)
	n > 0
}

stage_throttled(stage) if positive(gateway(stage).throttle.rate)

stage_throttled(stage) if {
	some m in related
	m.cloud.role == "method-settings"
	same_api(m, stage)
	refers(gateway(m).stage, stage)
	gateway(m).methodPath == "*/*"
	positive(gateway(m).throttle.rate)
}

stage_throttled(stage) if {
	some u in related
	u.cloud.role == "usage-plan"
	some s in gateway(u).stages
	refers(s.refs, stage)
	plan_throttles(u, s)
}

plan_throttles(u, _) if positive(gateway(u).throttle.rate)

plan_throttles(_, s) if positive(s.rate)

stage_throttled(stage) if {
	some a in related
	a.cloud.role == "waf-association"
	refers(gateway(a).targets, stage)
	some acl in related
	acl.cloud.role == "waf-acl"
	refers(gateway(a).acl, acl)
	gateway(acl).rateRule
}

violation contains v if {
	subject.cloud.role == "stage"
	stage_fronts_model(subject)
	not stage_throttled(subject)
	v := finding("MG-RATE-003", object.get(gateway(subject), "namePath", "stageName"), sprintf(
		"API Gateway stage %s routes to a model without an enforced rate limit; add MethodSettings with settings.throttlingRateLimit for methodPath */*, a UsagePlan with throttleSettings for the stage, or a WAFv2 web ACL with a rate-based rule associated with it",
		[subject.name],
	))
}
