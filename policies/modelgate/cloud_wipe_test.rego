package modelgate_test

model_data := {"modelgate.io/model-data": "true", "modelgate.io/data-custodian": "ml-platform"}

test_wipe_003_denies_model_bucket_without_force_destroy if {
	r := cloud_judge(bucket("weights", model_data, {}), [])
	rules_of(r) == {"MG-WIPE-003"}
	some f in r.findings
	f.path == "forceDestroy"
}

test_wipe_003_allows_model_bucket_with_force_destroy if {
	store := with_cloud(bucket("weights", model_data, {}), {"forceDestroy": true})
	cloud_judge(store, []).decision == "allow"
}

test_wipe_003_denies_retention_on_model_store if {
	lock := {"path": "objectLockEnabled", "what": "object lock is enabled"}
	store := with_cloud(bucket("weights", model_data, {}), {"forceDestroy": true, "retention": [lock]})
	r := cloud_judge(store, [])
	rules_of(r) == {"MG-WIPE-003"}
	some f in r.findings
	f.path == "objectLockEnabled"
	contains(f.message, "object lock is enabled")
}

test_wipe_003_denies_final_snapshot_of_model_volume if {
	snap := {"path": "finalSnapshot", "what": "a final snapshot is taken on delete"}
	volume := cloud_object("aws:ebs/volume:Volume", "weights", "volume", model_data, {})
	r := cloud_judge(with_cloud(volume, {"retention": [snap]}), [])
	rules_of(r) == {"MG-WIPE-003"}
}

test_wipe_003_allows_model_volume_deleted_with_the_stack if {
	volume := cloud_object("aws:ebs/volume:Volume", "weights", "volume", model_data, {})
	cloud_judge(volume, []).decision == "allow"
}

crypto_tags := object.union(model_data, {"modelgate.io/decommission": "crypto-erase"})

test_wipe_009_denies_crypto_erase_without_customer_key if {
	store := with_cloud(bucket("weights", crypto_tags, {}), {"forceDestroy": true})
	r := cloud_judge(store, [])
	rules_of(r) == {"MG-WIPE-009"}
}

test_wipe_009_denies_crypto_erase_with_provider_managed_key if {
	key := {"path": "serverSideEncryptionConfiguration", "customerManaged": false}
	store := with_cloud(bucket("weights", crypto_tags, {}), {"forceDestroy": true, "encryption": key})
	some f in cloud_judge(store, []).findings
	f.rule == "MG-WIPE-009"
	f.path == "serverSideEncryptionConfiguration"
}

test_wipe_009_allows_crypto_erase_with_customer_key if {
	key := {"path": "serverSideEncryptionConfiguration", "customerManaged": true}
	store := with_cloud(bucket("weights", crypto_tags, {}), {"forceDestroy": true, "encryption": key})
	cloud_judge(store, []).decision == "allow"
}

gpu_instance(devices) := object.union(
	cloud_object("aws:ec2/instance:Instance", "trainer", "compute", model_tags, {}),
	{
		"templates": [{"specPath": "spec", "labels": {}, "annotations": {}, "volumes": [], "resources": ["nvidia.com/gpu"], "env": []}],
		"cloud": {"role": "compute", "tagsPath": "tags", "ids": [], "retention": [], "devices": devices},
		"modelSignals": ["accelerator:nvidia.com/gpu"],
	},
)

test_wipe_001_denies_model_instance_volume_kept_on_termination if {
	d := {"path": "ebsBlockDevices[0].deleteOnTermination", "kind": "ebs", "name": "/dev/sdf", "deleteOnTermination": false, "defaultDeletes": true}
	r := cloud_judge(gpu_instance([d]), [])
	rules_of(r) == {"MG-WIPE-001"}
	some f in r.findings
	f.path == "ebsBlockDevices[0].deleteOnTermination"
	contains(f.message, "EBS volume \"/dev/sdf\"")
}

test_wipe_001_denies_launch_template_device_without_setting if {
	d := {"path": "blockDeviceMappings[0].ebs.deleteOnTermination", "kind": "ebs", "name": "/dev/xvda", "defaultDeletes": false}
	rules_of(cloud_judge(gpu_instance([d]), [])) == {"MG-WIPE-001"}
}

test_wipe_001_allows_instance_volume_deleted_by_default if {
	d := {"path": "rootBlockDevice.deleteOnTermination", "kind": "ebs", "name": "root", "defaultDeletes": true}
	cloud_judge(gpu_instance([d]), []).decision == "allow"
}

test_wipe_001_ignores_devices_of_machines_without_models if {
	d := {"path": "ebsBlockDevices[0].deleteOnTermination", "kind": "ebs", "name": "/dev/sdf", "deleteOnTermination": false, "defaultDeletes": true}
	plain := object.union(gpu_instance([d]), {"labels": {}, "templates": []})
	cloud_judge(plain, []).decision == "allow"
}

test_wipe_001_denies_shared_docker_volume_of_model_task if {
	d := {"path": "volumes[0].dockerVolumeConfiguration.scope", "kind": "docker", "name": "cache", "deleteOnTermination": false, "defaultDeletes": true}
	r := cloud_judge(gpu_instance([d]), [])
	some f in r.findings
	f.rule == "MG-WIPE-001"
	contains(f.message, "dockerVolumeConfiguration.scope: task")
}

test_wipe_009_allows_customer_key_set_by_its_own_resource if {
	store := with_cloud(bucket("weights", crypto_tags, {}), {"forceDestroy": true})
	sse := object.union(
		cloud_object("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "sse", "encryption", {}, {}),
		{"cloud": {"role": "encryption", "ids": [], "targets": [store.urn], "encryption": {"path": "rules", "customerManaged": true}}},
	)
	cloud_judge(store, [sse]).decision == "allow"
}
