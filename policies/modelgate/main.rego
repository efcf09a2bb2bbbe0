# The entry point: raw violations become findings with their catalog entry,
# the mode in force and any exemption, and the findings become one decision.
package modelgate

finding(rule, path, message) := {"rule": rule, "path": path, "message": message}

# A violation whose id the catalog lacks still acts, at full weight: a
# typo in a rule id must not drop a denial.
uncatalogued := {"provisions": [], "severity": "high", "default_mode": null}

# A model object that names an image or a model is a workload, whatever
# its kind: custom resources with `spec.image` are judged too.
is_workload if {
	is_model_object(subject)
	count(subject.images) + count(subject.modelUris) > 0
}

family(rule) := concat("-", array.slice(split(rule, "-"), 0, 2))

# Which findings a request may act on: DELETE only the teardown rules,
# CONNECT and status writes none, and a debug container only its own image.
active(v) if {
	operation in {"CREATE", "UPDATE"}
	sub_resource in {"", "scale"}
	not v.rule in teardown_rules
}

active(v) if {
	operation == "UPDATE"
	sub_resource == "ephemeralcontainers"
	startswith(v.rule, "MG-PROV-")
	contains(v.path, "ephemeralContainers")
}

active(v) if {
	operation == "DELETE"
	v.rule in teardown_rules
}

mode_of(rule) := stricter(configured_mode(rule), label_mode(rule))

configured_mode(rule) := m if {
	ns_modes := object.get(cfg.namespaces, [namespace, "modes"], {})
	candidates := [
		object.get(ns_modes, rule, null),
		object.get(ns_modes, family(rule), null),
		object.get(cfg.rules, rule, null),
		object.get(cfg.rules, family(rule), null),
		object.get(catalog, [rule, "default_mode"], null),
		cfg.defaultMode,
	]
	m := [c | some c in candidates; valid_mode(c)][0]
}

# A Namespace's labels may tighten a mode, never loosen it: like Pod
# Security Admission's labels, `modelgate.io/mode: enforce` or
# `mode.modelgate.io/MG-RATE: warn` raise the bar for one namespace early,
# while weakening one takes config or an exemption.
mode_label_prefix := "mode.modelgate.io/"

label_mode(rule) := m if {
	labels := namespace_labels
	candidates := [
		object.get(labels, concat("", [mode_label_prefix, rule]), null),
		object.get(labels, concat("", [mode_label_prefix, family(rule)]), null),
		object.get(labels, "modelgate.io/mode", null),
	]
	m := [c | some c in candidates; valid_mode(c)][0]
} else := "off"

strictness := {"off": 0, "audit": 1, "warn": 2, "enforce": 3}

stricter(a, b) := a if strictness[a] >= strictness[b]

stricter(a, b) := b if strictness[a] < strictness[b]

namespace_labels := cluster_named("Namespace", namespace).labels if {
	cluster_named("Namespace", namespace)
} else := {}

valid_mode(m) if m in {"enforce", "warn", "audit", "off"}

exemption_names := meta_values(subject, "modelgate.io/exemption")

valid_exemption(e) if {
	e.expiresAt > input.now
	namespace_allowed(e)
}

namespace_allowed(e) if count(e.namespaces) == 0

namespace_allowed(e) if namespace in e.namespaces

exemption_covers(e, _) if count(e.rules) == 0

exemption_covers(e, rule) if rule in e.rules

exemption_covers(e, rule) if family(rule) in e.rules

exemption_for(rule) := min(names) if {
	names := {name |
		some name in exemption_names
		some e in cfg.exemptions
		e.name == name
		valid_exemption(e)
		exemption_covers(e, rule)
	}
	count(names) > 0
}

violation contains v if {
	some name in exemption_names
	not name in {e.name | some e in cfg.exemptions}
	v := finding("MG-EXEMPT-001", "metadata.annotations", sprintf(
		"exemption \"%s\" is not in config, so it exempts nothing; ask for it to be added with a justification, approver and expiry",
		[name],
	))
}

violation contains v if {
	some name in exemption_names
	some e in cfg.exemptions
	e.name == name
	e.expiresAt <= input.now
	v := finding("MG-EXEMPT-001", "metadata.annotations", sprintf(
		"exemption \"%s\" expired on %s, so it exempts nothing; renew it or fix the findings",
		[name, e.expires],
	))
}

violation contains v if {
	some name in exemption_names
	some e in cfg.exemptions
	e.name == name
	e.expiresAt > input.now
	not namespace_allowed(e)
	v := finding("MG-EXEMPT-001", "metadata.annotations", sprintf(
		"exemption \"%s\" is not valid in namespace %s, so it exempts nothing",
		[name, namespace],
	))
}

findings contains f if {
	some v in violation
	active(v)
	meta := object.get(catalog, v.rule, uncatalogued)
	base := object.union(v, {
		"title": object.get(meta, "title", v.rule),
		"provisions": meta.provisions,
		"severity": meta.severity,
		"mode": mode_of(v.rule),
	})
	f := with_exemption(base)
}

with_exemption(f) := object.union(f, {"exemption": exemption_for(f.rule)})

with_exemption(f) := f if not exemption_for(f.rule)

acting(mode) := {f |
	some f in findings
	f.mode == mode
	not f.exemption
}

decision := "deny" if count(acting("enforce")) > 0

decision := "warn" if {
	count(acting("enforce")) == 0
	count(acting("warn")) > 0
}

decision := "allow" if {
	count(acting("enforce")) == 0
	count(acting("warn")) == 0
}

judged := is_model if subject

judged if {
	subject
	model_data_store
}

judged if {
	subject.exposure
	count(findings) > 0
}

default judged := false

result := {
	"decision": decision,
	"findings": [f | some f in findings; f.mode != "off"],
	"judged": judged,
}

# Images whose signatures the gate must look up before the real evaluation.
wanted contains img.ref if {
	model_workload
	provenance_checked
	some img in subject.images
	img.ref
	authority_for(img.name)
	image_in_scope(img)
}

# No lookup where no provenance rule would read it.
provenance_checked if {
	some rule in {"MG-PROV-001", "MG-PROV-003"}
	mode_of(rule) != "off"
}

image_in_scope(_) if {
	operation in {"CREATE", "UPDATE"}
	sub_resource in {"", "scale"}
}

image_in_scope(img) if {
	operation == "UPDATE"
	sub_resource == "ephemeralcontainers"
	img.role == "ephemeral"
}

# The rule catalog as the gates read it (SARIF rule metadata, docs).
rule_catalog := catalog
