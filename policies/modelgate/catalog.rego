# Every rule modelgate enforces: its stable id, the EN 304 223 provisions it
# implements, its severity, and the mode it has unless config says otherwise
# (null: the config's defaultMode).
package modelgate

catalog := {
	"MG-PROV-001": {
		"title": "image signed by a trusted key",
		"provisions": ["5.2.3-1", "5.2.4-1.2"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-PROV-002": {
		"title": "image pinned by digest",
		"provisions": ["5.2.1-2", "5.2.3-1"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-PROV-003": {
		"title": "signature verification completed",
		"provisions": ["5.2.3-1"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-PROV-004": {
		"title": "model artifact URI carries a content digest",
		"provisions": ["5.2.1-2", "5.2.4-1.2"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-PROV-005": {
		"title": "scaled workload can be resolved",
		"provisions": ["5.2.3-1"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-RATE-001": {
		"title": "serving workload declares a rate limit",
		"provisions": ["5.2.2-2"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-RATE-002": {
		"title": "rate limit is well formed",
		"provisions": ["5.2.2-2"],
		"severity": "medium",
		"default_mode": null,
	},
	"MG-RATE-003": {
		"title": "route to a model enforces a rate limit",
		"provisions": ["5.2.2-2"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-RATE-004": {
		"title": "no LoadBalancer or NodePort straight onto model pods",
		"provisions": ["5.2.2-2"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-DECOM-001": {
		"title": "accountable data custodian recorded",
		"provisions": ["5.5.1-1", "5.2.1-1"],
		"severity": "medium",
		"default_mode": null,
	},
	"MG-DECOM-002": {
		"title": "decommissioning procedure recorded",
		"provisions": ["5.5.1-2", "5.2.1-1"],
		"severity": "medium",
		"default_mode": null,
	},
	"MG-DECOM-003": {
		"title": "model workload can be identified at preview",
		"provisions": ["5.2.1-1"],
		"severity": "low",
		"default_mode": "warn",
	},
	"MG-DECOM-004": {
		"title": "resource that can hold or serve a model is of a type modelgate reads",
		"provisions": ["5.2.1-1"],
		"severity": "low",
		"default_mode": "warn",
	},
	"MG-WIPE-001": {
		"title": "no node or network storage that outlives the workload",
		"provisions": ["5.5.1-2", "5.2.1-4.2"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-WIPE-002": {
		"title": "claimed model storage is deleted with its claim",
		"provisions": ["5.5.1-2"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-WIPE-003": {
		"title": "model-data volume has reclaimPolicy Delete",
		"provisions": ["5.5.1-2"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-WIPE-004": {
		"title": "model-data storage class has reclaimPolicy Delete",
		"provisions": ["5.5.1-2"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-WIPE-005": {
		"title": "model-data volume is not on a node's disk",
		"provisions": ["5.5.1-2", "5.2.1-4.2"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-WIPE-006": {
		"title": "teardown of model data leaves nothing behind",
		"provisions": ["5.5.1-2"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-WIPE-007": {
		"title": "storage behind a model volume can be resolved",
		"provisions": ["5.5.1-2"],
		"severity": "low",
		"default_mode": "warn",
	},
	"MG-WIPE-008": {
		"title": "StatefulSet deletes its model-data claims with it",
		"provisions": ["5.5.1-2"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-WIPE-009": {
		"title": "crypto-erased model data has a customer-managed key",
		"provisions": ["5.5.1-2", "5.2.1-4.2"],
		"severity": "high",
		"default_mode": null,
	},
	"MG-EXEMPT-001": {
		"title": "referenced exemption is valid",
		"provisions": ["5.2.3-2"],
		"severity": "medium",
		"default_mode": "warn",
	},
}

# Rules that act on DELETE; every other rule leaves teardown alone.
teardown_rules := {"MG-WIPE-006"}
