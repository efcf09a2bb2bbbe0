package modelgate_test

api_urn := urn("aws:apigateway/restApi:RestApi", "api")

gw(o, role, facts) := object.union(o, {"cloud": object.union(o.cloud, {"role": role, "gateway": facts})})

stage := gw(
	cloud_object("aws:apigateway/stage:Stage", "prod", "stage", {}, {}),
	"stage", {"api": [api_urn], "stage": "prod"},
)

to_model := gw(
	cloud_object("aws:apigateway/integration:Integration", "invoke", "integration", {}, {}),
	"integration", {"api": [api_urn], "model": true},
)

method_settings(path, rate) := gw(
	cloud_object("aws:apigateway/methodSettings:MethodSettings", "throttle", "method-settings", {}, {}),
	"method-settings", {"api": [api_urn], "stage": ["prod"], "methodPath": path, "throttle": {"path": "settings.throttlingRateLimit", "rate": rate}},
)

test_rate_003_denies_stage_in_front_of_a_model_without_throttle if {
	r := cloud_judge(stage, [to_model])
	rules_of(r) == {"MG-RATE-003"}
	some f in r.findings
	f.path == "stageName"
}

test_rate_003_finds_the_model_through_the_dependency_graph if {
	endpoint := sagemaker_endpoint(model_tags)
	plain := object.union(to_model, {"cloud": {"gateway": {"model": false}}})
	integration := object.union(plain, {"uses": [endpoint.urn]})
	rules_of(cloud_judge(stage, [integration, endpoint])) == {"MG-RATE-003"}
}

test_rate_003_allows_stage_throttled_for_every_method if {
	cloud_judge(stage, [to_model, method_settings("*/*", 50)]).decision == "allow"
}

test_rate_003_denies_throttle_on_one_method_only if {
	rules_of(cloud_judge(stage, [to_model, method_settings("invoke/POST", 50)])) == {"MG-RATE-003"}
}

test_rate_003_denies_zero_throttle if {
	rules_of(cloud_judge(stage, [to_model, method_settings("*/*", 0)])) == {"MG-RATE-003"}
}

test_rate_003_allows_usage_plan_throttle if {
	plan := gw(
		cloud_object("aws:apigateway/usagePlan:UsagePlan", "plan", "usage-plan", {}, {}),
		"usage-plan", {"api": [], "stages": [{"refs": [stage.urn, api_urn], "rate": 0}], "throttle": {"path": "throttleSettings.rateLimit", "rate": 20}},
	)
	cloud_judge(stage, [to_model, plan]).decision == "allow"
}

waf_acl(rate_rule) := gw(
	cloud_object("aws:wafv2/webAcl:WebAcl", "acl", "waf-acl", {}, {}),
	"waf-acl", {"rateRule": rate_rule},
)

association := gw(
	cloud_object("aws:wafv2/webAclAssociation:WebAclAssociation", "assoc", "waf-association", {}, {}),
	"waf-association", {"targets": [stage.urn], "acl": [waf_acl(true).urn]},
)

test_rate_003_allows_waf_rate_based_rule if {
	cloud_judge(stage, [to_model, association, waf_acl(true)]).decision == "allow"
}

test_rate_003_denies_waf_without_rate_based_rule if {
	rules_of(cloud_judge(stage, [to_model, association, waf_acl(false)])) == {"MG-RATE-003"}
}

test_rate_003_allows_http_api_stage_with_route_throttle if {
	v2 := gw(stage, "stage", {"api": [api_urn], "stage": "prod", "namePath": "name", "throttle": {"path": "defaultRouteSettings.throttlingRateLimit", "rate": 10}})
	cloud_judge(v2, [to_model]).decision == "allow"
}

test_rate_003_ignores_stage_of_another_api if {
	other := gw(to_model, "integration", {"api": ["urn:pulumi:dev::ml::aws:apigateway/restApi:RestApi::other"], "model": true})
	cloud_judge(stage, [other]).decision == "allow"
}

test_rate_003_ignores_stage_without_model if {
	plain := object.union(to_model, {"cloud": {"role": "integration", "ids": [], "gateway": {"api": [api_urn], "model": false}}})
	cloud_judge(stage, [plain]).decision == "allow"
}
