# Shared facts about the object under judgement: which object it is, whether
# it is a model workload, what its labels say, and what it reaches.
package modelgate

cfg := data.config

operation := object.get(input, "operation", "CREATE")

sub_resource := object.get(input, "subResource", "")

# Objects the rules read across: the request's own, or a whole batch set
# once as data (a directory, a stack) so it is not re-sent per object.
default related := []

related := input.related if input.related

related := data.related if {
	not input.related
	data.related
}

# The object the rules judge. A scale-up is judged as the workload it scales.
subject := input.object if not is_scale

subject := scale_target if {
	is_scale
	scale_up
}

scale_up if input.object.scale.replicas > input.object.scale.oldReplicas

scale_targets contains o if {
	some o in related
	o.name == input.object.name
	o.namespace == input.object.namespace
	count(o.templates) > 0
}

scale_target := o if {
	some o in scale_targets
	count(scale_targets) == 1
}

# Only an autoscaling Scale is a scale request; a custom kind named Scale
# is judged like any other object.
is_scale if {
	input.object.kind == "Scale"
	input.object.group == "autoscaling"
}

namespace := input.object.namespace

# Contract values may sit on the object or on any of its pod templates,
# as labels or annotations; every place is read.
meta_values(o, key) := {v |
	some m in meta_maps(o)
	v := m[key]
}

meta_maps(o) := array.concat(
	[o.labels, o.annotations],
	[m | some t in o.templates; some m in [t.labels, t.annotations]],
)

has_model_label(o) if "true" in meta_values(o, "modelgate.io/model")

is_model_object(o) if has_model_label(o)

is_model_object(o) if o.kind in cfg.modelDetection.kinds

# Cloud services whose resources are models or serve them (cloud.rego).
is_model_object(o) if o.kind in cloud_model_kinds

# Which detection globs an object matched (images, environment, extended
# resources) comes with it as signals; any signal marks a model.
is_model_object(o) if count(object.get(o, "modelSignals", [])) > 0

# An UPDATE cannot take an object out of scope by dropping what marked it.
is_model if is_model_object(subject)

is_model if {
	operation == "UPDATE"
	is_model_object(input.old)
}

# At a Pulumi preview, a workload whose labels are not known yet may be a
# model workload; it is judged as one and the gate reports what that finds
# as conditional (cloud_preview.rego).
is_model if possibly_model

is_workload if count(subject.templates) > 0

is_workload if subject.kind in cfg.modelDetection.kinds

is_workload if subject.kind in cloud_model_kinds

is_workload if spec_unknown_workload

model_workload if {
	is_model
	is_workload
}

# Related objects of a kind in the subject's namespace.
# The first related object of that kind and name; names repeat in
# kustomize trees, and a repeat must not stop evaluation.
related_named(kind, ns, name) := [o |
	some o in related
	o.kind == kind
	o.namespace == ns
	o.name == name
][0]

cluster_named(kind, name) := [o |
	some o in related
	o.kind == kind
	o.name == name
][0]

# A Service (or any selector) picks a workload when every pair matches.
selects(selector, o) if {
	count(selector) > 0
	some t in o.templates
	every k, v in selector {
		t.labels[k] == v
	}
}

model_workloads_selected_by(svc) := {o |
	some o in related
	o.namespace == svc.namespace
	selects(svc.exposure.selector, o)
	is_model_object(o)
}

exposed_by_service(o) if {
	some svc in related
	svc.kind == "Service"
	svc.namespace == o.namespace
	selects(svc.exposure.selector, o)
}
