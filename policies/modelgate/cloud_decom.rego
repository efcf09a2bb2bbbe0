# MG-DECOM in the cloud: stores that hold model data name a custodian, and
# a resource that can hold or serve a model, but whose type modelgate does
# not read, is reported rather than passed in silence.
package modelgate

violation contains v if {
	cloud_store(subject)
	model_data_store
	not has_custodian(subject)
	v := finding("MG-DECOM-001", tags_path(subject), sprintf(
		"%s holds model data but names no data custodian; add tag %s: <team> (or set namespaces.%s.dataCustodian in config)",
		[subject.name, custodian_key, namespace_or_default],
	))
}

# Services whose resources hold or serve models by nature.
model_services := [
	"aws:bedrock/*",
	"aws:bedrockmodel/*",
	"aws:sagemaker/*",
	"gcp:vertex/*",
	"gcp:ml/*",
	"azure-native:machinelearningservices:*",
	"azure-native:cognitiveservices:*",
	"azure:machinelearning/*",
	"azure:cognitive/*",
	"kubernetes:helm.sh/*:Release",
]

# Access-control resources of those services hold nothing themselves.
access_control(kind) if regex.match(`Iam(Binding|Member|Policy)$|Permission$`, kind)

uncovered if {
	subject.cloud.role == "unmapped"
	some pattern in model_services
	glob.match(pattern, [], subject.kind)
	not access_control(subject.kind)
}

uncovered if {
	subject.cloud.role == "unmapped"
	marked_model_data(subject)
}

violation contains v if {
	uncovered
	v := finding("MG-DECOM-004", "type", sprintf(
		"%s is a %s, which can hold or serve a model, but modelgate does not read this type, so its provenance, rate limits and teardown go unchecked; review it by hand and record the review as an exemption",
		[subject.name, subject.kind],
	))
}
