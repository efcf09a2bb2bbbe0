# MG-WIPE: storage holding model data is destroyed with the workload or the
# claim that owns it, so no copy of the weights outlives its decommissioning.
package modelgate

# Inline volume sources whose data outlives the pod that mounts them.
lasting_sources := {
	"hostPath", "nfs", "iscsi", "cephfs", "glusterfs", "rbd", "fc",
	"awsElasticBlockStore", "gcePersistentDisk", "azureDisk", "azureFile",
	"cinder", "portworxVolume", "flexVolume", "vsphereVolume",
}

node_sources := {"hostPath", "local"}

marked_model_data(o) if "true" in meta_values(o, "modelgate.io/model-data")

marked_model_data(o) if has_model_label(o)

claim_used_by_model(pvc) if {
	some w in related
	w.namespace == pvc.namespace
	is_model_object(w)
	some t in w.templates
	some vol in t.volumes
	vol.claimName == pvc.name
}

pvc_model_data(pvc) if marked_model_data(pvc)

pvc_model_data(pvc) if claim_used_by_model(pvc)

pv_model_data(pv) if marked_model_data(pv)

pv_model_data(pv) if {
	pvc := related_named("PersistentVolumeClaim", pv.storage.claim.namespace, pv.storage.claim.name)
	pvc_model_data(pvc)
}

pv_model_data(pv) if {
	some pvc in related
	pvc.kind == "PersistentVolumeClaim"
	bound_volume(pvc) == pv.name
	pvc_model_data(pvc)
}

model_data_store if {
	subject.kind == "PersistentVolumeClaim"
	pvc_model_data(subject)
}

model_data_store if {
	subject.kind == "PersistentVolume"
	pv_model_data(subject)
}

model_data_store if {
	subject.kind == "StorageClass"
	marked_model_data(subject)
}

# Cheap matches first: which claims name this class, then whether any of
# them holds model data. A stack of a thousand objects stays linear.
model_data_store if {
	subject.kind == "StorageClass"
	some pvc in related
	pvc.kind == "PersistentVolumeClaim"
	pvc.storage.storageClassName == subject.name
	pvc_model_data(pvc)
}

# The PV a claim is bound to; "" while it is unbound.
bound_volume(pvc) := object.get(pvc.storage, "volumeName", "")

# Why a claim's data would survive the claim, read from its PV or class.
retained(pvc) := sprintf("PV %s has reclaimPolicy %s", [pv.name, pv.storage.reclaimPolicy]) if {
	pv := cluster_named("PersistentVolume", bound_volume(pvc))
	pv.storage.reclaimPolicy != "Delete"
}

retained(pvc) := sprintf("PV %s keeps the data on a node's disk (%s)", [pv.name, pv.storage.source]) if {
	pv := cluster_named("PersistentVolume", bound_volume(pvc))
	pv.storage.reclaimPolicy == "Delete"
	pv.storage.source in node_sources
}

retained(pvc) := sprintf("StorageClass %s has reclaimPolicy %s", [sc.name, sc.storage.reclaimPolicy]) if {
	not cluster_named("PersistentVolume", bound_volume(pvc))
	sc := cluster_named("StorageClass", claim_class(pvc.storage))
	sc.storage.reclaimPolicy != "Delete"
}

# The class a claim is provisioned from: the one it names, or the cluster's
# default when it names none. An empty name means no class (static binding).
claim_class(claim) := claim.storageClassName

claim_class(claim) := default_class.name if {
	not has_class_field(claim)
	default_class
}

has_class_field(claim) if claim.storageClassName

default_class := [sc |
	some sc in related
	sc.kind == "StorageClass"
	sc.annotations["storageclass.kubernetes.io/is-default-class"] == "true"
][0]

violation contains v if {
	model_workload
	some t in subject.templates
	some vol in t.volumes
	vol.source in lasting_sources
	v := finding("MG-WIPE-001", vol.path, sprintf(
		"volume \"%s\" mounts %s storage that outlives the workload; use emptyDir, a generic ephemeral volume, or a claim whose reclaimPolicy is Delete",
		[vol.name, vol.source],
	))
}

violation contains v if {
	model_workload
	some t in subject.templates
	some vol in t.volumes
	vol.claimName
	pvc := related_named("PersistentVolumeClaim", subject.namespace, vol.claimName)
	why := retained(pvc)
	v := finding("MG-WIPE-002", vol.path, sprintf(
		"volume \"%s\" -> claim \"%s\": %s, so model data outlives the workload; set reclaimPolicy Delete",
		[vol.name, vol.claimName, why],
	))
}

# Claims the workload creates itself: StatefulSet claim templates and
# generic ephemeral volumes, read against their StorageClass.
created_claims contains c if {
	some c in object.get(subject, "claimTemplates", [])
}

created_claims contains c if {
	some t in subject.templates
	some c in t.volumes
	c.source == "ephemeral"
}

violation contains v if {
	model_workload
	some c in created_claims
	sc := cluster_named("StorageClass", claim_class(c))
	sc.storage.reclaimPolicy != "Delete"
	v := finding("MG-WIPE-002", c.path, sprintf(
		"claim template \"%s\" uses StorageClass %s with reclaimPolicy %s, so model data outlives the workload; use a class whose reclaimPolicy is Delete",
		[c.name, sc.name, sc.storage.reclaimPolicy],
	))
}

# A StatefulSet keeps the claims it created unless told otherwise.
violation contains v if {
	model_workload
	count(object.get(subject, "claimTemplates", [])) > 0
	subject.claimRetention.whenDeleted != "Delete"
	v := finding("MG-WIPE-008", "spec.persistentVolumeClaimRetentionPolicy", sprintf(
		"StatefulSet %s keeps its model-data claims after it is deleted (whenDeleted: %s); set spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Delete",
		[subject.name, subject.claimRetention.whenDeleted],
	))
}

violation contains v if {
	model_workload
	some t in subject.templates
	some vol in t.volumes
	vol.claimName
	not related_named("PersistentVolumeClaim", subject.namespace, vol.claimName)
	not claim_from_template(vol.claimName)
	v := finding("MG-WIPE-007", vol.path, sprintf(
		"claim \"%s\" behind volume \"%s\" is not in view, so its reclaim policy was not checked; include it in the input or let modelgate read the cluster",
		[vol.claimName, vol.name],
	))
}

violation contains v if {
	subject.kind == "PersistentVolume"
	pv_model_data(subject)
	subject.storage.reclaimPolicy != "Delete"
	v := finding("MG-WIPE-003", "spec.persistentVolumeReclaimPolicy", sprintf(
		"PersistentVolume %s holds model data with reclaimPolicy %s; set persistentVolumeReclaimPolicy: Delete",
		[subject.name, subject.storage.reclaimPolicy],
	))
}

violation contains v if {
	subject.kind == "PersistentVolume"
	pv_model_data(subject)
	subject.storage.source in node_sources
	v := finding("MG-WIPE-005", sprintf("spec.%s", [subject.storage.source]), sprintf(
		"PersistentVolume %s keeps model data on a node's disk (%s), which no reclaim policy wipes; use a provisioned volume that is deleted with its claim",
		[subject.name, subject.storage.source],
	))
}

violation contains v if {
	subject.kind == "StorageClass"
	model_data_store
	subject.storage.reclaimPolicy != "Delete"
	v := finding("MG-WIPE-004", "reclaimPolicy", sprintf(
		"StorageClass %s provisions model data with reclaimPolicy %s; set reclaimPolicy: Delete",
		[subject.name, subject.storage.reclaimPolicy],
	))
}

violation contains v if {
	operation == "DELETE"
	subject.kind == "PersistentVolumeClaim"
	pvc_model_data(subject)
	why := retained(subject)
	v := finding("MG-WIPE-006", "metadata", sprintf(
		"deleting claim %s would leave its model data behind (%s); set the reclaim policy to Delete first, then delete the claim",
		[subject.name, why],
	))
}

violation contains v if {
	operation == "DELETE"
	subject.kind == "PersistentVolume"
	pv_model_data(subject)
	subject.storage.reclaimPolicy != "Delete"
	v := finding("MG-WIPE-006", "spec.persistentVolumeReclaimPolicy", sprintf(
		"deleting PersistentVolume %s would leave its model data on the backing storage (reclaimPolicy %s); set persistentVolumeReclaimPolicy: Delete first, then delete it",
		[subject.name, subject.storage.reclaimPolicy],
	))
}

# A pod volume may name a claim template rather than a claim.
claim_from_template(name) if {
	some c in object.get(subject, "claimTemplates", [])
	c.name == name
}

# A claim in view whose class is not: its reclaim policy is unknown.
violation contains v if {
	model_workload
	some t in subject.templates
	some vol in t.volumes
	vol.claimName
	pvc := related_named("PersistentVolumeClaim", subject.namespace, vol.claimName)
	not cluster_named("PersistentVolume", bound_volume(pvc))
	not class_in_view(pvc.storage)
	v := finding("MG-WIPE-007", vol.path, sprintf(
		"the StorageClass of claim \"%s\" (%s) is not in view, so its reclaim policy was not checked; include it in the input or let modelgate read the cluster",
		[vol.claimName, class_label(pvc.storage)],
	))
}

class_in_view(claim) if cluster_named("StorageClass", claim_class(claim))

class_in_view(claim) if claim.storageClassName == ""

class_label(claim) := claim.storageClassName if has_class_field(claim)

class_label(claim) := "the cluster default" if not has_class_field(claim)
