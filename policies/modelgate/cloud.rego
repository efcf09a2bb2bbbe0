# Cloud resources, as the Pulumi normalizer describes them: which services
# hold or serve models, which resources store data, and how resources refer
# to one another (by URN from Pulumi's dependency graph, or by name).
package modelgate

# Resource types that are models or serve them, whatever their tags say.
cloud_model_kinds := {
	"aws:sagemaker/model:Model",
	"aws:sagemaker/endpointConfiguration:EndpointConfiguration",
	"aws:sagemaker/endpoint:Endpoint",
	"gcp:vertex/aiEndpoint:AiEndpoint",
	"gcp:vertex/aiEndpointWithModelGardenDeployment:AiEndpointWithModelGardenDeployment",
	"azure-native:machinelearningservices:OnlineEndpoint",
	"azure-native:machinelearningservices:OnlineDeployment",
}

store_roles := {"bucket", "volume", "filesystem", "disk", "account"}

cloud_store(o) if o.cloud.role in store_roles

# Where a cloud resource keeps its tags, for paths and messages.
tags_path(o) := object.get(o, ["cloud", "tagsPath"], "tags")

# A reference (a URN from the dependency graph, or a literal name or ARN)
# names `o` when `o` answers to it.
refers(refs, o) if {
	some r in refs
	r in o.cloud.ids
}

uses(w, o) if o.urn in object.get(w, "uses", [])

# A cloud store holds model data when it is marked, when a model depends on
# it, or when a model's artifact URI points into it.
cloud_model_data(s) if marked_model_data(s)

# The cheap reference test comes first: model detection globs every image.
cloud_model_data(s) if {
	some w in related
	uses(w, s)
	is_model_object(w)
}

cloud_model_data(s) if {
	some w in related
	some u in w.modelUris
	addressed(u.uri, s)
	is_model_object(w)
}

addressed(uri, s) if {
	a := s.cloud.address
	startswith(uri, sprintf("%s://%s/", [a.scheme, a.name]))
}

addressed(uri, s) if {
	a := s.cloud.address
	uri == sprintf("%s://%s", [a.scheme, a.name])
}

model_data_store if {
	cloud_store(subject)
	cloud_model_data(subject)
}

# Where a judgement deferred at preview happens next: Kubernetes objects
# meet the admission webhook too, cloud resources only pulumi up.
later := "pulumi up" if subject.cloud

later := "pulumi up and at admission" if not subject.cloud
