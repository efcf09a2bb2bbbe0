# MG-WIPE in the cloud: model data goes when `pulumi destroy` runs. Block
# devices of model machines are deleted with them, stores holding model data
# keep nothing back, and a store whose procedure is crypto-erase has a
# customer-managed key to destroy.
package modelgate

# Devices (EBS volumes of an instance or launch template, ECS Docker
# volumes) that outlive the machine or task they belong to.
lasting_device(d) if d.deleteOnTermination == false

lasting_device(d) if {
	not is_boolean(object.get(d, "deleteOnTermination", null))
	not d.defaultDeletes
}

device_kinds := {"ebs": "EBS volume", "docker": "Docker volume"}

device_fixes := {
	"ebs": "set deleteOnTermination: true",
	"docker": "set dockerVolumeConfiguration.scope: task",
}

violation contains v if {
	model_workload
	some d in object.get(subject, ["cloud", "devices"], [])
	lasting_device(d)
	v := finding("MG-WIPE-001", d.path, sprintf(
		"%s \"%s\" of model workload %s is not deleted with it, so model data outlives it; %s",
		[device_kinds[d.kind], d.name, subject.name, device_fixes[d.kind]],
	))
}

violation contains v if {
	subject.cloud.role == "bucket"
	model_data_store
	not subject.cloud.forceDestroy == true
	v := finding("MG-WIPE-003", "forceDestroy", sprintf(
		"bucket %s holds model data but pulumi destroy cannot delete it while it holds objects (forceDestroy is not set); set forceDestroy: true",
		[subject.name],
	))
}

violation contains v if {
	cloud_store(subject)
	model_data_store
	some r in subject.cloud.retention
	v := finding("MG-WIPE-003", r.path, sprintf(
		"%s holds model data and %s, so the data outlives pulumi destroy; keep model data in a store without retention",
		[subject.name, r.what],
	))
}

violation contains v if {
	cloud_store(subject)
	model_data_store
	"crypto-erase" in meta_values(subject, decommission_key)
	not customer_key(subject)
	v := finding("MG-WIPE-009", encryption_path(subject), sprintf(
		"%s is decommissioned by crypto-erase but is not encrypted with a customer-managed key; encrypt it with a key this stack creates, so destroying the key erases the data",
		[subject.name],
	))
}

customer_key(s) if s.cloud.encryption.customerManaged

# A bucket's encryption may be set by a resource of its own.
customer_key(s) if {
	some e in related
	e.cloud.role == "encryption"
	refers(e.cloud.targets, s)
	e.cloud.encryption.customerManaged
}

encryption_path(o) := o.cloud.encryption.path

encryption_path(o) := object.get(o, ["cloud", "encryptionPath"], "encryption") if not o.cloud.encryption
