# Pulumi preview: values that are not known until apply (outputs of other
# resources) and secrets the gate does not read. A rule whose evidence sits
# in such a value is deferred: the finding says which value and that the
# rule runs again at pulumi up (and at admission). It is marked `deferred`,
# and the gate reports it in place of that rule's other findings on the
# object. A workload whose labels are unreadable may be a model workload; it
# is judged as one and every finding on it is marked `conditional`.
package modelgate

unknown_paths := object.get(subject, "unknown", [])

secret_paths := object.get(subject, "secret", [])

# Paths that hold, or contain, whole label, annotation or tag maps.
meta_map_path(p) if regex.match(`(^|\.)(metadata|labels|annotations|tags|tagsAll|template)$`, p)

meta_map_path(p) if p in {"spec", "spec.jobTemplate", "spec.jobTemplate.spec"}

# A single unknown value under a known key hides that key only.
meta_key_path(p, key) if {
	regex.match(`(^|\.)(labels|annotations|tags|tagsAll)\[`, p)
	endswith(p, sprintf("[\"%s\"]", [key]))
}

# Unknown paths that may hold the value of a contract key.
meta_unknown(key) := {p |
	some p in unknown_paths
	meta_reads(p, key)
}

meta_reads(p, _) if meta_map_path(p)

meta_reads(p, key) if meta_key_path(p, key)

image_path(p) if regex.match(`(^|\.)(image|imageUri|containerDefinitions)(\.reference)?$`, p)

image_path(p) if regex.match(`(^|\.)(containers|initContainers|ephemeralContainers|primaryContainer)(\[\d+\])?$`, p)

volume_path(p) if regex.match(`(^|\.)volumes(\[\d+\])?(\.persistentVolumeClaim(\.claimName)?)?$`, p)

model_uri_path(p) if regex.match(`(^|\.)(storageUri|modelUri|modelDataUrl|s3Uri|huggingFaceModelId)$`, p)

image_unknown := {p | some p in unknown_paths; image_path(p)}

volume_unknown := {p | some p in unknown_paths; volume_path(p)}

model_uri_unknown := {p | some p in unknown_paths; model_uri_path(p)}

# Kinds with a pod template, for when the whole spec is unknown.
pod_kinds := {"Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController"}

spec_unknown_workload if {
	subject.kind in pod_kinds
	count(subject.templates) == 0
	"spec" in unknown_paths
}

could_be_workload if count(subject.templates) > 0

could_be_workload if spec_unknown_workload

possibly_model if {
	not is_model_object(subject)
	count(meta_unknown("modelgate.io/model")) > 0
	could_be_workload
}

conditional if possibly_model

default conditional := false

unreadable(p) := "is a secret, which modelgate does not read" if p in secret_paths

unreadable(p) := "is not known until apply" if not p in secret_paths

deferral(rule, p, what) := object.union(
	finding(rule, p, sprintf(
		"%s %s, so %s cannot be judged at preview; modelgate judges it again at %s",
		[p, unreadable(p), what, later],
	)),
	{"deferred": true, "conditional": conditional},
)

first(paths) := sort(paths)[0]

violation contains v if {
	possibly_model
	v := deferral("MG-DECOM-003", first(meta_unknown("modelgate.io/model")), sprintf("whether %s is a model workload", [subject.name]))
}

violation contains v if {
	model_workload
	paths := meta_unknown(custodian_key)
	count(paths) > 0
	not has_custodian(subject)
	v := deferral("MG-DECOM-001", first(paths), "its data custodian")
}

violation contains v if {
	model_workload
	paths := meta_unknown(decommission_key)
	count(paths) > 0
	count(meta_values(subject, decommission_key)) == 0
	v := deferral("MG-DECOM-002", first(paths), "its decommissioning procedure")
}

violation contains v if {
	model_workload
	serving
	paths := meta_unknown(rate_key)
	count(paths) > 0
	count(meta_values(subject, rate_key)) == 0
	v := deferral("MG-RATE-001", first(paths), "its rate limit")
}

violation contains v if {
	model_workload
	some p in image_unknown
	v := deferral("MG-PROV-003", p, "the image's digest and signature")
}

violation contains v if {
	model_workload
	some p in model_uri_unknown
	not valid_model_digest
	v := deferral("MG-PROV-004", p, "the model artifact's content digest")
}

violation contains v if {
	model_workload
	some p in volume_unknown
	v := deferral("MG-WIPE-007", p, "the storage behind the volume")
}
