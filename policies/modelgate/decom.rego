# MG-DECOM: a model workload and the stores holding its data name an
# accountable data custodian and the procedure that disposes of the data.
package modelgate

custodian_key := "modelgate.io/data-custodian"

decommission_key := "modelgate.io/decommission"

has_custodian(o) if {
	some v in meta_values(o, custodian_key)
	trim_space(v) != ""
}

has_custodian(o) if cfg.namespaces[o.namespace].dataCustodian

violation contains v if {
	model_workload
	not has_custodian(subject)
	v := finding("MG-DECOM-001", label_path, sprintf(
		"model workload %s names no data custodian; add label %s: <team> (or set namespaces.%s.dataCustodian in config)",
		[subject.name, custodian_key, namespace_or_default],
	))
}

violation contains v if {
	model_workload
	count(meta_values(subject, decommission_key)) == 0
	v := finding("MG-DECOM-002", label_path, sprintf(
		"model workload %s records no decommissioning procedure; add label %s with one of: %s",
		[subject.name, decommission_key, concat(", ", cfg.decommissionProcedures)],
	))
}

violation contains v if {
	model_workload
	some value in meta_values(subject, decommission_key)
	not value in cfg.decommissionProcedures
	v := finding("MG-DECOM-002", label_path, sprintf(
		"decommissioning procedure \"%s\" is not one modelgate knows; use one of: %s",
		[value, concat(", ", cfg.decommissionProcedures)],
	))
}

# Claims and volumes that hold model data need a custodian too.
violation contains v if {
	subject.storage.type in {"pvc", "pv"}
	model_data_store
	not has_custodian(subject)
	v := finding("MG-DECOM-001", "metadata.labels", sprintf(
		"%s %s holds model data but names no data custodian; add label %s: <team>",
		[subject.kind, subject.name, custodian_key],
	))
}

label_path := sprintf("%s.metadata.labels", [template_root]) if {
	template_root
} else := "metadata.labels"

namespace_or_default := subject.namespace if subject.namespace != ""

namespace_or_default := "<namespace>" if subject.namespace == ""
