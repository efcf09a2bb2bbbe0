# MG-PROV: every image a model workload runs or mounts is pinned, signed by a
# key that the image's trust authority names, and verifiable right now.
package modelgate

# The first authority whose globs match the image name governs it.
authority_for(name) := cfg.trust.authorities[i] if {
	matching := {j |
		some j, a in cfg.trust.authorities
		some pattern in a.images
		glob.match(pattern, ["/"], name)
	}
	i := min(matching)
}

facts := object.get(input, ["facts", "images"], {})

trusted_by(fact, auth) if {
	some signer in fact.signers
	signer in auth.keys
}

trusted_by(fact, auth) if {
	some id in object.get(fact, "identities", [])
	some want in auth.identities
	id.issuer == want.issuer
	id.subject == want.subject
}

violation contains v if {
	model_workload
	some img in subject.images
	img.error
	v := finding("MG-PROV-001", img.path, sprintf(
		"image \"%s\" cannot be parsed (%s); write a valid reference pinned by digest",
		[img.raw, img.error],
	))
}

violation contains v if {
	model_workload
	some img in subject.images
	img.ref
	not authority_for(img.name)
	v := finding("MG-PROV-001", img.path, sprintf(
		"no trust authority covers image %s; add one to trust.authorities whose images match it",
		[img.name],
	))
}

violation contains v if {
	model_workload
	some img in subject.images
	not facts[img.ref].error
	auth := authority_for(img.name)
	fact := facts[img.ref]
	not trusted_by(fact, auth)
	v := finding("MG-PROV-001", img.path, untrusted_message(img, fact, auth))
}

untrusted_message(img, fact, auth) := msg if {
	fact.signatures == 0
	msg := sprintf(
		"image %s has no cosign signature; sign %s with a key that trust authority \"%s\" accepts (%s)",
		[img.ref, signed_ref(img, fact), auth.name, accepted(auth)],
	)
}

untrusted_message(img, fact, auth) := msg if {
	fact.signatures > 0
	msg := sprintf(
		"image %s is signed, but by no key that trust authority \"%s\" accepts (%s); sign it with one of those keys",
		[img.ref, auth.name, accepted(auth)],
	)
}

accepted(auth) := "no key is configured" if {
	count(auth.keys) == 0
	count(auth.identities) == 0
}

accepted(auth) := concat(", ", array.concat(
	[sprintf("key %s", [k]) | some k in auth.keys],
	[sprintf("identity %s", [id.subject]) | some id in auth.identities],
)) if count(auth.keys) + count(auth.identities) > 0

signed_ref(img, fact) := sprintf("%s@%s", [img.name, fact.digest]) if fact.digest

signed_ref(img, fact) := img.ref if not fact.digest

# LIMITATION: where MG-PROV-002 is not enforced, a tag is verified at the
# digest it names at admission; a node pulling later may get another one.
# Only a digest pin (or a mutating gate that rewrites to it) closes that.
violation contains v if {
	model_workload
	some img in subject.images
	img.ref
	not img.digest
	v := finding("MG-PROV-002", img.path, sprintf(
		"image %s is not pinned by digest; refer to it as %s",
		[img.ref, pin_hint(img)],
	))
}

pin_hint(img) := sprintf("%s@%s", [img.name, facts[img.ref].digest])

pin_hint(img) := sprintf("%s@sha256:<digest>", [img.name]) if not facts[img.ref].digest

violation contains v if {
	model_workload
	some img in subject.images
	img.ref
	authority_for(img.name)
	fact := facts[img.ref]
	fact.error
	v := finding("MG-PROV-003", img.path, sprintf(
		"signature of %s could not be verified: %s (%s); provenance that cannot be checked is not accepted, %s",
		[img.ref, fact.error.message, fact.error.code, lookup_hint(fact.error.code)],
	))
}

violation contains v if {
	model_workload
	some img in subject.images
	img.ref
	authority_for(img.name)
	not facts[img.ref]
	v := finding("MG-PROV-003", img.path, sprintf(
		"signature of %s was not looked up; provenance that cannot be checked is not accepted",
		[img.ref],
	))
}

lookup_hint(code) := "so list the registry under registries if it is yours" if code == "REGISTRY_NOT_ALLOWED"

lookup_hint(code) := "retry when the registry answers" if code != "REGISTRY_NOT_ALLOWED"

digest_annotation := "modelgate.io/model-digest"

violation contains v if {
	model_workload
	some uri in subject.modelUris
	uri.scheme != "oci"
	not valid_model_digest
	v := finding("MG-PROV-004", uri.path, sprintf(
		"model artifact %s is fetched by a mutable URI; record its content hash as annotation %s: sha256:<64 hex>, or serve the model from an oci:// URI pinned by digest",
		[uri.uri, digest_annotation],
	))
}

valid_model_digest if {
	some d in meta_values(subject, digest_annotation)
	regex.match(`^sha256:[a-f0-9]{64}$`, d)
}

violation contains v if {
	is_scale
	scale_up
	not scale_target
	v := finding("MG-PROV-005", "spec.replicas", sprintf(
		"cannot resolve the workload %s/%s being scaled up, so its images cannot be checked; retry once modelgate's cluster view has synced",
		[input.object.namespace, input.object.name],
	))
}
