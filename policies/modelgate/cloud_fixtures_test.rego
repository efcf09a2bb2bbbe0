# Fixtures for the cloud rule tests: cloud resources in the normalized form
# the Pulumi normalizer gives them.
package modelgate_test

stack_ns := "pulumi:dev"

urn(kind, name) := sprintf("urn:pulumi:dev::ml::%s::%s", [kind, name])

cloud_object(kind, name, role, labels, extra) := object.union(
	{
		"apiVersion": "pulumi", "group": split(kind, ":")[0], "kind": kind,
		"name": name, "namespace": stack_ns, "labels": labels, "annotations": {},
		"templates": [], "images": [], "modelUris": [], "serves": false,
		"urn": urn(kind, name), "uses": [],
		"cloud": {"role": role, "tagsPath": "tags", "ids": [urn(kind, name), name], "retention": [], "devices": []},
	},
	extra,
)

model_tags := {
	"modelgate.io/decommission": "wipe",
	"modelgate.io/data-custodian": "ml-platform",
}

sm_image(ref, name, d) := {
	"path": "primaryContainer.image", "role": "container", "raw": ref, "ref": ref, "name": name, "digest": d,
}

sagemaker_model(labels, images, uris, uses) := cloud_object(
	"aws:sagemaker/model:Model", "llm", "model", labels,
	{"images": images, "modelUris": uris, "uses": uses},
)

good_model := sagemaker_model(model_tags, [sm_image(signed_ref, "registry.example.com/ml/llm", digest)], [], [])

sagemaker_endpoint(labels) := cloud_object("aws:sagemaker/endpoint:Endpoint", "llm-endpoint", "model", labels, {"serves": true})

bucket(name, labels, extra) := cloud_object(
	"aws:s3/bucket:Bucket", name, "bucket", labels,
	object.union(
		{"cloud": {
			"role": "bucket", "tagsPath": "tags", "ids": [urn("aws:s3/bucket:Bucket", name), name],
			"address": {"scheme": "s3", "name": name}, "retention": [], "devices": [],
		}},
		extra,
	),
)

with_cloud(o, facts) := object.union(o, {"cloud": object.union(o.cloud, facts)})

custodian_tags := {"modelgate.io/data-custodian": "ml-platform"}

cloud_judge(obj, related) := judge(obj, related, good_facts)
